/**
 * @module
 * A merge request as GitLab has it now, in the shape the workflows take.
 */
import type { MergeRequestSnapshot } from '../events/event-refs';
import type { Forge } from '../forge/forge';
import type { ForgeMergeRequest, ForgeProject } from '../forge/forge-types';

/**
 * The snapshot of `current` (read from the forge) with its target and source projects read by
 * id, so that every field comes from the forge and none from a webhook payload.
 *
 * @example
 * const current = await forge.getMergeRequest(projectId, iid);
 * if (current.headSha !== null) run(await toMergeRequestSnapshot(forge, { ...current, headSha: current.headSha }));
 */
export async function toMergeRequestSnapshot(
  forge: Pick<Forge, 'getProject'>,
  current: ForgeMergeRequest & { readonly headSha: string },
): Promise<MergeRequestSnapshot> {
  const [project, sourceProject] = await Promise.all([
    forge.getProject(current.projectId),
    forge.getProject(current.sourceProjectId),
  ]);
  return {
    id: current.id,
    iid: current.iid,
    url: current.webUrl,
    title: current.title,
    description: current.description,
    state: current.state,
    draft: current.draft,
    project: projectRef(project),
    sourceProject: projectRef(sourceProject),
    sourceBranch: current.sourceBranch,
    targetBranch: current.targetBranch,
    headSha: current.headSha,
  };
}

function projectRef(project: ForgeProject): MergeRequestSnapshot['project'] {
  return { id: project.id, path: project.path, webUrl: project.webUrl };
}
