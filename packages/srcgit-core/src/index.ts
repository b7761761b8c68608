/**
 * @module
 * `@srcgit/core`: the srcgit bot's core — domain events, the `Forge` port, workflows and the
 * service configuration. It calls `@srcgit/dist-git-converter` and never imports GitLab code.
 */
export { CoreError } from './core-error';
export type { CoreErrorCode } from './core-error';

// Domain events and the job payload shared by the webhook server and the worker.
export {
  actorSchema,
  commitShaSchema,
  mergeRequestSnapshotSchema,
  mergeRequestStateSchema,
  projectRefSchema,
} from './events/event-refs';
export type { Actor, MergeRequestSnapshot, MergeRequestState, ProjectRef } from './events/event-refs';
export {
  sourceGitMrClosedSchema,
  sourceGitMrMergedSchema,
  sourceGitMrOpenedSchema,
  sourceGitMrReopenedSchema,
  sourceGitMrUpdatedSchema,
} from './events/source-git-mr-event';
export type {
  SourceGitMrClosed,
  SourceGitMrMerged,
  SourceGitMrOpened,
  SourceGitMrReopened,
  SourceGitMrUpdated,
} from './events/source-git-mr-event';
export { distGitMrPipelineChangedSchema } from './events/dist-git-pipeline-event';
export type { DistGitMrPipelineChanged } from './events/dist-git-pipeline-event';
export { distGitPushedSchema } from './events/dist-git-push-event';
export type { DistGitPushed } from './events/dist-git-push-event';
export { commentCommandIssuedSchema } from './events/comment-command-event';
export type { CommentCommandIssued } from './events/comment-command-event';
export { domainEventSchema, parseDomainEvent } from './events/domain-event';
export type { DomainEvent, DomainEventKind } from './events/domain-event';
export {
  JOB_PAYLOAD_VERSION,
  createJobPayload,
  jobPayloadSchema,
  parseJobPayload,
} from './events/job-payload';
export type { JobPayload } from './events/job-payload';

// The Forge port.
export { ForgeError, isForgeError } from './forge/forge-error';
export type { ForgeErrorKind } from './forge/forge-error';
export { AccessLevel } from './forge/access-level';
export type { AccessLevelValue } from './forge/access-level';
export type {
  CommitStatusState,
  ForgeBranch,
  ForgeCommit,
  ForgeMergeRequest,
  ForgeMergeRequestState,
  ForgeNote,
  ForgePipeline,
  ForgeProject,
  ForgeUser,
  ProjectKey,
} from './forge/forge-types';
export type {
  EnsureForkOptions,
  EnsureMergeRequestInput,
  EnsureMergeRequestResult,
  EnsureStickyNoteInput,
  EnsureStickyNoteResult,
  FindMergeRequestsQuery,
  Forge,
  SetCommitStatusInput,
  SetCommitStatusResult,
  UpdateMergeRequestInput,
} from './forge/forge';
