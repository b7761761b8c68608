/**
 * @module
 * Core's `PairingCache` port on Redis: saves pairing lookups; GitLab stays the record.
 */
import type { CachedPairing, PairingCache } from '@srcgit/core';
import type { Redis } from 'ioredis';

/**
 * A pairing cache in Redis under `<prefix><sgProjectId>-<sgIid>`, kept for `ttlSeconds`. A Redis
 * failure is treated as a miss (reads) or ignored (writes): losing the cache loses nothing.
 *
 * @example
 * const pairingCache = createRedisPairingCache(redis, 'srcgit:pairing:', 30 * 86_400);
 */
export function createRedisPairingCache(redis: Redis, prefix: string, ttlSeconds: number): PairingCache {
  const key = (projectId: number, iid: number): string => `${prefix}${projectId}-${iid}`;
  return {
    async get(projectId, iid) {
      try {
        const text = await redis.get(key(projectId, iid));
        if (text === null) return null;
        const value = JSON.parse(text) as Partial<CachedPairing>;
        return typeof value.distGitProjectId === 'number' && typeof value.distGitMrIid === 'number'
          ? { distGitProjectId: value.distGitProjectId, distGitMrIid: value.distGitMrIid }
          : null;
      } catch {
        return null;
      }
    },
    async set(projectId, iid, pairing) {
      try {
        await redis.set(key(projectId, iid), JSON.stringify(pairing), 'EX', ttlSeconds);
      } catch {
        // A cache that cannot be written is only slower.
      }
    },
    async delete(projectId, iid) {
      try {
        await redis.del(key(projectId, iid));
      } catch {
        // Entries are verified against GitLab on use, so a stale one does no harm.
      }
    },
  };
}
