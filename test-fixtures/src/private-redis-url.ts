import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's private redis-server, started by the global setup. */
    redisUrl: string;
  }
}

/** The URL of the private redis-server the global setup started for this test run. */
export function privateRedisUrl(): string {
  return inject('redisUrl');
}
