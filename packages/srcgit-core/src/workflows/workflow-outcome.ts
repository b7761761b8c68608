/**
 * @module
 * `WorkflowOutcome`: what a workflow did, as data (for the worker, `srcgit mr sync` and tests).
 */
import type { UpdateDistGitPlan } from '@srcgit/dist-git-converter';

/** The workflows. */
export type WorkflowName =
  | 'sync-source-git-merge-request'
  | 'update-dist-git-merge-request-metadata'
  | 'close-dist-git-merge-request'
  | 'reopen-dist-git-merge-request'
  | 'note-source-git-merged';

/**
 * The overall result: `created` (a dist-git MR was created), `updated` (the dist-git branch or MR
 * changed), `noted` (only notes were written), `no-op` (everything already as it should be),
 * `ignored` (the event is not for the bot: see `reason`), `user-error` (something the contributor
 * must fix: the workflow explained it in a note on the source-git MR; retrying will not help).
 */
export type WorkflowResult = 'created' | 'updated' | 'noted' | 'no-op' | 'ignored' | 'user-error';

/** One write the workflow made (or, in a dry run, would make). */
export interface WorkflowAction {
  readonly kind:
    'fork' | 'push' | 'merge-request' | 'merge-request-metadata' | 'merge-request-state' | 'note';
  /**
   * `created`/`updated`: written; `unchanged`: already so, nothing written; `skipped`: not
   * needed; `ensured`: exists now (a fork: created or reused); `planned`: dry run, would be done.
   */
  readonly outcome: 'created' | 'updated' | 'unchanged' | 'skipped' | 'ensured' | 'planned';
  /** What it applies to, e.g. `rpms/beer!3`, `srcgit-bot/beer:c10s-src-5`, `src/beer!5 note`. */
  readonly target: string;
  /** A web URL of the result, when there is one. */
  readonly url: string | null;
  /** A short human detail (e.g. the new state or what changed). */
  readonly detail: string | null;
}

/** A merge request as outcomes name it. */
export interface OutcomeMergeRequest {
  readonly projectPath: string;
  readonly iid: number;
  readonly webUrl: string;
  readonly state: string;
}

/** What a workflow did. Plain JSON data. */
export interface WorkflowOutcome {
  readonly workflow: WorkflowName;
  readonly result: WorkflowResult;
  /** One line for logs and terminals. */
  readonly summary: string;
  /** Why the event was ignored (`loop-guard`, `not-handled`, `not-open`, `no-pairing`, …) or the user error's code. */
  readonly reason: string | null;
  readonly dryRun: boolean;
  readonly sourceGitMr: OutcomeMergeRequest & { readonly headSha: string };
  readonly distGitMr: OutcomeMergeRequest | null;
  readonly actions: readonly WorkflowAction[];
  /** The conversion plan, for workflows that converted. */
  readonly plan: UpdateDistGitPlan | null;
  /** The user error explained on the source-git MR (`user-error` only). */
  readonly error: { readonly code: string; readonly message: string } | null;
}

/**
 * The overall result implied by a list of actions — of a workflow or of an event workflow (whose
 * actions also include commit statuses, pipelines and reactions): `created` when a merge request
 * was created, `updated` when anything but a note, a reaction or a fork was written, `noted` when
 * only notes or reactions were, else `no-op`. `planned` actions (a dry run) count as done, so a
 * dry run's result says what a real run would do.
 */
export function resultOfActions(
  actions: readonly { readonly kind: string; readonly outcome: WorkflowAction['outcome'] }[],
): WorkflowResult {
  const wrote = (action: { outcome: WorkflowAction['outcome'] }) =>
    action.outcome === 'created' || action.outcome === 'updated' || action.outcome === 'planned';
  const created = (action: { outcome: WorkflowAction['outcome'] }) =>
    action.outcome === 'created' || action.outcome === 'planned';
  const noteLike = (kind: string) => kind === 'note' || kind === 'reaction';
  if (actions.some((action) => action.kind === 'merge-request' && created(action))) return 'created';
  if (actions.some((action) => !noteLike(action.kind) && action.kind !== 'fork' && wrote(action))) {
    return 'updated';
  }
  if (actions.some((action) => noteLike(action.kind) && wrote(action))) return 'noted';
  return 'no-op';
}
