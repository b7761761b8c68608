/**
 * @module
 * `reopenDistGitMergeRequest`: a source-git MR was reopened → its dist-git MR is reopened and, if
 * the source-git head moved, re-synced (docs/bot-behaviour.md §1.C).
 */
import type { SourceGitMrReopened } from '../events/source-git-mr-event';
import type { Forge } from '../forge/forge';
import type { ForgeMergeRequest } from '../forge/forge-types';
import { ensureLifecycleNote } from './lifecycle-note';
import { OutcomeBuilder } from './outcome-builder';
import { resolvePairedMergeRequest } from './resolve-paired-merge-request';
import { setDistGitMergeRequestState } from './set-dist-git-merge-request-state';
import { syncSourceGitMergeRequest } from './sync-source-git-merge-request';
import { sourceGitCommitOf } from './tested-source-git-commit';
import type { WorkflowDeps, WorkflowOptions } from './workflow-deps';
import type { WorkflowOutcome } from './workflow-outcome';
import { refreshMergeRequest } from './refresh-merge-request';

/**
 * Reopens the dist-git MR paired with a reopened source-git MR when it is closed (a merged one
 * stays merged), ensures one note `[Source-git MR](url) has been reopened.`, and re-syncs when the
 * source-git head differs from the one the dist-git MR was last synced from (its head commit's
 * `From-source-git-commit` trailer). Without a pairing, this is the natural moment to create the
 * dist-git MR: it runs `syncSourceGitMergeRequest`.
 *
 * @example
 * const outcome = await reopenDistGitMergeRequest(event, deps);
 * outcome.distGitMr?.state; // 'opened'
 */
export async function reopenDistGitMergeRequest(
  event: SourceGitMrReopened,
  deps: WorkflowDeps,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  const { forge } = deps;
  const dryRun = options.dryRun === true;
  const out = new OutcomeBuilder('reopen-dist-git-merge-request', event.mergeRequest, dryRun);
  const { mr, current } = await refreshMergeRequest(forge, event.mergeRequest);
  out.setSourceGitMr(mr);
  if (mr.state !== 'opened') return out.ignored('not-open', `the source-git MR is ${mr.state} now`);
  const paired = await resolvePairedMergeRequest(mr, current.sourceProjectId, deps);
  if (!paired.handled) return out.ignored(paired.reason, paired.detail);
  if (paired.pairing === null) return syncSourceGitMergeRequest({ mergeRequest: mr }, deps, options);

  let distGitMr = paired.pairing.distGitMr;
  const distGitPath = paired.distGit?.path ?? String(distGitMr.projectId);
  out.setDistGitMr(distGitMr, distGitPath);
  const target = `${distGitPath}!${distGitMr.iid}`;
  if (distGitMr.state === 'merged') {
    return out.ignored('dist-git-mr-merged', `dist-git MR !${distGitMr.iid} is already merged`);
  }
  distGitMr = await setDistGitMergeRequestState(forge, out, {
    distGitMr,
    distGitPath,
    state: 'opened',
    change: distGitMr.state !== 'opened',
    dryRun,
  });
  await ensureLifecycleNote(deps, out, {
    distGitMr,
    distGitPath,
    sourceGitMrUrl: mr.url,
    event: 'reopened',
    dryRun,
  });

  const synced = await lastSyncedSourceGitSha(forge, distGitMr);
  if (synced !== mr.headSha) {
    const resync = await syncSourceGitMergeRequest({ mergeRequest: mr }, deps, options);
    for (const action of resync.actions) out.action(action);
    if (resync.plan !== null) out.setPlan(resync.plan);
    if (resync.result === 'user-error' || resync.result === 'ignored') return resync;
    return out.done(`reopened ${target} and re-synced it to ${mr.headSha.slice(0, 12)}`);
  }
  return out.done(`dist-git MR ${target} is ${distGitMr.state}`);
}

/** The source-git commit the dist-git MR's head was converted from, if its trailer says. */
async function lastSyncedSourceGitSha(forge: Forge, distGitMr: ForgeMergeRequest): Promise<string | null> {
  if (distGitMr.headSha === null) return null;
  const commit = await forge.getCommit(distGitMr.projectId, distGitMr.headSha);
  return sourceGitCommitOf(commit.message);
}
