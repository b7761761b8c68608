/**
 * @module
 * The data the `Forge` port speaks in: plain, forge-agnostic records (no GitLab client types).
 */

/** A project named by its numeric id (stable across renames) or its full path (`group/sub/name`). */
export type ProjectKey = number | string;

/** A user of the forge. */
export interface ForgeUser {
  id: number;
  username: string;
  name: string;
}

/** A project (repository) on the forge. */
export interface ForgeProject {
  id: number;
  /** Full path, e.g. `redhat/centos-stream/rpms/luksmeta`. */
  path: string;
  /** Full path of the namespace (user or group) holding the project. */
  namespacePath: string;
  webUrl: string;
  /** HTTPS clone URL without credentials (see `Forge.gitRemoteUrl`). */
  httpUrlToRepo: string;
  defaultBranch: string | null;
  /** The project this one was forked from, if it is a fork. */
  forkedFrom: { id: number; path: string } | null;
  /**
   * For forks: `scheduled` → `started` → `finished` (or `failed`) while the repository is copied;
   * `none` or `null` otherwise.
   */
  importStatus: string | null;
}

/** A branch and the commit at its tip. */
export interface ForgeBranch {
  name: string;
  commitSha: string;
  protected: boolean;
  default: boolean;
}

/** A commit. */
export interface ForgeCommit {
  sha: string;
  title: string;
  message: string;
  authorName: string;
  authorEmail: string;
  parentShas: string[];
  webUrl: string;
}

/** The state of a merge request. */
export type ForgeMergeRequestState = 'opened' | 'closed' | 'merged' | 'locked';

/** A merge request. `projectId`/`iid` identify it; the iid is allocated in the target project. */
export interface ForgeMergeRequest {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: ForgeMergeRequestState;
  draft: boolean;
  sourceProjectId: number;
  sourceBranch: string;
  targetProjectId: number;
  targetBranch: string;
  /** Head commit of the source branch, when the forge knows it. */
  headSha: string | null;
  authorUsername: string;
  webUrl: string;
}

/** A comment ("note") on a merge request. */
export interface ForgeNote {
  id: number;
  body: string;
  authorUsername: string;
  /** The author's numeric user id (stable across renames), when the forge gives it. */
  authorId?: number | undefined;
  system: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A CI pipeline. */
export interface ForgePipeline {
  id: number;
  iid: number | null;
  projectId: number;
  sha: string;
  ref: string;
  status: string;
  source: string | null;
  webUrl: string;
}

/** States a commit status can be set to. */
export type CommitStatusState = 'pending' | 'running' | 'success' | 'failed' | 'canceled';

/** A commit status as the forge has it (the newest of its name and ref, unless all were asked for). */
export interface ForgeCommitStatus {
  id: number;
  sha: string;
  ref: string | null;
  name: string;
  /** `pending`, `running`, `success`, `failed`, `canceled`, … as the forge reports it. */
  status: string;
  targetUrl: string | null;
  description: string | null;
  authorUsername: string | null;
  createdAt: string;
}
