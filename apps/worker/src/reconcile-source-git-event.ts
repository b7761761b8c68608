/**
 * @module
 * Turns a possibly stale source-git MR event into the events that bring the dist-git side in line
 * with the merge request as it is now.
 */
import type {
  ForgeMergeRequest,
  MergeRequestSnapshot,
  SourceGitMrEvent,
  SourceGitMrUpdated,
} from '@srcgit/core';

/** The event's merge request with the current state from the forge. */
export function currentSnapshot(event: SourceGitMrEvent, current: ForgeMergeRequest): MergeRequestSnapshot {
  return {
    ...event.mergeRequest,
    title: current.title,
    description: current.description,
    state: current.state,
    draft: current.draft,
    targetBranch: current.targetBranch,
    headSha: current.headSha ?? event.mergeRequest.headSha,
  };
}

function syncsHead(event: SourceGitMrEvent): boolean {
  switch (event.kind) {
    case 'source-git-mr-opened':
    case 'source-git-mr-reopened':
      return true;
    case 'source-git-mr-updated':
      return event.oldrev !== null && event.oldrev !== event.mergeRequest.headSha;
    case 'source-git-mr-closed':
    case 'source-git-mr-merged':
      return false;
  }
}

/**
 * Jobs for one source-git MR are collapsed while one waits (the webhook server queues them with
 * one BullMQ deduplication id per MR), so the event a job carries may be older than others that
 * were dropped. This returns what to run, in order, so that the result is the same as if every
 * event had run:
 * - the MR is merged now → the `merged` workflow; closed (or locked) → the `closed` workflow;
 * - it is open but the event says closed/merged (it was reopened since) → the `reopened` workflow;
 * - otherwise the event itself, followed by a code sync when the head moved after the event and
 *   the event's workflow does not sync, and by a metadata update when the title or description
 *   changed after the event.
 *
 * Every workflow is idempotent, so running one whose work is already done writes nothing.
 */
export function reconcileSourceGitEvent(
  event: SourceGitMrEvent,
  current: MergeRequestSnapshot,
): SourceGitMrEvent[] {
  const { actor } = event;
  if (current.state === 'merged') {
    return [
      event.kind === 'source-git-mr-merged'
        ? event
        : { kind: 'source-git-mr-merged', actor, mergeRequest: current, mergeCommitSha: null },
    ];
  }
  if (current.state === 'closed' || current.state === 'locked') {
    return [
      event.kind === 'source-git-mr-closed'
        ? event
        : { kind: 'source-git-mr-closed', actor, mergeRequest: current },
    ];
  }
  const primary: SourceGitMrEvent =
    event.kind === 'source-git-mr-closed' || event.kind === 'source-git-mr-merged'
      ? { kind: 'source-git-mr-reopened', actor, mergeRequest: current }
      : event;
  const events = [primary];
  const seen = event.mergeRequest;
  if (!syncsHead(primary) && current.headSha !== seen.headSha) {
    events.push({
      kind: 'source-git-mr-updated',
      actor,
      mergeRequest: current,
      oldrev: seen.headSha,
      changes: {},
      otherChangedFields: [],
    });
  }
  const changes: SourceGitMrUpdated['changes'] = {
    ...(current.title === seen.title ? {} : { title: { previous: seen.title, current: current.title } }),
    ...(current.description === seen.description
      ? {}
      : { description: { previous: seen.description, current: current.description } }),
  };
  const coveredByPrimary =
    primary.kind === 'source-git-mr-updated' &&
    (primary.changes.title !== undefined || primary.changes.description !== undefined);
  if (!coveredByPrimary && (changes.title !== undefined || changes.description !== undefined)) {
    events.push({
      kind: 'source-git-mr-updated',
      actor,
      mergeRequest: current,
      oldrev: null,
      changes,
      otherChangedFields: [],
    });
  }
  return events;
}
