/**
 * @module
 * The forge's pipeline statuses as commit-status states (docs/bot-behaviour.md §1.D status table).
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

/** Every status a GitLab pipeline can have (`Ci::HasStatus`), each mapped below on purpose. */
export const PIPELINE_STATUSES = [
  'created',
  'waiting_for_resource',
  'preparing',
  'waiting_for_callback',
  'pending',
  'running',
  'canceling',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
  'success',
  'failed',
] as const;

export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

const pending = { kind: 'report', state: 'pending', final: false } as const;

/**
 * The status table (documented in the package README). Only `success` is a pass. A pipeline that
 * has not run yet — queued, waiting for a runner or a resource, delayed (`scheduled`), or stopped
 * at a manual job (`manual`: someone may still play it) — is `pending`. A pipeline that ended
 * without passing is a final `failed`: `failed`; `canceled` (stopped by someone); `skipped` (no
 * job ran, so nothing was tested). The commit status's description names the raw status, so
 * "failed" for a canceled or skipped pipeline reads "Changed status to canceled/skipped".
 */
const MAPPING = {
  created: pending,
  waiting_for_resource: pending,
  preparing: pending,
  waiting_for_callback: pending,
  pending,
  scheduled: pending,
  manual: pending,
  running: { kind: 'report', state: 'running', final: false },
  canceling: { kind: 'wait' },
  success: { kind: 'report', state: 'success', final: true },
  failed: { kind: 'report', state: 'failed', final: true },
  canceled: { kind: 'report', state: 'failed', final: true },
  skipped: { kind: 'report', state: 'failed', final: true },
} as const satisfies Record<PipelineStatus, MappedPipelineStatus>;

/** True for a status in {@link PIPELINE_STATUSES}. */
export function isPipelineStatus(status: string): status is PipelineStatus {
  return Object.hasOwn(MAPPING, status);
}

/**
 * Maps a pipeline status (a total table over {@link PIPELINE_STATUSES}): not run yet
 * (`created`, `waiting_for_resource`, `preparing`, `waiting_for_callback`, `pending`,
 * `scheduled`, `manual`) → `pending`; `running` → `running`; `success` → final `success`, the only
 * pass; `failed`, `canceled`, `skipped` → final `failed`; `canceling` waits for `canceled`;
 * anything else is unknown.
 *
 * @example
 * mapPipelineStatus('skipped'); // { kind: 'report', state: 'failed', final: true }
 */
export function mapPipelineStatus(status: string): MappedPipelineStatus {
  return isPipelineStatus(status) ? MAPPING[status] : { kind: 'unknown' };
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
