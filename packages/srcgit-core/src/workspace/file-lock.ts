/**
 * @module
 * `acquireFileLock`: a lock shared by processes (and hosts) through one file, which cannot be
 * stolen while its holder is alive.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** Options of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** How often the holder refreshes the lock file's mtime (default 5 s). */
  readonly heartbeatMs?: number;
  /**
   * A lock whose heartbeat stopped this long ago is left over from a dead (or frozen) holder and
   * may be taken over (default 12 heartbeats). On the same host a lock is also left over as soon
   * as its holder's pid is gone.
   */
  readonly staleMs?: number;
  /** How often a waiter looks at the lock again (default 100 ms). */
  readonly pollMs?: number;
  /** Gives up waiting when it fires (the lock is then not held). */
  readonly signal?: AbortSignal;
  /** This process's identity, for tests (default `os.hostname()` and `process.pid`). */
  readonly host?: string;
  readonly pid?: number;
  /** Whether `pid` runs on this host (default `process.kill(pid, 0)`). */
  readonly isAlive?: (pid: number) => boolean;
}

/** A held lock. */
export interface FileLock {
  /** Fires if the lock was lost while held (its file removed or replaced): stop writing. */
  readonly signal: AbortSignal;
  /** Stops the heartbeat and removes the lock file if it is still this holder's. */
  release(): Promise<void>;
}

/** What a lock file holds. */
interface Holder {
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  readonly since: number;
}

/**
 * Takes the lock at `path`, waiting while another holder has it. The file is created exclusively
 * (`O_EXCL`) and names its holder (host, pid, a random token); while held, its mtime is refreshed
 * every `heartbeatMs`. A waiter takes a lock over only when it is left over from a dead holder:
 * its heartbeat stopped for `staleMs`, or the holder ran on this host and its pid no longer
 * exists (or is this process's own pid in a lock older than this process — a previous life of a
 * restarted container). Host names must therefore be unique per pid namespace (containers' default host
 * names are). Takeovers go one at a time and remove only the file of the holder judged dead, so
 * two waiters cannot both take one lock. Should a holder's file disappear
 * anyway (an operator deleted it, a host froze past `staleMs`), its `signal` fires at the next
 * heartbeat.
 *
 * @example
 * ```ts
 * const lock = await acquireFileLock('/var/lib/srcgit/cache/sg-3001.git.srcgit-lock');
 * try { await fetchInto(cache, { signal: lock.signal }); } finally { await lock.release(); }
 * ```
 */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<FileLock> {
  const attempt = lockAttempt(path, options);
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = await attempt();
    if (lock !== undefined) return lock;
    await sleep(options.pollMs ?? 100, options.signal);
  }
}

/**
 * Takes the lock at `path` if it is free or left over from a dead holder (the rules of
 * {@link acquireFileLock}); `undefined` at once if a live holder has it.
 *
 * @example
 * ```ts
 * const orphan = await tryAcquireFileLock(join(otherSpool, '.owner'));
 * if (orphan !== undefined) { await adopt(otherSpool); await orphan.release(); }
 * ```
 */
export function tryAcquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<FileLock | undefined> {
  return lockAttempt(path, options)();
}

/** One try at the lock: create it, or take it over once from a dead holder and create it. */
function lockAttempt(path: string, options: FileLockOptions): () => Promise<FileLock | undefined> {
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const staleMs = options.staleMs ?? heartbeatMs * 12;
  const me: Holder = {
    token: randomUUID(),
    host: options.host ?? hostname(),
    pid: options.pid ?? process.pid,
    since: Date.now(),
  };
  const isAlive = options.isAlive ?? pidExists;
  return async () => {
    if (await tryCreate(path, me)) return hold(path, me, heartbeatMs);
    const found = await readHolder(path);
    if (found === undefined || !isLeftOver(found, me, staleMs, isAlive)) return undefined;
    await takeOver(path, found.holder, me, staleMs);
    return (await tryCreate(path, me)) ? hold(path, me, heartbeatMs) : undefined;
  };
}

/** Creates the lock file exclusively; false if it exists. */
async function tryCreate(path: string, me: Holder): Promise<boolean> {
  try {
    await writeFile(path, JSON.stringify(me), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The holder named in the lock file and the file's last heartbeat, if it exists and parses. */
async function readHolder(path: string): Promise<{ holder: Holder; beatMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { holder: parseHolder(text), beatMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Half-written by a holder killed between create and write: judged by its mtime alone.
    if (error instanceof SyntaxError || error instanceof TypeError) {
      const info = await stat(path).catch(() => undefined);
      return info === undefined
        ? undefined
        : { holder: { token: '', host: '', pid: 0, since: 0 }, beatMs: info.mtimeMs };
    }
    throw error;
  }
}

function parseHolder(text: string): Holder {
  const value = JSON.parse(text) as Partial<Holder>;
  if (typeof value.token !== 'string' || typeof value.host !== 'string' || typeof value.pid !== 'number') {
    throw new TypeError('not a lock holder');
  }
  return { token: value.token, host: value.host, pid: value.pid, since: value.since ?? 0 };
}

function isLeftOver(
  found: { holder: Holder; beatMs: number },
  me: Holder,
  staleMs: number,
  isAlive: (pid: number) => boolean,
): boolean {
  if (Date.now() - found.beatMs > staleMs) return true;
  // A fresh heartbeat on this host: left over only if its process is gone (or the lock is older
  // than this process, which has the same pid: a restarted container's previous life).
  const { holder } = found;
  if (holder.host !== me.host || holder.token === '') return false;
  return (holder.pid === me.pid && holder.since < PROCESS_STARTED_MS) || !isAlive(holder.pid);
}

/** When this process started: a lock naming its pid but older is a previous life's. */
const PROCESS_STARTED_MS = Date.now() - process.uptime() * 1000;

/**
 * Removes a lock file left over by `stale`. Takeovers go one at a time through a guard file
 * (`<path>.takeover`, created exclusively), and the guard's holder checks that the lock file still
 * names `stale` before removing it: a lock file is only ever created exclusively, so no live
 * holder's file can be removed. A guard left by a waiter killed mid-takeover is removed once older
 * than `staleMs`.
 */
async function takeOver(path: string, stale: Holder, me: Holder, staleMs: number): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await tryCreate(guard, me))) {
    const info = await stat(guard).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > staleMs) await rm(guard, { force: true });
    return;
  }
  try {
    const current = await readHolder(path);
    if (current?.holder.token === stale.token) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** Starts the heartbeat of a freshly created lock. */
function hold(path: string, me: Holder, heartbeatMs: number): FileLock {
  const lost = new AbortController();
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      if (lost.signal.aborted) return;
      const current = await readHolder(path).catch(() => undefined);
      if (current?.holder.token !== me.token) {
        lost.abort(new Error(`lock ${path} was taken from this process (pid ${me.pid} on ${me.host})`));
        return;
      }
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
    });
  }, heartbeatMs);
  timer.unref();
  return {
    signal: lost.signal,
    async release() {
      clearInterval(timer);
      await beating;
      const current = await readHolder(path).catch(() => undefined);
      if (current?.holder.token === me.token) await rm(path, { force: true });
    },
  };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
