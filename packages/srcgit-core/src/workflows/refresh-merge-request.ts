/**
 * @module
 * `refreshMergeRequest`: an event's source-git MR as the forge has it now.
 */
import type { MergeRequestSnapshot } from '../events/event-refs';
import type { Forge } from '../forge/forge';
import type { ForgeMergeRequest } from '../forge/forge-types';

/** What {@link refreshMergeRequest} returns. */
export interface RefreshedMergeRequest {
  /** The event's snapshot with the fields that change over an MR's life read from the forge. */
  readonly mr: MergeRequestSnapshot;
  /** The forge's record as read (its source project id decides the pairing). */
  readonly current: ForgeMergeRequest;
}

/**
 * Re-reads the MR of `snapshot` from the forge: an event may be old (queued behind others, or
 * retried), so a workflow acts on the MR's title, description, state, target branch and head as
 * they are now (the head stays the event's while the forge has none). The projects keep the
 * event's refs (`toMergeRequestSnapshot` reads them too, where no event vouches for them).
 *
 * @example
 * const { mr, current } = await refreshMergeRequest(deps.forge, event.mergeRequest);
 * if (mr.state !== 'opened') return out.ignored('not-open', `the source-git MR is ${mr.state}`);
 */
export async function refreshMergeRequest(
  forge: Pick<Forge, 'getMergeRequest'>,
  snapshot: MergeRequestSnapshot,
): Promise<RefreshedMergeRequest> {
  const current = await forge.getMergeRequest(snapshot.project.id, snapshot.iid);
  return {
    current,
    mr: {
      ...snapshot,
      title: current.title,
      description: current.description,
      state: current.state,
      targetBranch: current.targetBranch,
      headSha: current.headSha ?? snapshot.headSha,
    },
  };
}
