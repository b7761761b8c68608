/**
 * @module
 * The git workspace port: per-job work directories over a per-project repository cache, and the
 * git transport (fetch, push) the workflows need. `createGitWorkspace` implements it with the git
 * CLI.
 */
import type { GitRunner } from '@srcgit/dist-git-converter';

/**
 * A git remote. `url` may carry credentials (`https://oauth2:<token>@host/path.git`, as
 * `Forge.gitRemoteUrl` returns it): implementations pass them to git out of band and never log
 * or persist them.
 */
export interface GitRemote {
  readonly url: string;
}

/** The identity of the commits a job makes. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

/** Input of {@link WorkspaceJob.checkoutSourceGit}. */
export interface CheckoutSourceGitInput {
  /** Names the repository cache to use (one per source-git project), e.g. `sg-3001`. */
  readonly cacheKey: string;
  /** The source-git target project (it holds `refs/merge-requests/<iid>/head` and the tags). */
  readonly remote: GitRemote;
  /** The ref to fetch and check out, e.g. `refs/merge-requests/5/head`. */
  readonly ref: string;
  /** Also fetch every tag of `remote`, replacing cached tags of the same name. */
  readonly tags: boolean;
  /**
   * Check out only these paths (files or directories, relative to the repository root) — what the
   * conversion reads from disk: the configuration, the spec, the `files_to_sync` sources. Big
   * repositories then cost no full working tree per job. Ignored (full checkout) when the fetched
   * commit is not `sparseFor`, the commit the paths were derived from.
   */
  readonly sparsePaths?: readonly string[];
  /** The commit `sparsePaths` were read from (the MR head as the forge reported it). */
  readonly sparseFor?: string;
}

/** Input of {@link WorkspaceJob.checkoutDistGit}. */
export interface CheckoutDistGitInput {
  /** Names the repository cache to use (one per dist-git project), e.g. `dg-3002`. */
  readonly cacheKey: string;
  readonly remote: GitRemote;
  readonly branch: string;
  /** Who authors and commits in this clone. */
  readonly identity: GitIdentity;
}

/** A checked-out working tree. */
export interface Checkout {
  readonly dir: string;
  /** The commit checked out. */
  readonly headSha: string;
  /** Whether only the requested paths were checked out. */
  readonly sparse: boolean;
}

/** Input of {@link WorkspaceJob.pushBranch}. */
export interface PushBranchInput {
  /** The working tree whose `HEAD` is pushed. */
  readonly dir: string;
  readonly remote: GitRemote;
  /** The branch to (force-)update on the remote. */
  readonly branch: string;
}

/** Result of {@link WorkspaceJob.pushBranch}. */
export interface PushBranchResult {
  /**
   * `unchanged`: the remote branch already held an equivalent commit (same tree, parents and
   * message), so nothing was pushed; `pushed`: the branch was created or force-updated.
   */
  readonly outcome: 'pushed' | 'unchanged';
  /** The commit the remote branch points at now. */
  readonly sha: string;
}

/** One job's private work directory. Always {@link WorkspaceJob.dispose} it (in `finally`). */
export interface WorkspaceJob {
  /** The job's own directory; nothing else writes there. */
  readonly dir: string;
  /** The git runner to run conversions in this job's working trees with. */
  readonly git: GitRunner;
  /**
   * Fetches `ref` (and, with `tags`, every tag) from `remote` into the project's repository cache
   * — only what is missing — and checks the fetched commit out, detached, in a working tree of
   * this job.
   * @throws CoreError `GIT_TRANSPORT_FAILED` when the fetch fails (network, credentials, missing
   *   ref).
   */
  checkoutSourceGit(input: CheckoutSourceGitInput): Promise<Checkout>;
  /**
   * Fetches `branch` from `remote` into the project's repository cache and clones it into a
   * working tree of this job, on a local branch of the same name.
   * @throws CoreError `GIT_TRANSPORT_FAILED` when the fetch fails.
   */
  checkoutDistGit(input: CheckoutDistGitInput): Promise<Checkout>;
  /**
   * Makes `branch` on `remote` point at `HEAD` of `dir` (force, but only over the tip seen just
   * before), unless it already holds an equivalent commit.
   * @throws CoreError `GIT_TRANSPORT_FAILED` when reading or pushing fails (including a concurrent
   *   update of the branch).
   */
  pushBranch(input: PushBranchInput): Promise<PushBranchResult>;
  /** Removes the job's directory and its working trees from the caches. Idempotent. */
  dispose(): Promise<void>;
}

/** Creates per-job work directories. */
export interface GitWorkspace {
  /**
   * A new, empty job directory; `label` makes it recognisable (e.g. `sg-3001-5`). `signal`
   * aborts the job's fetches, pushes and checkouts (cleanup still runs in `dispose`).
   */
  openJob(label: string, options?: { readonly signal?: AbortSignal }): Promise<WorkspaceJob>;
}
