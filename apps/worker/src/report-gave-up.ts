/**
 * @module
 * What the worker does when a job gave up after its last attempt: one note on the source-git MR.
 */
import { problemNoteMarker, verifyEventProject } from '@srcgit/core';
import { renderSyncGaveUpNote } from '@srcgit/core/internal';
import type { CoreLogger, DomainEvent, EventWorkflowDeps } from '@srcgit/core';

/** What {@link reportGaveUp} did. */
export type GaveUpReport =
  | { readonly noted: true; readonly outcome: 'created' | 'updated' | 'unchanged' | 'skipped' }
  | { readonly noted: false; readonly reason: string };

/** Input of {@link reportGaveUp}. */
export interface GaveUpInput {
  readonly event: DomainEvent;
  /** How many attempts were made. */
  readonly attempts: number;
  /** The last attempt's failure. */
  readonly error: unknown;
}

type SyncEvent = Extract<
  DomainEvent,
  { kind: 'source-git-mr-opened' | 'source-git-mr-updated' | 'source-git-mr-reopened' }
>;

/** Whether `event` syncs a source-git MR to dist-git: a failure the contributor waits on. */
function isSyncEvent(event: DomainEvent): event is SyncEvent {
  return (
    event.kind === 'source-git-mr-opened' ||
    event.kind === 'source-git-mr-updated' ||
    event.kind === 'source-git-mr-reopened'
  );
}

/**
 * Tells the contributor that the sync of their source-git MR gave up (every attempt failed with a
 * transient error: a push rejected every time, GitLab unreachable): one note per head commit
 * (`problemNoteMarker('sync-gave-up', headSha)`; a later give-up on the same head edits it) saying
 * what failed and that `<prefix> update-dist-git` retries. Only for events that sync a source-git
 * MR, and only once the event's project checks out (`verifyEventProject`: the event's ids come
 * from the webhook payload). Never throws: a failure to post is logged and reported.
 *
 * @example
 * await reportGaveUp({ event, attempts: job.attemptsMade + 1, error }, workflowDeps, logger);
 */
export async function reportGaveUp(
  input: GaveUpInput,
  deps: EventWorkflowDeps,
  logger: CoreLogger,
): Promise<GaveUpReport> {
  const { event } = input;
  if (!isSyncEvent(event)) {
    return { noted: false, reason: `no source-git merge request to tell for a ${event.kind} event` };
  }
  const mr = event.mergeRequest;
  try {
    const verdict = await verifyEventProject(event, deps);
    if (!verdict.verified) return { noted: false, reason: verdict.reason };
    const message = input.error instanceof Error ? input.error.message : String(input.error);
    const note = await deps.forge.ensureStickyNote({
      project: mr.project.id,
      mrIid: mr.iid,
      marker: problemNoteMarker('sync-gave-up', mr.headSha),
      body: renderSyncGaveUpNote({
        headSha: mr.headSha,
        attempts: input.attempts,
        message,
        retryCommand: `${deps.config.commentCommandPrefix} update-dist-git`,
      }),
    });
    return { noted: true, outcome: note.outcome };
  } catch (error) {
    logger.error('could not post the gave-up note on the source-git merge request', {
      project: mr.project.path,
      iid: mr.iid,
      error,
    });
    return { noted: false, reason: 'the note could not be posted' };
  }
}
