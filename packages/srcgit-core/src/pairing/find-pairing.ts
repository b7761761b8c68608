/**
 * @module
 * `findPairing`: the dist-git MR paired with a source-git MR, found through GitLab.
 */
import type { Forge } from '../forge/forge';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ProjectKey } from '../forge/forge-types';
import { sourceGitMrMarker } from '../templates/markers';
import { isLegacyForkBranch } from './fork-branch-name';
import type { PairingCache } from './pairing-cache';

/** Input of {@link findPairing}. */
export interface FindPairingInput {
  /** The source-git MR: its target project's numeric id, its iid and web URL. */
  readonly sourceGit: { readonly projectId: number; readonly iid: number; readonly webUrl: string };
  /** The dist-git project the pairing lives in. */
  readonly distGitProject: ProjectKey;
  /** The fork branch the dist-git MR comes from (see `forkBranchName`). */
  readonly forkBranch: string;
}

/** What {@link findPairing} needs. */
export interface FindPairingDeps {
  readonly forge: Forge;
  readonly pairingCache?: PairingCache | undefined;
}

/** How a pairing was found. */
export type PairingSource = 'cache' | 'fork-branch' | 'marker' | 'legacy-branch';

/** A found pairing: the dist-git MR as GitLab has it now. */
export interface FoundPairing {
  readonly distGitMr: ForgeMergeRequest;
  readonly source: PairingSource;
}

/**
 * Finds the dist-git MR paired with a source-git MR, the way architecture.md decision 1 records
 * it: (1) a cached pairing, verified against GitLab; (2) the bot's MRs from the fork branch, in any
 * state, carrying the source-git marker; (3) any of the bot's MRs in the dist-git project carrying
 * the marker (a changed target branch); (4) a bot MR from a legacy `…-src-<iid>` branch whose
 * description links the source-git MR. An open MR wins over closed or merged ones, then the newest.
 * Returns `null` when there is none. Refreshes the cache on a GitLab hit.
 *
 * @example
 * const found = await findPairing(
 *   { sourceGit: { projectId: 3001, iid: 5, webUrl }, distGitProject: 'rpms/beer', forkBranch: 'c10s-src-5' },
 *   { forge },
 * );
 * found?.distGitMr.iid; // 1
 */
export async function findPairing(
  input: FindPairingInput,
  deps: FindPairingDeps,
): Promise<FoundPairing | null> {
  const { forge, pairingCache } = deps;
  const { sourceGit } = input;
  const marker = sourceGitMrMarker(sourceGit.projectId, sourceGit.iid);
  const link = `](${sourceGit.webUrl})`;

  const cached = await pairingCache?.get(sourceGit.projectId, sourceGit.iid);
  if (cached !== null && cached !== undefined) {
    try {
      const mr = await forge.getMergeRequest(cached.distGitProjectId, cached.distGitMrIid);
      if (mr.description.includes(marker)) return { distGitMr: mr, source: 'cache' };
    } catch (error) {
      if (!isForgeError(error, 'not-found')) throw error;
    }
    await pairingCache?.delete(sourceGit.projectId, sourceGit.iid);
  }

  const bot = await forge.getCurrentUser();
  let found: FoundPairing | null = null;
  const fromBranch = await forge.findMergeRequests(input.distGitProject, {
    state: 'all',
    sourceBranch: input.forkBranch,
    authorUsername: bot.username,
  });
  const byBranch = best(fromBranch.filter((mr) => mr.description.includes(marker)));
  if (byBranch !== undefined) {
    found = { distGitMr: byBranch, source: 'fork-branch' };
  } else {
    const mine = await forge.findMergeRequests(input.distGitProject, {
      state: 'all',
      authorUsername: bot.username,
    });
    const byMarker = best(mine.filter((mr) => mr.description.includes(marker)));
    const byLegacy = best(
      mine.filter(
        (mr) => isLegacyForkBranch(mr.sourceBranch, sourceGit.iid) && mr.description.includes(link),
      ),
    );
    if (byMarker !== undefined) found = { distGitMr: byMarker, source: 'marker' };
    else if (byLegacy !== undefined) found = { distGitMr: byLegacy, source: 'legacy-branch' };
  }
  if (found !== null) {
    await pairingCache?.set(sourceGit.projectId, sourceGit.iid, {
      distGitProjectId: found.distGitMr.projectId,
      distGitMrIid: found.distGitMr.iid,
    });
  }
  return found;
}

/** The open MR if there is one, else the newest (highest iid). */
function best(candidates: readonly ForgeMergeRequest[]): ForgeMergeRequest | undefined {
  const sorted = [...candidates].sort((a, b) => b.iid - a.iid);
  return sorted.find((mr) => mr.state === 'opened') ?? sorted[0];
}
