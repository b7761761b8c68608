/**
 * @module
 * `closeDistGitMergeRequest`: a source-git MR was closed → its dist-git MR is closed (docs/bot-behaviour.md
 * §1.C).
 */
import type { SourceGitMrClosed } from '../events/source-git-mr-event';
import { ensureLifecycleNote } from './lifecycle-note';
import { OutcomeBuilder } from './outcome-builder';
import { resolvePairedMergeRequest } from './resolve-paired-merge-request';
import { setDistGitMergeRequestState } from './set-dist-git-merge-request-state';
import type { WorkflowDeps, WorkflowOptions } from './workflow-deps';
import type { WorkflowOutcome } from './workflow-outcome';
import { refreshMergeRequest } from './refresh-merge-request';

/**
 * Closes the dist-git MR paired with a closed source-git MR, unless it is already closed or
 * merged, and ensures one note on it: `[Source-git MR](url) has been closed.` Without a pairing
 * nothing happens (a closed MR never creates a dist-git MR). If the source-git MR was reopened
 * meanwhile (a stale event), nothing happens either.
 *
 * @example
 * const outcome = await closeDistGitMergeRequest(event, deps);
 * outcome.distGitMr?.state; // 'closed'
 */
export async function closeDistGitMergeRequest(
  event: SourceGitMrClosed,
  deps: WorkflowDeps,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  const { forge } = deps;
  const dryRun = options.dryRun === true;
  const out = new OutcomeBuilder('close-dist-git-merge-request', event.mergeRequest, dryRun);
  const { mr, current } = await refreshMergeRequest(forge, event.mergeRequest);
  out.setSourceGitMr(mr);
  if (current.state !== 'closed')
    return out.ignored('not-closed', `the source-git MR is ${current.state} now`);

  const paired = await resolvePairedMergeRequest(mr, current.sourceProjectId, deps);
  if (!paired.handled) return out.ignored(paired.reason, paired.detail);
  if (paired.pairing === null) return out.ignored('no-pairing', 'no dist-git MR is paired with this MR');
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
    state: 'closed',
    change: distGitMr.state === 'opened',
    dryRun,
  });
  await ensureLifecycleNote(deps, out, {
    distGitMr,
    distGitPath,
    sourceGitMrUrl: mr.url,
    event: 'closed',
    dryRun,
  });
  return out.done(`dist-git MR ${target} is ${dryRun ? 'to be closed' : distGitMr.state}`);
}
