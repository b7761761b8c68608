/**
 * @module
 * `findPairing`: the dist-git MR paired with a source-git MR, found through GitLab.
 */
import type { Forge } from '../forge/forge';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ProjectKey } from '../forge/forge-types';
import type { CoreLogger } from '../workflows/workflow-deps';
import { isLegacyForkBranch } from './fork-branch-name';
import type { PairingCache } from './pairing-cache';
import { isBotForkBranchMr, readBotPairing } from './read-bot-pairing';
import type { BotPairingRule } from './read-bot-pairing';

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
  /** The fork settings the pairing rule checks (see `readBotPairing`). */
  readonly config: { readonly forkBranchTemplate: string; readonly forkNamespace?: string | undefined };
  readonly pairingCache?: PairingCache | undefined;
  /** Told when several MRs qualify and one is picked. */
  readonly logger?: Pick<CoreLogger, 'info' | 'warn'> | undefined;
}

/** How a pairing was found. */
export type PairingSource = 'cache' | 'fork-branch' | 'marker' | 'legacy-branch';

/** A found pairing: the dist-git MR as GitLab has it now. */
export interface FoundPairing {
  readonly distGitMr: ForgeMergeRequest;
  readonly source: PairingSource;
}

/**
 * Finds the dist-git MR paired with a source-git MR, the way docs/architecture.md decision 1 records
 * it. Every candidate must pass `readBotPairing` for this source-git MR — opened by the bot, from
 * a fork branch of this MR in the bot's fork, with the bot's marker naming this MR as the last
 * line of its description — so a marker a contributor copied into their own MR text never counts.
 * In order: (1) a cached pairing, re-read from GitLab and re-checked by the same rule; (2) the
 * bot's MRs from the fork branch, in any state; (3) any of the bot's MRs in the dist-git project
 * (a changed target branch or template); (4) a marker-less bot MR from a legacy `…-src-<iid>`
 * branch of the bot's fork whose description links the source-git MR. An open MR wins over closed
 * or merged ones, then the newest; a choice among several is logged. Returns `null` when there is
 * none. Refreshes the cache on a GitLab hit.
 *
 * @example
 * const found = await findPairing(
 *   { sourceGit: { projectId: 3001, iid: 5, webUrl }, distGitProject: 'rpms/beer', forkBranch: 'c10s-src-5' },
 *   { forge, config },
 * );
 * found?.distGitMr.iid; // 1
 */
export async function findPairing(
  input: FindPairingInput,
  deps: FindPairingDeps,
): Promise<FoundPairing | null> {
  const { forge, pairingCache } = deps;
  const { sourceGit } = input;
  const link = `](${sourceGit.webUrl})`;
  const rule: BotPairingRule = {
    forge,
    bot: await forge.getCurrentUser(),
    forkBranchTemplate: deps.config.forkBranchTemplate,
    forkNamespace: deps.config.forkNamespace,
  };
  const projects = new Map<number, Promise<boolean>>();
  const pairsWithThis = async (mr: ForgeMergeRequest): Promise<boolean> => {
    if (typeof input.distGitProject === 'number' && mr.projectId !== input.distGitProject) return false;
    const paired = await readBotPairing(mr, rule, projects);
    return paired?.projectId === sourceGit.projectId && paired.iid === sourceGit.iid;
  };
  const qualifying = async (candidates: readonly ForgeMergeRequest[]) => {
    const verdicts = await Promise.all(candidates.map(pairsWithThis));
    return candidates.filter((_, index) => verdicts[index] === true);
  };

  const cached = await pairingCache?.get(sourceGit.projectId, sourceGit.iid);
  if (cached !== null && cached !== undefined) {
    try {
      const mr = await forge.getMergeRequest(cached.distGitProjectId, cached.distGitMrIid);
      if (await pairsWithThis(mr)) return { distGitMr: mr, source: 'cache' };
    } catch (error) {
      if (!isForgeError(error, 'not-found')) throw error;
    }
    await pairingCache?.delete(sourceGit.projectId, sourceGit.iid);
  }

  let found: FoundPairing | null = null;
  const fromBranch = await forge.findMergeRequests(input.distGitProject, {
    state: 'all',
    sourceBranch: input.forkBranch,
    authorUsername: rule.bot.username,
  });
  const byBranch = best(await qualifying(fromBranch), input, deps);
  if (byBranch !== undefined) {
    found = { distGitMr: byBranch, source: 'fork-branch' };
  } else {
    const mine = await forge.findMergeRequests(input.distGitProject, {
      state: 'all',
      authorUsername: rule.bot.username,
    });
    const byMarker = best(await qualifying(mine), input, deps);
    if (byMarker !== undefined) {
      found = { distGitMr: byMarker, source: 'marker' };
    } else {
      // The original bot's MRs carry no marker: a legacy branch of this MR and a link to it.
      const legacy = mine.filter(
        (mr) =>
          isLegacyForkBranch(mr.sourceBranch, sourceGit.iid) &&
          !mr.description.includes('<!-- srcgit: source-git-mr') &&
          mr.description.includes(link),
      );
      const verdicts = await Promise.all(
        legacy.map((mr) => isBotForkBranchMr(mr, sourceGit.iid, rule, projects)),
      );
      const byLegacy = best(
        legacy.filter((_, index) => verdicts[index] === true),
        input,
        deps,
      );
      if (byLegacy !== undefined) found = { distGitMr: byLegacy, source: 'legacy-branch' };
    }
  }
  if (found !== null) {
    await pairingCache?.set(sourceGit.projectId, sourceGit.iid, {
      distGitProjectId: found.distGitMr.projectId,
      distGitMrIid: found.distGitMr.iid,
    });
  }
  return found;
}

/**
 * The open MR if there is one, else the newest (highest iid); a choice among several is logged
 * (a closed MR and its `--recreate` replacement is normal; several open ones are a warning).
 */
function best(
  candidates: readonly ForgeMergeRequest[],
  input: FindPairingInput,
  deps: FindPairingDeps,
): ForgeMergeRequest | undefined {
  const sorted = [...candidates].sort((a, b) => b.iid - a.iid);
  const open = sorted.filter((mr) => mr.state === 'opened');
  const chosen = open[0] ?? sorted[0];
  if (sorted.length > 1) {
    const fields = {
      sourceGitProjectId: input.sourceGit.projectId,
      sourceGitMrIid: input.sourceGit.iid,
      candidates: sorted.map((mr) => `!${mr.iid} (${mr.state})`),
      chosen: chosen?.iid,
    };
    if (open.length > 1) {
      deps.logger?.warn(
        'several open dist-git MRs are paired with one source-git MR; using the newest',
        fields,
      );
    } else {
      deps.logger?.info(
        'several dist-git MRs are paired with one source-git MR; using the open or newest one',
        fields,
      );
    }
  }
  return chosen;
}
