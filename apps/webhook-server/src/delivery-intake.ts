/**
 * @module
 * Puts accepted deliveries into the queue exactly once, and into the durable spool while Redis is
 * unreachable.
 */
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliverySpool } from './delivery-spool';
import type { Logger } from './logger';
import { parseQueuedDelivery } from './queued-delivery';
import type { QueuedDelivery } from './queued-delivery';

/** What became of an accepted delivery. */
export type IntakeOutcome = 'queued' | 'duplicate' | 'spooled';

/** Options of {@link createDeliveryIntake}. */
export interface DeliveryIntakeOptions {
  /** The BullMQ queue the worker consumes. */
  readonly queue: Queue;
  /** A Redis client for the dedupe keys (created with `enableOfflineQueue: false` to fail fast). */
  readonly redis: Redis;
  readonly spool: DeliverySpool;
  /** Prefix of the dedupe keys in Redis, e.g. `srcgit:delivery:`. */
  readonly keyPrefix: string;
  /** How long a delivery key is remembered (at least 7 days). */
  readonly dedupeTtlSeconds: number;
  /** BullMQ options every job gets (attempts, backoff, retention). */
  readonly jobOptions: JobsOptions;
  /** A Redis operation slower than this counts as "Redis unreachable": the delivery is spooled. */
  readonly redisTimeoutMs: number;
  readonly logger: Logger;
}

/** The intake of the webhook server. */
export interface DeliveryIntake {
  /**
   * Queues a delivery unless one of its dedupe keys was seen (`duplicate`); when Redis does not
   * answer, stores it in the spool (`spooled`). Resolves only once the delivery is durable.
   *
   * @throws when neither Redis nor the spool could take it (answer 503, GitLab retries).
   */
  accept(delivery: QueuedDelivery): Promise<IntakeOutcome>;
  /** Moves spooled deliveries into the queue, oldest first; returns how many were moved. */
  drain(): Promise<number>;
  /** Deliveries waiting in the spool. */
  spooled(): number;
  /** Counts `count` entries moved into the spool from elsewhere (adopted) and drains them. */
  adopted(count: number): void;
  /** Whether the last Redis operation succeeded. */
  redisReachable(): boolean;
  /** Loads the spool's backlog count and starts draining every `intervalMs`. */
  start(intervalMs: number): Promise<void>;
  /** Stops the drain timer and waits for a running drain. */
  stop(): Promise<void>;
}

class RedisTimeout extends Error {
  override readonly name = 'RedisTimeout';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeout(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * How long a claim holds before its delivery is queued: long enough for any enqueue, short enough
 * that a claim left by a server killed between claim and enqueue (the delivery neither queued nor
 * spooled, so GitLab retries it) does not make the retry look like a duplicate for days.
 */
const CLAIM_SECONDS = 600;

/**
 * The one Redis operation that decides whether a delivery is new: a Lua script, run atomically,
 * that checks every dedupe key of the delivery and, only if none is taken, takes them all for it
 * (`pending:<jobId>`, for {@link CLAIM_SECONDS}). A key that this same delivery took earlier but
 * whose enqueue did not finish (Redis stopped answering in between; the delivery was spooled)
 * still counts as its own, so the retry goes on to enqueue. Returns `1` when the delivery may be enqueued, `0` for a duplicate.
 * Older keys hold a bare job id: they are taken, as before.
 */
const CLAIM_SCRIPT = `
local own = 'pending:' .. ARGV[1]
for i = 1, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= own then return 0 end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], own, 'EX', tonumber(ARGV[2]))
end
return 1
`;

/**
 * Creates the intake. Exactly once into the queue, also for concurrent duplicates (the same note
 * delivered at once by a group hook and a project hook): one atomic Redis script claims all of a
 * delivery's dedupe keys (delivery key and semantic key) or none, so exactly one of the copies
 * wins; only the winner is added, with its deterministic job id, and its keys are then marked
 * `queued:<jobId>` for `dedupeTtlSeconds`. A spooled delivery goes through the same claim when
 * drained, so one whose enqueue actually succeeded before Redis stopped answering is recognised,
 * not queued twice, and one that only got as far as the claim is queued.
 *
 * @example
 * const intake = createDeliveryIntake({ queue, redis, spool, keyPrefix: 'srcgit:delivery:',
 *   dedupeTtlSeconds: 7 * 86_400, jobOptions: { attempts: 5 }, redisTimeoutMs: 2_000, logger });
 * await intake.start(1_000);
 * const outcome = await intake.accept(delivery); // 'queued' | 'duplicate' | 'spooled'
 */
export function createDeliveryIntake(options: DeliveryIntakeOptions): DeliveryIntake {
  const { queue, redis, spool, keyPrefix, dedupeTtlSeconds, jobOptions, redisTimeoutMs, logger } = options;
  let reachable = true;
  let backlog = 0;
  let draining: Promise<number> | null = null;
  let timer: NodeJS.Timeout | undefined;

  async function claim(keys: readonly string[], jobId: string): Promise<boolean> {
    const claimed = await redis.eval(CLAIM_SCRIPT, keys.length, ...keys, jobId, String(CLAIM_SECONDS));
    return claimed === 1;
  }

  async function enqueue(delivery: QueuedDelivery): Promise<'queued' | 'duplicate'> {
    const keys = delivery.dedupeKeys.map((key) => keyPrefix + key);
    if (!(await claim(keys, delivery.jobId))) return 'duplicate';
    await queue.add(delivery.name, delivery.payload, {
      ...jobOptions,
      jobId: delivery.jobId,
      ...(delivery.deduplicationId === null
        ? {}
        : { deduplication: { id: delivery.deduplicationId, keepLastIfActive: true } }),
    });
    await Promise.all(keys.map((key) => redis.set(key, `queued:${delivery.jobId}`, 'EX', dedupeTtlSeconds)));
    return 'queued';
  }

  async function drainOnce(): Promise<number> {
    let moved = 0;
    for (const name of await spool.list()) {
      let delivery: QueuedDelivery;
      try {
        delivery = parseQueuedDelivery(await spool.read(name));
      } catch (error) {
        logger.error('spooled delivery is unreadable; kept aside for an operator', { entry: name, error });
        await spool.reject(name);
        backlog = Math.max(0, backlog - 1);
        continue;
      }
      try {
        await withTimeout(enqueue(delivery), redisTimeoutMs);
        reachable = true;
      } catch (error) {
        reachable = false;
        logger.warn('Redis still unreachable; spooled deliveries stay on disk', { error, spooled: backlog });
        break;
      }
      await spool.remove(name);
      backlog = Math.max(0, backlog - 1);
      moved += 1;
    }
    if (moved > 0) logger.info('moved spooled deliveries into the queue', { moved, spooled: backlog });
    return moved;
  }

  function drain(): Promise<number> {
    draining ??= drainOnce()
      .catch((error: unknown) => {
        logger.error('draining the spool failed; retrying later', { error, spooled: backlog });
        return 0;
      })
      .finally(() => {
        draining = null;
      });
    return draining;
  }

  return {
    async accept(delivery) {
      if (backlog === 0 || reachable) {
        try {
          const outcome = await withTimeout(enqueue(delivery), redisTimeoutMs);
          if (!reachable || backlog > 0) {
            reachable = true;
            void drain();
          }
          return outcome;
        } catch (error) {
          if (reachable) logger.warn('Redis unreachable; spooling deliveries to disk', { error });
          reachable = false;
        }
      }
      await spool.append(delivery);
      backlog += 1;
      return 'spooled';
    },
    drain,
    spooled: () => backlog,
    adopted(count) {
      backlog += count;
      void drain();
    },
    redisReachable: () => reachable,
    async start(intervalMs) {
      backlog = (await spool.list()).length;
      timer = setInterval(() => {
        if (backlog > 0) void drain();
      }, intervalMs);
      timer.unref();
      if (backlog > 0) await drain();
    },
    async stop() {
      clearInterval(timer);
      await draining;
    },
  };
}
