/**
 * @module
 * The staleness board: when the bot last received an event and last synced successfully, per
 * event kind, fleet-wide. Each process records into its own memory at once and merges into one
 * Redis hash (a maximum per field) every second, so any replica's `/readyz` and `/metrics` report
 * the newest time any replica saw (docs/bot-behaviour.md §8.1).
 */

/**
 * Who received an event: the webhook server when it accepted the delivery (queued, spooled or
 * recognised as a duplicate), the worker when it started a job for it.
 */
export type StalenessReceiver = 'webhook-server' | 'worker';

/** One thing the board tracks. `kind` is a domain event kind (`source-git-mr-opened`, …). */
export type StalenessSignal =
  | { readonly signal: 'event-received'; readonly by: StalenessReceiver; readonly kind: string }
  | { readonly signal: 'sync-succeeded'; readonly kind: string };

/** The newest times, fleet-wide when Redis answered (`source: 'redis'`), else this process's own. */
export interface StalenessReport {
  readonly source: 'redis' | 'local';
  /** Receiver → event kind → unix milliseconds. */
  readonly lastEventReceived: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Event kind → unix milliseconds of the last job of that kind whose workflows all succeeded. */
  readonly lastSuccessfulSync: Readonly<Record<string, number>>;
}

/** The Redis commands the board uses (an ioredis client fits; core does not import ioredis). */
export interface StalenessRedis {
  hgetall(key: string): Promise<Record<string, string>>;
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link createStalenessBoard}. */
export interface StalenessBoardOptions {
  /** The client; a fail-fast one (no offline queue), as Redis may be down. */
  readonly redis: StalenessRedis;
  /** The hash, e.g. `srcgit:<queue>:staleness`. */
  readonly key: string;
  /** A read of the hash slower than this reports this process's own times. Default 1 000 ms. */
  readonly readTimeoutMs?: number;
  readonly now?: () => number;
}

/** A staleness board. */
export interface StalenessBoard {
  /** Notes that `signal` happened now (in memory at once; in Redis at the next {@link flush}). */
  record(signal: StalenessSignal): void;
  /** Merges the times recorded since the last flush into Redis (kept for the next one on failure). */
  flush(): Promise<void>;
  /** The newest times: Redis's merged with this process's own. */
  read(): Promise<StalenessReport>;
  /** Flushes every `intervalMs` until {@link stop}. */
  start(intervalMs?: number): void;
  /** Stops the timer and flushes once more. */
  stop(): Promise<void>;
}

/** A Prometheus gauge the apps register over {@link StalenessBoard.read}. */
export interface StalenessGauge {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** The gauge's samples in `report`: labels and unix seconds. */
  samples(report: StalenessReport): { labels: Record<string, string>; value: number }[];
}

/**
 * The staleness gauges both apps export, in unix seconds (alert on `time() - gauge`):
 * `srcgit_last_event_received_timestamp_seconds{kind,by}` and
 * `srcgit_last_successful_sync_timestamp_seconds{kind}`.
 */
export const STALENESS_GAUGES: readonly StalenessGauge[] = [
  {
    name: 'srcgit_last_event_received_timestamp_seconds',
    help: 'When an event of this kind was last received, fleet-wide (unix seconds): by="webhook-server" when a delivery was accepted, by="worker" when a job started.',
    labelNames: ['kind', 'by'],
    samples: (report) =>
      Object.entries(report.lastEventReceived).flatMap(([by, kinds]) =>
        Object.entries(kinds).map(([kind, ms]) => ({ labels: { kind, by }, value: ms / 1000 })),
      ),
  },
  {
    name: 'srcgit_last_successful_sync_timestamp_seconds',
    help: 'When a job of this event kind last completed with every workflow succeeding, fleet-wide (unix seconds).',
    labelNames: ['kind'],
    samples: (report) =>
      Object.entries(report.lastSuccessfulSync).map(([kind, ms]) => ({ labels: { kind }, value: ms / 1000 })),
  },
];

/**
 * Sets each field named in ARGV (name, value pairs) to its value unless the hash holds a larger
 * one: concurrent replicas never move a time backwards.
 */
const MERGE_MAXIMA = `
for i = 1, #ARGV, 2 do
  local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
  local value = tonumber(ARGV[i + 1])
  if value ~= nil and (current == nil or value > current) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
return 1
`;

/** Event kinds and receivers are short words; a field of another shape in the hash is ignored. */
const FIELD = /^(received:(webhook-server|worker)|synced):([a-z][a-z0-9-]{0,63})$/;

/** At most this many fields are read from the hash (the kinds are a fixed, small set). */
const MAX_FIELDS = 256;

/**
 * Creates a staleness board over one Redis hash. Its fields are `received:<by>:<kind>` and
 * `synced:<kind>`, its values unix milliseconds; only larger values overwrite (a Lua script).
 *
 * @example
 * const board = createStalenessBoard({ redis, key: `srcgit:${queueName}:staleness` });
 * board.start();
 * board.record({ signal: 'event-received', by: 'webhook-server', kind: event.kind });
 */
export function createStalenessBoard(options: StalenessBoardOptions): StalenessBoard {
  const { redis, key } = options;
  const now = options.now ?? Date.now;
  const readTimeoutMs = options.readTimeoutMs ?? 1_000;
  const local = new Map<string, number>();
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function flushOnce(): Promise<void> {
    if (dirty.size === 0) return;
    const fields = [...dirty];
    dirty.clear();
    const args = fields.flatMap((field) => [field, String(local.get(field) ?? 0)]);
    try {
      await redis.eval(MERGE_MAXIMA, 1, key, ...args);
    } catch {
      // Redis is down: merged at a later flush; this process reports its own times meanwhile.
      for (const field of fields) dirty.add(field);
    }
  }

  async function readRedis(): Promise<Record<string, string> | null> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        redis.hgetall(key),
        new Promise<null>((resolve) => (timeout = setTimeout(() => resolve(null), readTimeoutMs))),
      ]);
    } catch {
      return null;
    } finally {
      clearTimeout(timeout);
    }
  }

  function flush(): Promise<void> {
    flushing = flushing.then(flushOnce);
    return flushing;
  }

  return {
    record(signal) {
      const field =
        signal.signal === 'event-received' ? `received:${signal.by}:${signal.kind}` : `synced:${signal.kind}`;
      if (!FIELD.test(field)) return;
      local.set(field, Math.max(local.get(field) ?? 0, now()));
      dirty.add(field);
    },
    flush,
    async read() {
      const shared = await readRedis();
      const merged = new Map(local);
      for (const [field, text] of Object.entries(shared ?? {}).slice(0, MAX_FIELDS)) {
        const value = Number(text);
        if (!FIELD.test(field) || !Number.isFinite(value) || value <= 0) continue;
        merged.set(field, Math.max(merged.get(field) ?? 0, value));
      }
      return toReport(merged, shared === null ? 'local' : 'redis');
    },
    start(intervalMs = 1_000) {
      if (timer !== undefined) return;
      timer = setInterval(() => void flush(), intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}

function toReport(fields: ReadonlyMap<string, number>, source: StalenessReport['source']): StalenessReport {
  const lastEventReceived: Record<string, Record<string, number>> = {};
  const lastSuccessfulSync: Record<string, number> = {};
  for (const [field, ms] of [...fields].sort(([a], [b]) => a.localeCompare(b))) {
    const match = FIELD.exec(field);
    const kind = match?.[3];
    if (match === null || kind === undefined) continue;
    const by = match[2];
    if (by === undefined) lastSuccessfulSync[kind] = ms;
    else (lastEventReceived[by] ??= {})[kind] = ms;
  }
  return { source, lastEventReceived, lastSuccessfulSync };
}

/**
 * The report as `/readyz` shows it: ISO-8601 times instead of milliseconds.
 *
 * @example
 * return c.json({ ready, staleness: stalenessDetails(await board.read()) });
 */
export function stalenessDetails(report: StalenessReport): {
  source: StalenessReport['source'];
  lastEventReceived: Record<string, Record<string, string>>;
  lastSuccessfulSync: Record<string, string>;
} {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    source: report.source,
    lastEventReceived: Object.fromEntries(
      Object.entries(report.lastEventReceived).map(([by, kinds]) => [
        by,
        Object.fromEntries(Object.entries(kinds).map(([kind, ms]) => [kind, iso(ms)])),
      ]),
    ),
    lastSuccessfulSync: Object.fromEntries(
      Object.entries(report.lastSuccessfulSync).map(([kind, ms]) => [kind, iso(ms)]),
    ),
  };
}
