/**
 * @module
 * `reconcileRepairEvent`: the source-git MR event that repairs a drift — the event a webhook would
 * have delivered, queued like one (docs/bot-behaviour.md §1.H).
 */
import type { Actor, MergeRequestSnapshot, ProjectRef } from '../events/event-refs';
import type { SourceGitMrEvent } from '../workflows/run-source-git-mr-workflow';
import type { ReconcileDriftKind, ReconcilePair } from './find-reconcile-drift';

/** The projects of the source-git MR (read from the forge by the caller). */
export interface ReconcileProjects {
  /** The MR's target project. */
  readonly project: ProjectRef;
  /** The project holding its source branch (a fork, or the target itself). */
  readonly sourceProject: ProjectRef;
}

/**
 * The event to queue for `drift` found in `pair`, or `null` when there is none to repair. The
 * worker runs a source-git MR event by reading the MR from the forge and running, in order, the
 * workflows that bring dist-git in line with it from the MR the event carries (the same path a
 * burst of collapsed webhooks takes). So the event carries the MR **as dist-git last mirrored
 * it** — the head its trailer names, the title and description it shows — and the worker's
 * comparison with the MR as it is now starts exactly the missing workflows:
 * - `source-git-closed` → `source-git-mr-closed`; `source-git-merged` → `source-git-mr-merged`;
 * - `missing-dist-git-mr` → `source-git-mr-opened` (a sync creates the dist-git MR);
 * - `dist-git-mr-closed` → `source-git-mr-reopened` (reopens, re-syncs a moved head);
 * - `head` and/or `metadata` → `source-git-mr-updated` from the mirrored MR: a sync when the head
 *   differs, a metadata update when the title or description does.
 *
 * Every workflow is idempotent, so a late webhook for the same change writes nothing more.
 *
 * @example
 * const event = reconcileRepairEvent(pair, ['head'], projects, { username: 'srcgit-bot', id: 7 });
 * event?.kind; // 'source-git-mr-updated'
 */
export function reconcileRepairEvent(
  pair: ReconcilePair,
  drift: readonly ReconcileDriftKind[],
  projects: ReconcileProjects,
  actor: Actor,
): SourceGitMrEvent | null {
  const current = currentSnapshot(pair, projects);
  if (current === null || drift.length === 0) return null;
  if (drift.includes('source-git-closed')) {
    return { kind: 'source-git-mr-closed', actor, mergeRequest: current };
  }
  if (drift.includes('source-git-merged')) {
    return { kind: 'source-git-mr-merged', actor, mergeRequest: current, mergeCommitSha: null };
  }
  if (drift.includes('missing-dist-git-mr')) {
    return { kind: 'source-git-mr-opened', actor, mergeRequest: current };
  }
  const mirrored = mirroredSnapshot(pair, drift, current);
  if (drift.includes('dist-git-mr-closed')) {
    return { kind: 'source-git-mr-reopened', actor, mergeRequest: mirrored };
  }
  return {
    kind: 'source-git-mr-updated',
    actor,
    mergeRequest: mirrored,
    oldrev: null,
    changes: {},
    otherChangedFields: [],
  };
}

/** The source-git MR as it is now, or `null` when the forge reported no head. */
function currentSnapshot(pair: ReconcilePair, projects: ReconcileProjects): MergeRequestSnapshot | null {
  const mr = pair.sourceGit;
  if (mr.headSha === null) return null;
  return {
    id: mr.id,
    iid: mr.iid,
    url: mr.webUrl,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    draft: mr.draft,
    project: projects.project,
    sourceProject: projects.sourceProject,
    sourceBranch: mr.sourceBranch,
    targetBranch: mr.targetBranch,
    headSha: mr.headSha,
  };
}

/**
 * The source-git MR as its dist-git MR mirrors it: the synced head (or the dist-git head when
 * the trailer is missing: any commit that is not the MR's head starts a sync) when the head
 * drifted, the dist-git title and description when the metadata did.
 */
function mirroredSnapshot(
  pair: ReconcilePair,
  drift: readonly ReconcileDriftKind[],
  current: MergeRequestSnapshot,
): MergeRequestSnapshot {
  if (pair.distGit.kind !== 'found') return current;
  const partner = pair.distGit.mergeRequest;
  const mirroredHead = pair.distGit.syncedSourceGitSha ?? partner.headSha;
  return {
    ...current,
    ...(drift.includes('head') && mirroredHead !== null && mirroredHead !== current.headSha
      ? { headSha: mirroredHead }
      : {}),
    ...(drift.includes('metadata') ? { title: partner.title, description: partner.description } : {}),
  };
}
