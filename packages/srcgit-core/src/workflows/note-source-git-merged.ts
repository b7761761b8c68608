/**
 * @module
 * `noteSourceGitMerged`: a source-git MR was merged → a note on its dist-git MR (docs/bot-behaviour.md §1.C).
 */
import type { SourceGitMrMerged } from '../events/source-git-mr-event';
import { ensureLifecycleNote } from './lifecycle-note';
import { OutcomeBuilder } from './outcome-builder';
import { resolvePairedMergeRequest } from './resolve-paired-merge-request';
import type { WorkflowDeps, WorkflowOptions } from './workflow-deps';
import type { WorkflowOutcome } from './workflow-outcome';
import { refreshMergeRequest } from './refresh-merge-request';

/**
 * Ensures one note on the dist-git MR paired with a merged source-git MR:
 * `[Source-git MR](url) has been merged.` The dist-git MR is neither closed nor merged: dist-git
 * is authoritative and its maintainers decide. Without a pairing nothing happens.
 *
 * @example
 * const outcome = await noteSourceGitMerged(event, deps);
 * outcome.result; // 'noted'
 */
export async function noteSourceGitMerged(
  event: SourceGitMrMerged,
  deps: WorkflowDeps,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  const dryRun = options.dryRun === true;
  const out = new OutcomeBuilder('note-source-git-merged', event.mergeRequest, dryRun);
  const { mr, current } = await refreshMergeRequest(deps.forge, event.mergeRequest);
  out.setSourceGitMr(mr);
  const paired = await resolvePairedMergeRequest(mr, current.sourceProjectId, deps);
  if (!paired.handled) return out.ignored(paired.reason, paired.detail);
  if (paired.pairing === null) return out.ignored('no-pairing', 'no dist-git MR is paired with this MR');
  const distGitMr = paired.pairing.distGitMr;
  const distGitPath = paired.distGit?.path ?? String(distGitMr.projectId);
  out.setDistGitMr(distGitMr, distGitPath);
  await ensureLifecycleNote(deps, out, {
    distGitMr,
    distGitPath,
    sourceGitMrUrl: mr.url,
    event: 'merged',
    dryRun,
  });
  return out.done(`noted the merge on dist-git MR ${distGitPath}!${distGitMr.iid}`);
}
