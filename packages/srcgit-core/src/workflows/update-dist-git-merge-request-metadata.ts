/**
 * @module
 * `updateDistGitMergeRequestMetadata`: a source-git MR's title or description was edited → the
 * dist-git MR follows (docs/bot-behaviour.md §1.B, metadata rows).
 */
import type { SourceGitMrUpdated } from '../events/source-git-mr-event';
import { renderDistGitMrDescription, renderDistGitMrTitle } from '../templates/dist-git-texts';
import { appendMarker, sourceGitMrMarker } from '../templates/markers';
import { OutcomeBuilder } from './outcome-builder';
import { resolvePairedMergeRequest } from './resolve-paired-merge-request';
import { syncSourceGitMergeRequest } from './sync-source-git-merge-request';
import type { WorkflowDeps, WorkflowOptions } from './workflow-deps';
import type { WorkflowOutcome } from './workflow-outcome';
import { refreshMergeRequest } from './refresh-merge-request';

/**
 * For a metadata-only update of a source-git MR: re-renders the dist-git MR's title and
 * description (template of §1.A, pairing marker kept) and `PUT`s what differs — no note, no git.
 * Identity is the pairing, never the title, so a title edit never creates a second MR. Updates
 * that change neither (labels, assignees, mergeability, …) write nothing.
 *
 * A changed target branch re-syncs onto the new dist-git branch (`syncSourceGitMergeRequest`,
 * which also moves the dist-git MR's target branch). Without a pairing, an open and handled MR is
 * synced — the "self-healing create" of §1.B.
 *
 * @example
 * const outcome = await updateDistGitMergeRequestMetadata(event, deps);
 * outcome.actions; // [{ kind: 'merge-request-metadata', outcome: 'updated', target: 'rpms/beer!1', … }]
 */
export async function updateDistGitMergeRequestMetadata(
  event: SourceGitMrUpdated,
  deps: WorkflowDeps,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  const { forge } = deps;
  const dryRun = options.dryRun === true;
  const out = new OutcomeBuilder('update-dist-git-merge-request-metadata', event.mergeRequest, dryRun);

  const { mr, current } = await refreshMergeRequest(forge, event.mergeRequest);
  out.setSourceGitMr(mr);
  const paired = await resolvePairedMergeRequest(mr, current.sourceProjectId, deps);
  if (!paired.handled) return out.ignored(paired.reason, paired.detail);
  if (paired.pairing === null || event.changes.targetBranch !== undefined) {
    if (mr.state !== 'opened') return out.ignored('no-pairing', 'no dist-git MR is paired with this MR');
    return syncSourceGitMergeRequest({ mergeRequest: mr }, deps, options);
  }
  const distGitMr = paired.pairing.distGitMr;
  const distGitPath = paired.distGit?.path ?? String(distGitMr.projectId);
  out.setDistGitMr(distGitMr, distGitPath);
  if (event.changes.title === undefined && event.changes.description === undefined) {
    return out.ignored('no-metadata-change', 'neither the title nor the description changed');
  }
  if (distGitMr.state === 'merged') {
    return out.ignored('dist-git-mr-merged', `dist-git MR !${distGitMr.iid} is already merged`);
  }

  const texts = {
    title: mr.title,
    description: mr.description,
    sourceGitMrUrl: mr.url,
    addRunPipelineHint: paired.mapping.addRunPipelineHint,
  };
  const title = renderDistGitMrTitle(texts);
  const description = appendMarker(
    renderDistGitMrDescription(texts),
    sourceGitMrMarker(mr.project.id, mr.iid),
  );
  const differs = distGitMr.title !== title || distGitMr.description !== description;
  const target = `${distGitPath}!${distGitMr.iid}`;
  if (!differs) {
    out.action({
      kind: 'merge-request-metadata',
      outcome: 'unchanged',
      target,
      url: distGitMr.webUrl,
      detail: null,
    });
    return out.done('dist-git MR title and description already match');
  }
  if (dryRun) {
    out.action({
      kind: 'merge-request-metadata',
      outcome: 'planned',
      target,
      url: distGitMr.webUrl,
      detail: title,
    });
    return out.done(`would update the title and description of ${target}`);
  }
  const updated = await forge.updateMergeRequest(distGitMr.projectId, distGitMr.iid, { title, description });
  out.setDistGitMr(updated, distGitPath);
  out.action({
    kind: 'merge-request-metadata',
    outcome: 'updated',
    target,
    url: updated.webUrl,
    detail: title,
  });
  return out.done(`updated the title and description of ${target}`);
}
