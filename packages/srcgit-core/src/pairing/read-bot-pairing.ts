/**
 * @module
 * `readBotPairing`: the one rule by which a dist-git MR counts as the bot's pairing of a
 * source-git MR — used by every pairing lookup and by the pipeline report.
 */
import type { Forge } from '../forge/forge';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ForgeUser } from '../forge/forge-types';
import { parseSourceGitMrMarker } from '../templates/markers';
import { isForkBranchOf } from './fork-branch-name';

/** The source-git MR a dist-git MR is paired with. */
export interface PairedSourceGitMr {
  readonly projectId: number;
  readonly iid: number;
}

/** What {@link readBotPairing} checks a dist-git MR against. */
export interface BotPairingRule {
  readonly forge: Forge;
  /** The bot's account (`forge.getCurrentUser()`). */
  readonly bot: ForgeUser;
  /** The fork branch template of the configuration (`forkBranchTemplate`). */
  readonly forkBranchTemplate: string;
  /** The namespace of the bot's forks (`forkNamespace`); the bot's user namespace is always one. */
  readonly forkNamespace?: string | undefined;
}

/**
 * The source-git MR that dist-git MR `mr` is paired with, or `null` when it is not a pairing
 * the bot made. All of these must hold:
 * - the MR was opened by the bot (`authorUsername` is the bot's);
 * - its description names the source-git MR by the bot's marker, as its last line and its only
 *   pairing marker (`parseSourceGitMrMarker`; contributor text never keeps a marker);
 * - its source branch is a fork branch of that source-git MR (`isForkBranchOf`);
 * - its source project is the bot's fork of the MR's target project: a fork of it, in the bot's
 *   user namespace or the configured fork namespace.
 *
 * A marker a contributor writes into their MR text therefore pairs nothing, whichever MR it names.
 * `projects` memoizes the source-project reads of one lookup (many candidates share one fork).
 *
 * @example
 * const paired = await readBotPairing(distGitMr, { forge, bot, forkBranchTemplate: '{dgBranch}-src-{sgIid}' });
 * paired; // { projectId: 3001, iid: 5 }
 */
export async function readBotPairing(
  mr: ForgeMergeRequest,
  rule: BotPairingRule,
  projects: Map<number, Promise<boolean>> = new Map(),
): Promise<PairedSourceGitMr | null> {
  const marker = parseSourceGitMrMarker(mr.description);
  if (marker === null) return null;
  return (await isBotForkBranchMr(mr, marker.iid, rule, projects)) ? marker : null;
}

/**
 * Whether `mr` was opened by the bot from a fork branch of source-git MR `sourceGitIid` in the
 * bot's fork of the MR's target project — {@link readBotPairing} without the marker (the
 * legacy pairings of the original bot carry none).
 */
export async function isBotForkBranchMr(
  mr: ForgeMergeRequest,
  sourceGitIid: number,
  rule: BotPairingRule,
  projects: Map<number, Promise<boolean>> = new Map(),
): Promise<boolean> {
  if (mr.authorUsername !== rule.bot.username) return false;
  if (!isForkBranchOf(rule.forkBranchTemplate, mr.sourceBranch, sourceGitIid)) return false;
  let isBotFork = projects.get(mr.sourceProjectId);
  if (isBotFork === undefined) {
    isBotFork = isBotForkOf(rule, mr.sourceProjectId, mr.projectId);
    projects.set(mr.sourceProjectId, isBotFork);
  }
  return isBotFork;
}

/** Whether project `sourceProjectId` is the bot's fork of project `targetProjectId`. */
async function isBotForkOf(
  rule: BotPairingRule,
  sourceProjectId: number,
  targetProjectId: number,
): Promise<boolean> {
  if (sourceProjectId === targetProjectId) return false;
  try {
    const source = await rule.forge.getProject(sourceProjectId);
    const namespaces = [rule.bot.username, rule.forkNamespace].filter((name) => name !== undefined);
    return source.forkedFrom?.id === targetProjectId && namespaces.includes(source.namespacePath);
  } catch (error) {
    if (isForgeError(error, 'not-found', 'permission')) return false;
    throw error;
  }
}
