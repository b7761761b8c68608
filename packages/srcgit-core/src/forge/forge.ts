/**
 * @module
 * The `Forge` port: every operation the workflows perform on the forge (GitLab), and nothing of
 * how. Writes are idempotent "ensure" operations (docs/architecture.md decisions 1 and 2): a job that
 * is re-run, or a webhook that is delivered twice, never creates a second fork, merge request or
 * sticky note. The one implementation is `createGitLabForge` in `@srcgit/gitlab-adapter`; tests
 * run it against the GitLab simulator (there is deliberately no in-memory fake).
 *
 * Every operation rejects with a `ForgeError` whose `kind` is `transient` (retry the job),
 * `permanent`, `permission`, `not-found` or `conflict`. Implementations retry transient failures
 * (rate limits, server errors, dropped connections) themselves before giving up.
 */
import type {
  CommitStatusState,
  ForgeBranch,
  ForgeCommitStatus,
  ForgeCommit,
  ForgeMergeRequest,
  ForgeMergeRequestState,
  ForgeNote,
  ForgePipeline,
  ForgeProject,
  ForgeUser,
  ProjectKey,
} from './forge-types';

/** Input of {@link Forge.ensureFork}. */
export interface EnsureForkOptions {
  /** Namespace (user or group path) to fork into; defaults to the bot's own user namespace. */
  namespace?: string;
  /** How long to wait for the fork's repository to be ready (default 60 000 ms). */
  timeoutMs?: number;
  /**
   * The fork's project path inside `namespace` (default: the upstream's own path). Needed when
   * the namespace forks two projects of the same name (e.g. `rpms/beer` and `src/beer`).
   */
  path?: string;
}

/** Input of {@link Forge.ensureMergeRequest}. */
export interface EnsureMergeRequestInput {
  /** Project holding the source branch (e.g. the bot's fork). */
  sourceProject: ProjectKey;
  sourceBranch: string;
  /** Project the MR targets (where it lives). */
  targetProject: ProjectKey;
  targetBranch: string;
  title: string;
  description: string;
  /**
   * A hidden, unique identity of this MR, e.g. `<!-- srcgit:source-git-mr gitlab.com/42!7 -->`.
   * It is appended to the description (unless it is its last line already) and used to recognise
   * the MR: only as the last line of an MR the bot opened.
   */
  marker: string;
  /**
   * Which existing MRs from the same source project and branch may be adopted instead of creating
   * one: `any` (default) adopts an open one or, failing that, one in any state that the bot
   * opened with the marker as its description's last line; `open` adopts only an open one.
   */
  adopt?: 'any' | 'open';
}

/** Result of {@link Forge.ensureMergeRequest}. */
export interface EnsureMergeRequestResult {
  mergeRequest: ForgeMergeRequest;
  /** `created`: a new MR; `found`: an existing one was adopted (its title/description untouched). */
  outcome: 'created' | 'found';
}

/** Filters of {@link Forge.findMergeRequests}; all optional, combined with AND. */
export interface FindMergeRequestsQuery {
  state?: ForgeMergeRequestState | 'all';
  sourceBranch?: string;
  targetBranch?: string;
  authorUsername?: string;
  /** Only MRs whose source branch lives in this project. */
  sourceProjectId?: number;
  /** Only MRs whose description contains this text (e.g. a marker). */
  descriptionContains?: string;
}

/** Query of {@link Forge.listGroupMergeRequests}. */
export interface ListGroupMergeRequestsQuery {
  state: ForgeMergeRequestState | 'all';
  /** Only MRs opened by this user. */
  authorUsername?: string;
  /** 1-based page number. */
  page: number;
  /** MRs per page, at most 100. */
  perPage: number;
}

/** A merge request listed across a group, with the full path of the project it lives in. */
export interface ForgeListedMergeRequest extends ForgeMergeRequest {
  /** Full path of the MR's (target) project, e.g. `redhat/centos-stream/src/make`. */
  projectPath: string;
}

/** One page of {@link Forge.listGroupMergeRequests}. */
export interface ForgeMergeRequestPage {
  mergeRequests: ForgeListedMergeRequest[];
  /** The next page's number, or `null` on the last page. */
  nextPage: number | null;
}

/** Changes applied by {@link Forge.updateMergeRequest}; omitted fields are left alone. */
export interface UpdateMergeRequestInput {
  title?: string;
  description?: string;
  targetBranch?: string;
  /** `closed` closes, `opened` reopens; a merged MR cannot be reopened (`conflict`). */
  state?: 'opened' | 'closed';
}

/** Input of {@link Forge.ensureStickyNote}. */
export interface EnsureStickyNoteInput {
  project: ProjectKey;
  mrIid: number;
  /** Hidden marker naming the note's topic, e.g. `<!-- srcgit:dist-git-ci -->`; appended to the body. */
  marker: string;
  body: string;
  /** When `false` and no such note exists yet, nothing is created (e.g. only final CI states create). */
  createOnlyIf?: boolean;
}

/** Result of {@link Forge.ensureStickyNote}. */
export interface EnsureStickyNoteResult {
  /** The note as it is now, or `null` when none exists and creation was not allowed. */
  note: ForgeNote | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped';
}

/** Input of {@link Forge.ensureCommitComment}. */
export interface EnsureCommitCommentInput {
  project: ProjectKey;
  sha: string;
  /** Hidden marker naming the comment's topic; appended to the body. */
  marker: string;
  body: string;
}

/** Input of {@link Forge.setCommitStatus}. */
export interface SetCommitStatusInput {
  project: ProjectKey;
  sha: string;
  state: CommitStatusState;
  /** The status' name (GitLab: `name`/context); at most 255 characters. */
  name: string;
  /** Branch the status belongs to; needed for commits of fork branches. */
  ref?: string;
  targetUrl?: string;
  /** Cut to 140 characters (with an ellipsis) before sending. */
  description?: string;
}

/** Result of {@link Forge.setCommitStatus}. */
export interface SetCommitStatusResult {
  /** `unchanged`: the forge already had this (non-final) state and refused the same transition. */
  outcome: 'set' | 'unchanged';
}

/** The forge operations the workflows need. See the module documentation for the error contract. */
export interface Forge {
  /** The bot's own account (the token's user). Cached by implementations. */
  getCurrentUser(): Promise<ForgeUser>;

  /** A project by id or path. @throws `not-found` when it does not exist or is invisible. */
  getProject(project: ProjectKey): Promise<ForgeProject>;

  /**
   * Ensures the bot has a fork of `project` in `namespace` (default: its user namespace) and that
   * the fork's repository is ready, then returns it. Idempotent: an existing fork (found by path
   * or among the project's forks) is reused; a fork created concurrently (409) is adopted. Waits
   * until `importStatus` is `finished`.
   * @throws `conflict` when the namespace holds a same-named project that is not a fork of it;
   *   `transient` when the fork is not ready within `timeoutMs`; `permanent` if the import failed.
   */
  ensureFork(project: ProjectKey, options?: EnsureForkOptions): Promise<ForgeProject>;

  /** A branch, or `null` when the project has no such branch. */
  getBranch(project: ProjectKey, branch: string): Promise<ForgeBranch | null>;

  /**
   * The bytes of a file at `ref`, or `null` when the file (or the ref) does not exist.
   * @example
   * const yaml = await forge.readFile(fork.id, '.distro/source-git.yaml', headSha);
   */
  readFile(project: ProjectKey, path: string, ref: string): Promise<Uint8Array | null>;

  /** A commit readable in `project` (MR head commits of forks are readable in the target). */
  getCommit(project: ProjectKey, sha: string): Promise<ForgeCommit>;

  /**
   * Ensures a merge request from `sourceProject:sourceBranch` into `targetProject:targetBranch`.
   * Idempotent: looks for an existing MR of that source project and branch in the target project
   * first (see `adopt`), creates one only if none fits, and adopts the open MR GitLab names when
   * creation races with another (409). An adopted MR is returned as is (use
   * {@link Forge.updateMergeRequest} to sync its title or description).
   */
  ensureMergeRequest(input: EnsureMergeRequestInput): Promise<EnsureMergeRequestResult>;

  /** A merge request by its target project and iid. @throws `not-found`. */
  getMergeRequest(project: ProjectKey, iid: number): Promise<ForgeMergeRequest>;

  /** Merge requests of a project matching `query` (every page), newest first. */
  findMergeRequests(project: ProjectKey, query?: FindMergeRequestsQuery): Promise<ForgeMergeRequest[]>;

  /**
   * One page of the merge requests of every project in group `group` (a full path) and its
   * subgroups, oldest first (by creation), one request per page: the periodic reconciliation
   * pages through them within its request budget.
   * @throws `not-found` when the group does not exist or is invisible.
   */
  listGroupMergeRequests(group: string, query: ListGroupMergeRequestsQuery): Promise<ForgeMergeRequestPage>;

  /**
   * Applies `changes` to a merge request and returns it. Idempotent: fields that already have the
   * requested value are not sent; when nothing differs, no write happens.
   */
  updateMergeRequest(
    project: ProjectKey,
    iid: number,
    changes: UpdateMergeRequestInput,
  ): Promise<ForgeMergeRequest>;

  /**
   * Ensures the bot has exactly one note carrying `marker` on the MR, with `body`. Finds the bot's
   * own note by the marker as its last line (never another user's note, never a marker quoted
   * elsewhere in a note), edits it in place when the body differs, creates it when missing (unless
   * `createOnlyIf === false`). Never creates a duplicate.
   */
  ensureStickyNote(input: EnsureStickyNoteInput): Promise<EnsureStickyNoteResult>;

  /**
   * Adds a note to a merge request. NOT idempotent: use it for replies to a command (deduped by
   * the command's note id) and prefer {@link Forge.ensureStickyNote} for anything re-postable.
   */
  addNote(project: ProjectKey, mrIid: number, body: string): Promise<ForgeNote>;

  /**
   * Ensures the bot has a comment ending with `marker` on commit `sha` of `project` (commit comments
   * cannot be edited: an existing one is left as it is). Never creates a duplicate.
   */
  ensureCommitComment(input: EnsureCommitCommentInput): Promise<{ outcome: 'created' | 'unchanged' }>;
  /** Ensures the bot's award emoji `name` (e.g. `eyes`) on a note of an MR. Idempotent. */
  ensureAwardEmoji(project: ProjectKey, mrIid: number, noteId: number, name: string): Promise<void>;

  /**
   * Sets a commit status. Idempotent for repeated states: GitLab's refusal to move a pending or
   * running status to the same state ("Cannot transition status") is reported as `unchanged`.
   * @throws `permission` without Developer rights on the project; `not-found` when the commit (or
   *   its ref) is unknown there — callers fall back to a sticky note.
   */
  setCommitStatus(input: SetCommitStatusInput): Promise<SetCommitStatusResult>;

  /**
   * The commit statuses of `sha` in `project`: the newest one per name and ref, newest first,
   * optionally only those of `ref` and/or `name`.
   * @throws `not-found` when the commit is unknown there; `permission` when the bot may not read it.
   */
  listCommitStatuses(
    project: ProjectKey,
    sha: string,
    filter?: { ref?: string; name?: string },
  ): Promise<ForgeCommitStatus[]>;
  /**
   * One note of a merge request, as the forge has it now: its body, its author (with `authorId`)
   * and whether it is a system note. The way to verify who wrote a comment a webhook reports.
   * @throws `not-found` when `project` has no MR `mrIid` or the MR has no note `noteId`.
   */
  getMergeRequestNote(project: ProjectKey, mrIid: number, noteId: number): Promise<ForgeNote>;
  /** Every note of a merge request (system notes included), oldest first. */
  listNotes(project: ProjectKey, mrIid: number): Promise<ForgeNote[]>;
  /** The pipelines of a merge request (detached ones in forks included), newest first. */
  listMergeRequestPipelines(project: ProjectKey, mrIid: number): Promise<ForgePipeline[]>;

  /**
   * Starts a new pipeline for a merge request. NOT idempotent (each call starts one): callers
   * dedupe by the triggering note id. @throws `permission` when the bot may not run it.
   */
  createMergeRequestPipeline(project: ProjectKey, mrIid: number): Promise<ForgePipeline>;

  /** Retries the failed and canceled jobs of a pipeline. */
  retryPipeline(project: ProjectKey, pipelineId: number): Promise<ForgePipeline>;

  /**
   * The access level (see `AccessLevel`) of a user in a project, inherited membership included,
   * or `null` when the user is not a member. `user` is a user id or a username.
   */
  getMemberAccessLevel(project: ProjectKey, user: number | string): Promise<number | null>;

  /**
   * An HTTPS git remote URL for `project` carrying the bot's credentials, for `git fetch`/`git
   * push`. Secret: never log it.
   */
  gitRemoteUrl(project: ForgeProject): Promise<string>;
}
