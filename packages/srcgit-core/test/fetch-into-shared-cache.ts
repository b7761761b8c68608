/**
 * @module
 * A worker replica's use of the repository cache, as its own process: `rounds` times, checks out
 * an MR head of `remote` through a workspace on the shared `workDir`. Its git runner makes every
 * fetch into the cache slow (`holdMs`) and records, through an exclusive marker file next to the
 * cache, any moment when another process was fetching into the same cache at once.
 *
 * Usage: `node --import tsx fetch-into-shared-cache.ts <workDir> <remoteUrl> <ref> <rounds> <holdMs>`
 */
import { appendFile, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGitRunner } from '@srcgit/dist-git-converter';
import type { GitRunner, GitRunOptions } from '@srcgit/dist-git-converter';
import { createGitWorkspace } from '../src/workspace/create-git-workspace';

const [workDir = '', remoteUrl = '', ref = '', rounds = '1', holdMs = '0'] = process.argv.slice(2);
const log = join(workDir, 'replica-log');
const real = createGitRunner();

/** Runs `git fetch` into a cache as a slow holder that notices any concurrent fetch. */
async function slowFetch<T>(
  args: readonly string[],
  options: GitRunOptions,
  run: () => Promise<T>,
): Promise<T> {
  if (args[0] !== 'fetch' || !options.cwd.endsWith('.git')) return run();
  const marker = `${options.cwd}.fetching`;
  const handle = await open(marker, 'wx').catch(async () => {
    await appendFile(log, `overlap pid ${process.pid}\n`);
    return undefined;
  });
  await handle?.close();
  try {
    await sleep(Number(holdMs));
    return await run();
  } finally {
    if (handle !== undefined) await unlink(marker);
  }
}

const git: GitRunner = {
  run: (args, options) => slowFetch(args, options, () => real.run(args, options)),
  text: (args, options) => slowFetch(args, options, () => real.text(args, options)),
};

// Heartbeat and staleness far below the hold time, and git lock files "stale" at once: without a
// cross-process lock that a live holder keeps, the replicas would take the cache from each other.
const workspace = createGitWorkspace({
  workDir,
  git,
  staleLockMs: 0,
  lockHeartbeatMs: 50,
  lockStaleMs: 1_000,
});
for (let round = 0; round < Number(rounds); round += 1) {
  const job = await workspace.openJob(`replica-${process.pid}-${round}`);
  try {
    const checkout = await job.checkoutSourceGit({
      cacheKey: 'sg-shared',
      remote: { url: remoteUrl },
      ref,
      tags: true,
    });
    await appendFile(log, `checked out ${checkout.headSha} pid ${process.pid}\n`);
  } finally {
    await job.dispose();
  }
}
