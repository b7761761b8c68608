/**
 * The worker process. Its job processors arrive with the bot's workflows; until then it only
 * checks that it can reach Redis and exits, so a deployment can be smoke-tested.
 */
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
try {
  await redis.connect();
  process.stdout.write(`srcgit worker: Redis at ${url} answers ${await redis.ping()}\n`);
} finally {
  redis.disconnect();
}
