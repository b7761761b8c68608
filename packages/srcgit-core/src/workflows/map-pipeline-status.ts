/**
 * @module
 * The forge's pipeline statuses as commit-status states (service-spec §1.D status table).
 */
import type { CommitStatusState } from '../forge/forge-types';

/** What a pipeline status means for the status reported on source-git. */
export type MappedPipelineStatus =
  | {
      readonly kind: 'report';
      readonly state: Exclude<CommitStatusState, 'canceled'>;
      readonly final: boolean;
    }
  /** A transitional status that will be followed by a final one (`canceling`): report nothing. */
  | { readonly kind: 'wait' }
  /** A status srcgit does not know: log it and report nothing. */
  | { readonly kind: 'unknown' };

const STATES: Readonly<Record<string, Exclude<CommitStatusState, 'canceled'>>> = {
  created: 'pending',
  waiting_for_resource: 'pending',
  waiting_for_callback: 'pending',
  preparing: 'pending',
  pending: 'pending',
  scheduled: 'pending',
  manual: 'pending',
  running: 'running',
  success: 'success',
  skipped: 'success',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Maps a pipeline status: `created`/`waiting_for_resource`/`preparing`/`pending`/`scheduled`/
 * `manual` → `pending`, `running` → `running`, `success`/`skipped` → `success`, `failed`/
 * `canceled` → `failed`; `canceling` waits for `canceled`; anything else is unknown.
 *
 * @example
 * mapPipelineStatus('canceled'); // { kind: 'report', state: 'failed', final: true }
 */
export function mapPipelineStatus(status: string): MappedPipelineStatus {
  if (status === 'canceling') return { kind: 'wait' };
  const state = Object.hasOwn(STATES, status) ? STATES[status] : undefined;
  if (state === undefined) return { kind: 'unknown' };
  return { kind: 'report', state, final: state === 'success' || state === 'failed' };
}

/** The order of states in a pipeline's life: pending < running < final. */
export function stateRank(state: string): number {
  if (state === 'pending') return 0;
  if (state === 'running') return 1;
  return 2;
}

/** The pipeline id in a pipeline web URL (`…/-/pipelines/<id>`), or `null`. */
export function pipelineIdFromUrl(url: string | null): number | null {
  if (url === null) return null;
  const match = /\/-\/pipelines\/(\d+)(?:[/?#]|$)/.exec(url);
  return match === null ? null : Number(match[1]);
}
