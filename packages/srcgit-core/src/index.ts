/**
 * @module
 * `@srcgit/core`: the srcgit bot's core — domain events, the `Forge` port, workflows and the
 * service configuration. It calls `@srcgit/dist-git-converter` and never imports GitLab code.
 * What only srcgit's own apps share is in `@srcgit/core/internal` (no stability promise).
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
  PREVIOUS_JOB_PAYLOAD_VERSION,
  createJobPayload,
  jobPayloadSchema,
  parseJobPayload,
} from './events/job-payload';
export type { JobPayload } from './events/job-payload';
export { jobDeduplicationId } from './events/job-deduplication-id';
export { eventJobOptions } from './events/event-job-options';
export type { EventJobOptions } from './events/event-job-options';

// The Forge port.
export { ForgeError, isForgeError } from './forge/forge-error';
export type { ForgeErrorKind } from './forge/forge-error';
export { AccessLevel } from './forge/access-level';
export type { AccessLevelValue } from './forge/access-level';
export type {
  CommitStatusState,
  ForgeBranch,
  ForgeCommit,
  ForgeCommitStatus,
  ForgeMergeRequest,
  ForgeMergeRequestState,
  ForgeNote,
  ForgePipeline,
  ForgeProject,
  ForgeUser,
  ProjectKey,
} from './forge/forge-types';
export type {
  EnsureCommitCommentInput,
  EnsureForkOptions,
  EnsureMergeRequestInput,
  EnsureMergeRequestResult,
  EnsureStickyNoteInput,
  EnsureStickyNoteResult,
  FindMergeRequestsQuery,
  Forge,
  ForgeListedMergeRequest,
  ForgeMergeRequestPage,
  ListGroupMergeRequestsQuery,
  SetCommitStatusInput,
  SetCommitStatusResult,
  UpdateMergeRequestInput,
} from './forge/forge';

// Service configuration.
export { namespaceMappingSchema, retryPolicySchema, serviceConfigSchema } from './config/service-config';
export { exponentialBackoffDelay } from './retry/exponential-backoff-delay';
export type { BackoffBounds } from './retry/exponential-backoff-delay';
export type { NamespaceMapping, RetryPolicy, ServiceConfig } from './config/service-config';
export { parseServiceConfig, SERVICE_CONFIG_ENV } from './config/parse-service-config';
export type { ParseServiceConfigOptions } from './config/parse-service-config';
export { distGitProjectPath, findMapping } from './config/find-mapping';

// The git workspace port and its git-CLI implementation.
export type {
  Checkout,
  CheckoutDistGitInput,
  CheckoutSourceGitInput,
  GitIdentity,
  GitRemote,
  GitWorkspace,
  PushBranchInput,
  PushBranchResult,
  WorkspaceJob,
} from './workspace/git-workspace';
export { createGitWorkspace } from './workspace/create-git-workspace';
export type { CreateGitWorkspaceOptions } from './workspace/create-git-workspace';

// Texts and markers the bot writes.
export { renderDistGitMrDescription, renderDistGitMrTitle } from './templates/dist-git-texts';
export type { DistGitTextInput } from './templates/dist-git-texts';
export {
  appendMarker,
  DIST_GIT_MR_NOTE_MARKER,
  endsWithMarker,
  lifecycleNoteMarker,
  parseSourceGitMrMarker,
  problemNoteMarker,
  sourceGitMrMarker,
} from './templates/markers';

// Pairing of source-git and dist-git MRs.
export { findPairing } from './pairing/find-pairing';
export { forkBranchName, isForkBranchOf } from './pairing/fork-branch-name';
export type { FindPairingDeps, FindPairingInput, FoundPairing, PairingSource } from './pairing/find-pairing';
export type { CachedPairing, PairingCache } from './pairing/pairing-cache';

// Workflows.
export { createConverter } from './workflows/converter';
export type { Converter } from './workflows/converter';
export type { CoreLogger, WorkflowConfig, WorkflowDeps, WorkflowOptions } from './workflows/workflow-deps';
export type {
  OutcomeMergeRequest,
  WorkflowAction,
  WorkflowName,
  WorkflowOutcome,
  WorkflowResult,
} from './workflows/workflow-outcome';
export { classifyWorkflowError, isUserActionableError } from './workflows/classify-workflow-error';
export { syncSourceGitMergeRequest } from './workflows/sync-source-git-merge-request';
export type { SyncTrigger } from './workflows/sync-source-git-merge-request';
export { updateDistGitMergeRequestMetadata } from './workflows/update-dist-git-merge-request-metadata';
export { closeDistGitMergeRequest } from './workflows/close-dist-git-merge-request';
export { reopenDistGitMergeRequest } from './workflows/reopen-dist-git-merge-request';
export { noteSourceGitMerged } from './workflows/note-source-git-merged';
export { runSourceGitMrWorkflow } from './workflows/run-source-git-mr-workflow';
export type { SourceGitMrEvent } from './workflows/run-source-git-mr-workflow';
export { toMergeRequestSnapshot } from './workflows/to-merge-request-snapshot';
export { UNVERIFIED_PROJECT, verifyEventProject } from './workflows/verify-event-project';
export type { EventProjectVerdict, VerifyEventProjectDeps } from './workflows/verify-event-project';

// Workflows of dist-git events and comment commands.
export type {
  EventAction,
  EventOutcome,
  EventWorkflowConfig,
  EventWorkflowDeps,
  EventWorkflowName,
} from './workflows/event-outcome';
export { reportDistGitPipeline } from './workflows/report-dist-git-pipeline';
export { DIST_GIT_CI_NOTE_MARKER, parseDistGitCiNoteState } from './workflows/dist-git-ci-note';
export type { DistGitCiNoteState } from './workflows/dist-git-ci-note';
export { distGitSyncBranch, syncDistGitPush } from './workflows/sync-dist-git-push';
export { commandReplyMarker, runCommentCommand } from './workflows/run-comment-command';
export { parseCommentCommand } from './commands/comment-command';
export type { CommentCommand, ParsedCommentCommand } from './commands/comment-command';
export { readMergeRequestStatus } from './workflows/read-merge-request-status';
export type { MergeRequestStatus } from './workflows/read-merge-request-status';

// Periodic reconciliation (docs/bot-behaviour.md §1.H): the decisions; the worker reads and queues.
export { findReconcileDrift, RECONCILE_DRIFT_KINDS } from './reconcile/find-reconcile-drift';
export type { DistGitPartner, ReconcileDriftKind, ReconcilePair } from './reconcile/find-reconcile-drift';
export { reconcileRepairEvent } from './reconcile/reconcile-repair-event';
export type { ReconcileProjects } from './reconcile/reconcile-repair-event';
export { requestBudgetVerdict } from './reconcile/request-budget-verdict';
export type {
  RateLimitReading,
  RequestBudget,
  RequestBudgetVerdict,
} from './reconcile/request-budget-verdict';
export { sourceGitCommitOf } from './workflows/tested-source-git-commit';
