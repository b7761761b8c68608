/**
 * @module
 * Internal: the preamble of the lifecycle workflows — loop guard, target filter, and the dist-git
 * MR paired with a source-git MR, found through GitLab.
 */
import { distGitProjectPath, findMapping } from '../config/find-mapping';
import type { NamespaceMapping } from '../config/service-config';
import type { MergeRequestSnapshot } from '../events/event-refs';
import { isForgeError } from '../forge/forge-error';
import type { ForgeProject } from '../forge/forge-types';
import { findPairing } from '../pairing/find-pairing';
import type { FoundPairing } from '../pairing/find-pairing';
import { forkBranchName } from '../pairing/fork-branch-name';
import { LOOP_GUARD_PREFIX } from './loop-guard';
import { readPackageConfig } from './read-package-config';
import type { WorkflowDeps } from './workflow-deps';

/** Why a source-git MR is not the bot's business, or its pairing. */
export type PairedMergeRequest =
  | { readonly handled: false; readonly reason: string; readonly detail: string }
  | {
      readonly handled: true;
      readonly mapping: NamespaceMapping;
      /** The dist-git project, or `null` when it does not exist. */
      readonly distGit: ForgeProject | null;
      readonly pairing: FoundPairing | null;
    };

/**
 * Applies the loop guard and the target filter to `mr`, then finds its dist-git MR. The package
 * name comes from the source-git configuration at the MR head, or — when that is missing or
 * invalid — from the source-git project's name.
 */
export async function resolvePairedMergeRequest(
  mr: MergeRequestSnapshot,
  sourceProjectId: number,
  deps: WorkflowDeps,
): Promise<PairedMergeRequest> {
  const { forge, config } = deps;
  if (mr.title.startsWith(LOOP_GUARD_PREFIX)) {
    return {
      handled: false,
      reason: 'loop-guard',
      detail: `the bot's own "${LOOP_GUARD_PREFIX}" merge request`,
    };
  }
  const mapping = findMapping(config, mr.project.path, mr.targetBranch);
  if (mapping === null) {
    return {
      handled: false,
      reason: 'not-handled',
      detail: `no mapping handles ${mr.project.path} → ${mr.targetBranch}`,
    };
  }
  const lookup = await readPackageConfig(forge, {
    sourceProjectId,
    targetProjectId: mr.project.id,
    headSha: mr.headSha,
    configPath: config.packageConfigPath,
  });
  const packageName = lookup.ok ? lookup.packageName : (mr.project.path.split('/').at(-1) ?? mr.project.path);
  let distGit: ForgeProject;
  try {
    distGit = await forge.getProject(distGitProjectPath(mapping, packageName));
  } catch (error) {
    if (!isForgeError(error, 'not-found')) throw error;
    return { handled: true, mapping, distGit: null, pairing: null };
  }
  const pairing = await findPairing(
    {
      sourceGit: { projectId: mr.project.id, iid: mr.iid, webUrl: mr.url },
      distGitProject: distGit.id,
      forkBranch: forkBranchName(config.forkBranchTemplate, mr.targetBranch, mr.iid),
    },
    deps,
  );
  return { handled: true, mapping, distGit, pairing };
}
