/**
 * @module
 * Internal: moves a dist-git MR to `opened` or `closed` when `change` is true, dry-run aware,
 * recording the action (planned / updated / unchanged) in the workflow's outcome.
 */
import type { Forge } from '../forge/forge';
import type { ForgeMergeRequest } from '../forge/forge-types';
import type { OutcomeBuilder } from './outcome-builder';

export interface SetDistGitMergeRequestStateInput {
  readonly distGitMr: ForgeMergeRequest;
  readonly distGitPath: string;
  readonly state: 'opened' | 'closed';
  /** Whether the MR must move (decided by the workflow from its current state). */
  readonly change: boolean;
  readonly dryRun: boolean;
}

/** Returns the dist-git MR as it is afterwards (unchanged in a dry run). */
export async function setDistGitMergeRequestState(
  forge: Forge,
  out: OutcomeBuilder,
  input: SetDistGitMergeRequestStateInput,
): Promise<ForgeMergeRequest> {
  const { distGitPath, state, dryRun } = input;
  let distGitMr = input.distGitMr;
  const target = `${distGitPath}!${distGitMr.iid}`;
  if (!input.change) {
    out.action({
      kind: 'merge-request-state',
      outcome: 'unchanged',
      target,
      url: distGitMr.webUrl,
      detail: distGitMr.state,
    });
    return distGitMr;
  }
  if (dryRun) {
    out.action({
      kind: 'merge-request-state',
      outcome: 'planned',
      target,
      url: distGitMr.webUrl,
      detail: state,
    });
    return distGitMr;
  }
  distGitMr = await forge.updateMergeRequest(distGitMr.projectId, distGitMr.iid, { state });
  out.setDistGitMr(distGitMr, distGitPath);
  out.action({
    kind: 'merge-request-state',
    outcome: 'updated',
    target,
    url: distGitMr.webUrl,
    detail: state,
  });
  return distGitMr;
}
