import type { AccessLevelValue } from './access-level';

/**
 * The simulator's state: plain records, one per GitLab object. Timestamps are epoch milliseconds
 * from the simulator's clock; ids are numbers drawn from per-kind sequences (see `SimState`).
 */

export type Visibility = 'private' | 'internal' | 'public';

export interface SimUser {
  readonly id: number;
  readonly username: string;
  name: string;
  email: string;
  readonly admin: boolean;
  readonly bot: boolean;
  readonly createdAt: number;
  /** The user's personal namespace. */
  readonly namespaceId: number;
  readonly tokens: Set<string>;
  readonly profile: UserProfile;
}

/** Optional public profile fields (`null`: not set). */
export interface UserProfile {
  publicEmail: string | null;
  pronouns: string | null;
  jobTitle: string | null;
  organization: string | null;
  location: string | null;
  bio: string | null;
}

export interface SimNamespace {
  readonly id: number;
  readonly kind: 'user' | 'group';
  readonly path: string;
  name: string;
  readonly parentId: number | null;
  /** For a user namespace, its owner. */
  readonly ownerId: number | null;
  readonly visibility: Visibility;
  /** Direct members of a group (a user namespace has none: its owner owns it). */
  readonly members: Map<number, SimMembership>;
  readonly createdAt: number;
}

export interface SimMembership {
  readonly userId: number;
  accessLevel: AccessLevelValue;
  readonly createdAt: number;
  readonly createdById: number | null;
  /** `YYYY-MM-DD`, or `null` for a membership that does not expire. */
  expiresAt: string | null;
}

export type ImportStatus = 'none' | 'scheduled' | 'started' | 'finished' | 'failed';

export interface SimProject {
  readonly id: number;
  name: string;
  readonly path: string;
  readonly namespaceId: number;
  description: string;
  defaultBranch: string;
  visibility: Visibility;
  readonly forkedFromId: number | null;
  importStatus: ImportStatus;
  readonly createdAt: number;
  lastActivityAt: number;
  readonly creatorId: number;
  /** `null`: `.gitlab-ci.yml` in the project; `file.yml@group/project`: a file in another project. */
  ciConfigPath: string | null;
  /** Run merge request pipelines started in this project on the merged result (a merge commit). */
  mergedResultsPipelines: boolean;
  readonly members: Map<number, SimMembership>;
  /** Bare repository directory. */
  readonly repoDir: string;
  /** Derived from the repository after every change: no branches yet. */
  emptyRepo: boolean;
  /** Derived from the repository: the README on the default branch, if any. */
  readmePath: string | null;
  nextMergeRequestIid: number;
  nextPipelineIid: number;
  archived: boolean;
  /** Optional project settings shown by the REST API (`null`: unset). */
  readonly settings: ProjectSettings;
}

export interface ProjectSettings {
  avatarUrl: string | null;
  buildCoverageRegex: string | null;
  suggestionCommitMessage: string | null;
  issuesTemplate: string | null;
  mergeRequestsTemplate: string | null;
  mergeCommitTemplate: string | null;
  squashCommitTemplate: string | null;
}

export type MergeRequestState = 'opened' | 'closed' | 'merged' | 'locked';

export const mergeRequestStateId: Readonly<Record<MergeRequestState, number>> = {
  opened: 1,
  closed: 2,
  merged: 3,
  locked: 4,
};

export type MergeStatus = 'unchecked' | 'preparing' | 'checking' | 'can_be_merged' | 'cannot_be_merged';

export interface SimMergeRequest {
  readonly id: number;
  readonly iid: number;
  /** The target project (where the merge request lives). */
  readonly projectId: number;
  readonly sourceProjectId: number;
  readonly sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
  state: MergeRequestState;
  readonly authorId: number;
  assigneeIds: number[];
  reviewerIds: number[];
  labels: string[];
  readonly createdAt: number;
  updatedAt: number;
  updatedById: number | null;
  lastEditedAt: number | null;
  lastEditedById: number | null;
  closedAt: number | null;
  closedById: number | null;
  mergedAt: number | null;
  mergedById: number | null;
  mergeCommitSha: string | null;
  /** Head of the source branch as last seen. */
  sha: string;
  /** Merge base of source and target at the last refresh. */
  baseSha: string | null;
  /** Target branch head at the last refresh. */
  startSha: string | null;
  mergeStatus: MergeStatus;
  /** Number of files changed between base and head, as GitLab reports it (a string). */
  changesCount: string | null;
  hasConflicts: boolean;
  squash: boolean;
  removeSourceBranch: boolean | null;
  allowCollaboration: boolean;
  /** Bumped by every push to the source branch (the MR "version"). */
  commitsSeen: number;
  /**
   * Whether an `update` hook was sent yet: GitLab initialises time tracking on the first update
   * and reports `changes.total_time_spent` (null → 0) in that hook.
   */
  timeTrackingReported: boolean;
}

export type NoteTarget =
  | { readonly type: 'MergeRequest'; readonly mergeRequestId: number }
  | {
      readonly type: 'Commit';
      readonly sha: string;
      readonly path: string | null;
      readonly line: number | null;
      readonly lineType: 'new' | 'old' | null;
    };

export interface SimNote {
  readonly id: number;
  readonly projectId: number;
  readonly target: NoteTarget;
  body: string;
  readonly authorId: number;
  readonly system: boolean;
  readonly createdAt: number;
  updatedAt: number;
  updatedById: number | null;
  readonly discussionId: string;
  readonly internal: boolean;
}

export type Awardable =
  | { readonly type: 'Note'; readonly noteId: number }
  | { readonly type: 'MergeRequest'; readonly mergeRequestId: number };

export interface SimAwardEmoji {
  readonly id: number;
  readonly name: string;
  readonly userId: number;
  readonly awardable: Awardable;
  readonly createdAt: number;
}

/** CI job and commit status states (GitLab's `Ci::HasStatus`). */
export type JobStatus =
  | 'created'
  | 'waiting_for_resource'
  | 'preparing'
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  /** On the way to `canceled`: jobs that were running are being stopped. */
  | 'canceling'
  | 'canceled'
  | 'skipped'
  | 'manual'
  | 'scheduled';

export const finishedStatuses: ReadonlySet<JobStatus> = new Set(['success', 'failed', 'canceled', 'skipped']);

export type PipelineSource =
  'push' | 'web' | 'api' | 'merge_request_event' | 'external' | 'trigger' | 'schedule' | 'parent_pipeline';

export interface SimJob {
  readonly id: number;
  readonly name: string;
  readonly stage: string;
  status: JobStatus;
  readonly allowFailure: boolean;
  readonly when: string;
  /** The job uploads an artifacts archive when it finishes. */
  readonly artifacts: boolean;
  readonly createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface SimPipeline {
  readonly id: number;
  readonly iid: number;
  readonly projectId: number;
  readonly sha: string;
  readonly beforeSha: string;
  /** The ref as REST reports it (`main`, `refs/merge-requests/3/head`, `refs/merge-requests/3/merge`). */
  readonly ref: string;
  /** The ref as webhooks report it (the source branch for merge request pipelines). */
  readonly sourceRef: string;
  readonly tag: boolean;
  status: JobStatus;
  readonly source: PipelineSource;
  readonly userId: number;
  readonly mergeRequestId: number | null;
  /** For merged-results pipelines: the merge request head the merge commit was built from. */
  readonly mergedResultOf: string | null;
  readonly createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  readonly jobs: SimJob[];
  readonly stages: string[];
  readonly yamlErrors: string | null;
}

export interface SimCommitStatus {
  readonly id: number;
  readonly projectId: number;
  readonly pipelineId: number;
  readonly sha: string;
  readonly ref: string;
  readonly name: string;
  status: JobStatus;
  targetUrl: string | null;
  description: string | null;
  coverage: number | null;
  readonly allowFailure: boolean;
  readonly authorId: number;
  readonly createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Event kinds a hook subscribes to, as the hooks API names them. */
export interface HookEvents {
  push_events: boolean;
  tag_push_events: boolean;
  merge_requests_events: boolean;
  note_events: boolean;
  confidential_note_events: boolean;
  pipeline_events: boolean;
  job_events: boolean;
  issues_events: boolean;
  confidential_issues_events: boolean;
  wiki_page_events: boolean;
  deployment_events: boolean;
  releases_events: boolean;
}

export type HookAlertStatus = 'executable' | 'temporarily_disabled' | 'disabled';

export interface SimHook {
  readonly id: number;
  readonly owner: { readonly type: 'project' | 'group'; readonly id: number };
  url: string;
  token: string;
  events: HookEvents;
  enableSslVerification: boolean;
  pushEventsBranchFilter: string;
  readonly createdAt: number;
  alertStatus: HookAlertStatus;
  disabledUntil: number | null;
  recentFailures: number;
}
