/**
 * @module
 * `EventOutcome`: what the workflows of dist-git events and comment commands did, as data (for
 * the worker's job summaries, logs and tests).
 */
import type { ServiceConfig } from '../config/service-config';
import type {
  OutcomeMergeRequest,
  WorkflowAction,
  WorkflowOutcome,
  WorkflowResult,
} from './workflow-outcome';
import type { WorkflowConfig, WorkflowDeps } from './workflow-deps';

/** The workflows of events that are not about a source-git MR's own changes. */
export type EventWorkflowName = 'report-dist-git-pipeline' | 'sync-dist-git-push' | 'run-comment-command';

/** One write such a workflow made: a {@link WorkflowAction}, or a commit status, pipeline or reaction. */
export interface EventAction extends Omit<WorkflowAction, 'kind' | 'outcome'> {
  readonly kind: WorkflowAction['kind'] | 'commit-status' | 'pipeline' | 'reaction';
  readonly outcome: WorkflowAction['outcome'];
}

/**
 * What an event workflow did. Unlike a {@link WorkflowOutcome}, the source-git MR may be unknown
 * (`null`): a pipeline of an unpaired dist-git MR, or a dist-git push that needed no MR.
 */
export interface EventOutcome {
  readonly workflow: EventWorkflowName;
  /** As for {@link WorkflowOutcome}; `user-error`: explained on GitLab, retrying will not help. */
  readonly result: WorkflowResult;
  /** One line for logs and terminals. */
  readonly summary: string;
  /** Why the event was ignored, or the user error's code. */
  readonly reason: string | null;
  readonly sourceGitMr: OutcomeMergeRequest | null;
  readonly distGitMr: OutcomeMergeRequest | null;
  readonly actions: readonly EventAction[];
  readonly error: { readonly code: string; readonly message: string } | null;
  /** The source-git MR workflows a command ran (`update-dist-git`), in order. */
  readonly workflows: readonly WorkflowOutcome[];
}

/** The configuration the event workflows read: the workflows' own plus the check name and command prefix. */
export type EventWorkflowConfig = WorkflowConfig &
  Pick<ServiceConfig, 'statusCheckName' | 'commentCommandPrefix'>;

/** The side effects of the event workflows. */
export interface EventWorkflowDeps extends WorkflowDeps {
  readonly config: EventWorkflowConfig;
}
