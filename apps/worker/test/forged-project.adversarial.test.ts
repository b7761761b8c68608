/**
 * Adversarial: a webhook token is bound to a project's path, but the workflows act by numeric
 * project id. An attacker holding a packit JWT for their own project `src/stout` sends a
 * self-consistent "MR opened" delivery in which every path names `src/stout` while every id is
 * the victim's `src/beer`. End to end — the real webhook server accepts it (the token and the
 * payload agree), the real worker reads project `src/beer` by id, sees that it is not
 * `src/stout`, and does nothing: no dist-git MR, no note, a log line `unverified-project`.
 * GitLab's own delivery of the same event, re-sent afterwards, is not taken for a duplicate of the
 * forged one, and is synced as usual.
 */
import { privateRedisUrl } from '@srcgit/test-fixtures';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor, userNotes } from './support/bot-assertions';

const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
const JWT_SECRET = 'e2e-packit-jwt-secret-of-at-least-32-bytes';
const ATTACKER_PATH = 'src/stout';
const SLOW = { timeout: 240_000 };

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness({
    redisUrl: privateRedisUrl(),
    systemEnv,
    env: { GITLAB_TOKEN_SECRET: JWT_SECRET },
  });
}, 120_000);
afterAll(async () => {
  await bot.close();
});

type Json = Record<string, unknown>;

/** `value` with every string naming the victim's path (in URLs too) renamed to the attacker's. */
function renamePaths(value: unknown, victimPath: string): unknown {
  if (typeof value === 'string') return value.split(victimPath).join(ATTACKER_PATH);
  if (Array.isArray(value)) return value.map((item) => renamePaths(item, victimPath));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renamePaths(item, victimPath)]),
    );
  }
  return value;
}

async function deliverMergeRequestHook(payload: Json, token: string): Promise<number> {
  const response = await fetch(bot.webhookUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Gitlab-Event': 'Merge Request Hook',
      'X-Gitlab-Token': token,
      'X-Gitlab-Webhook-UUID': crypto.randomUUID(),
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify(payload),
  });
  return response.status;
}

describe('a forged project id, end to end', () => {
  it(
    "an MR-opened delivery with the attacker's path and the victim's project id does nothing",
    SLOW,
    async () => {
      const { sim, world } = bot;
      const victim = world.projects.sourceGit;
      const victimPath = victim.pathWithNamespace;
      // The attacker's own project in the mapped namespace, for which they hold a JWT.
      await sim.createProject({ namespace: 'src', path: 'stout', defaultBranch: world.branch });
      const token = await new SignJWT({ namespace: 'src', repo_name: 'stout' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(JWT_SECRET));

      // The victim's MR, opened while the bot was not listening: GitLab's own delivery was lost.
      await bot.server.stop('SIGTERM');
      const mr = await bot.openMergeRequest({
        branch: 'victim-change',
        files: { 'victim.txt': 'victim\n' },
        title: 'A change of the victim project',
      });
      await sim.settled();
      bot.server = await bot.startServer();
      const genuine = sim
        .deliveries({ event: 'Merge Request Hook' })
        .find((delivery) => (delivery.payload['object_attributes'] as Json)['iid'] === mr.iid);
      if (genuine === undefined) throw new Error(`no Merge Request Hook for !${mr.iid}`);

      const forged = renamePaths(structuredClone(genuine.payload), victimPath) as Json;
      expect((forged['project'] as Json)['path_with_namespace']).toBe(ATTACKER_PATH);
      expect((forged['project'] as Json)['id']).toBe(victim.id);
      expect(await deliverMergeRequestHook(forged, token)).toBe(202);
      await bot.idle();

      await bot.worker.waitForLine((line) => line['reason'] === 'unverified-project');
      expect(distGitMergeRequestsFor(bot, mr.iid)).toEqual([]);
      expect(userNotes(bot, victim.id, mr.iid)).toEqual([]);

      // GitLab re-sends its lost delivery of the very same event: the forged copy (another path,
      // the same ids) claimed no key of it, so it is queued, verified and synced.
      sim.redeliver(genuine.id);
      await sim.settled();
      await bot.idle();
      expect(distGitMergeRequestsFor(bot, mr.iid)).toHaveLength(1);
    },
  );
});
