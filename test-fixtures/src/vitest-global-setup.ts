/**
 * Global setup of the workspace's vitest run: one private redis-server for the whole run, stopped
 * afterwards. Tests read its URL with `inject('redisUrl')` and use their own queue names.
 */
import type { TestProject } from 'vitest/node';
import type {} from './private-redis-url';
import { startRedisServer } from './redis-server';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
