/**
 * @module
 * The durable local spool that keeps accepted deliveries while Redis is unreachable: one file
 * per delivery, written to a temporary name, fsync'd, renamed into place and the directory
 * fsync'd — so a delivery answered 202 survives a crash or power loss. Each server instance has
 * its own spool, a subdirectory of the spool root held through an owner lock; a server drains
 * only its own, and adopts the spools of instances that died.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock, tryAcquireFileLock } from '@srcgit/core/internal';
import type { FileLock } from '@srcgit/core/internal';

/** A file-per-delivery spool directory. */
export interface DeliverySpool {
  /** This instance's own spool directory (`<root>/<instanceId>`). */
  readonly dir: string;
  /** Durably stores one record; resolves once it is on disk. Returns the entry's name. */
  append(record: unknown): Promise<string>;
  /** Names of the stored entries, oldest first. */
  list(): Promise<string[]>;
  /** The parsed JSON of one entry. */
  read(name: string): Promise<unknown>;
  /** Durably removes one entry (after it was queued). */
  remove(name: string): Promise<void>;
  /** Sets an unreadable entry aside (renamed to `<name>.rejected`) for an operator to inspect. */
  reject(name: string): Promise<void>;
  /**
   * Moves into this spool the entries of every other instance's spool whose owner is dead (its
   * owner lock left over, see `acquireFileLock`) and of the spool root itself (the layout before
   * per-instance spools). Returns how many entries it moved.
   */
  adoptOrphans(): Promise<number>;
  /** Releases this instance's owner lock (the entries stay for its next life or an adopter). */
  close(): Promise<void>;
}

/** Options of {@link openDeliverySpool}. */
export interface OpenDeliverySpoolOptions {
  /**
   * Names this instance's spool under the root (default `<hostname>-<pid>`). Two live servers
   * never share one: the second waits for the first's owner lock.
   */
  readonly instanceId?: string;
  /** How often the owner lock is refreshed (default 1 s); see `acquireFileLock`. */
  readonly lockHeartbeatMs?: number;
  /**
   * An owner lock not refreshed for this long belongs to a dead instance (default 10 s); on the same
   * host, so does one whose pid is gone.
   */
  readonly lockStaleMs?: number;
  /** Clock for entry names (default `Date.now`). */
  readonly now?: () => number;
}

const OWNER = '.owner';
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const SUFFIX = '.delivery.json';

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Opens (creating if needed) this instance's spool under `root` and takes its owner lock. Entries
 * are named `<epoch-ms>-<sequence>-<random>.delivery.json` so that listing order is arrival order.
 * Should the owner lock be lost (the instance was paused past `lockStaleMs` and another adopted
 * its spool), it is taken again.
 *
 * @example
 * const spool = await openDeliverySpool('/var/lib/srcgit/spool');
 * await spool.adoptOrphans();
 * await spool.append(delivery);
 * for (const name of await spool.list()) { await enqueue(await spool.read(name)); await spool.remove(name); }
 */
export async function openDeliverySpool(
  root: string,
  options: OpenDeliverySpoolOptions = {},
): Promise<DeliverySpool> {
  const now = options.now ?? Date.now;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]+/g, '-');
  if (!INSTANCE_ID.test(instanceId)) {
    throw new Error(
      `spool instance id "${instanceId}" is invalid: expected 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  const lockOptions = {
    heartbeatMs: options.lockHeartbeatMs ?? 1_000,
    staleMs: options.lockStaleMs ?? 10_000,
  };
  const dir = join(root, instanceId);
  let closed = false;
  let owner = await takeOwnership();

  /** Takes (waiting for a previous life's lock to go stale) and keeps this spool's owner lock. */
  async function takeOwnership(): Promise<FileLock> {
    await mkdir(dir, { recursive: true });
    const lock = await acquireFileLock(join(dir, OWNER), lockOptions);
    lock.signal.addEventListener('abort', () => {
      if (!closed) void takeOwnership().then((again) => (owner = again));
    });
    return lock;
  }

  /** Moves the entries of `from` into this spool; returns how many. */
  async function moveEntries(from: string): Promise<number> {
    const names = (await readdir(from).catch(() => [] as string[])).filter((name) => name.endsWith(SUFFIX));
    let moved = 0;
    for (const name of names) {
      try {
        await rename(join(from, name), join(dir, name));
        moved += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (moved > 0) {
      await syncDirectory(dir);
      await syncDirectory(from);
    }
    return moved;
  }

  let sequence = 0;
  return {
    dir,
    async append(record) {
      sequence = (sequence + 1) % 1_000_000;
      const stamp = String(now()).padStart(15, '0');
      const name = `${stamp}-${String(sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}${SUFFIX}`;
      const temporary = join(dir, `.${name}.tmp`);
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(JSON.stringify(record));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(dir, name));
      await syncDirectory(dir);
      return name;
    },
    async list() {
      const names = await readdir(dir);
      return names.filter((name) => name.endsWith(SUFFIX)).sort();
    },
    async read(name) {
      return JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
    },
    async remove(name) {
      await unlink(join(dir, name));
      await syncDirectory(dir);
    },
    async reject(name) {
      await rename(join(dir, name), join(dir, `${name}.rejected`));
      await syncDirectory(dir);
    },
    async adoptOrphans() {
      let moved = await moveEntries(root);
      const entries = await readdir(root, { withFileTypes: true });
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name === instanceId || !INSTANCE_ID.test(entry.name)) continue;
        const orphan = join(root, entry.name);
        const lock = await tryAcquireFileLock(join(orphan, OWNER), lockOptions).catch(() => undefined);
        if (lock === undefined) continue;
        try {
          moved += await moveEntries(orphan);
        } finally {
          await lock.release();
        }
        // Left in place when it still holds rejected entries for an operator.
        await rmdir(orphan).catch(() => undefined);
      }
      return moved;
    },
    async close() {
      closed = true;
      await owner.release();
    },
  };
}
