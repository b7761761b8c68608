/**
 * Reads of the simulator's state that the end-to-end tests assert on.
 */
import { runGit } from '@srcgit/test-fixtures';
import type { GitLabSimulator, SimMergeRequest, SimNote, SimProject } from '@srcgit/test-fixtures';
import type { BotHarness } from './bot-harness';

/** A project, or `null` when the simulator has none at `path`. */
export function projectOrNull(sim: GitLabSimulator, path: string): Readonly<SimProject> | null {
  try {
    return sim.project(path);
  } catch {
    return null;
  }
}

/** The dist-git MRs (any state) coming from the bot's fork branch of source-git MR `sgIid`. */
export function distGitMergeRequestsFor(
  bot: BotHarness,
  sgIid: number,
  dgBranch = 'c10s',
): Readonly<SimMergeRequest>[] {
  return bot.sim
    .mergeRequests({ project: bot.world.projects.distGit })
    .filter((mr) => mr.sourceBranch === `${dgBranch}-src-${sgIid}`);
}

/** Notes written by users (not system notes) on an MR. */
export function userNotes(bot: BotHarness, project: number, iid: number): Readonly<SimNote>[] {
  return bot.sim.notes(project, iid).filter((note) => !note.system);
}

/** The full message of the tip of `branch` in the bot's dist-git fork. */
export async function forkBranchMessage(bot: BotHarness, branch: string): Promise<string> {
  const fork = bot.sim.project(`${bot.world.users.bot.username}/beer`);
  return runGit(['log', '-1', '--format=%B', `refs/heads/${branch}`], { cwd: bot.sim.repositoryPath(fork) });
}
