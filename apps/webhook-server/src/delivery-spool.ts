/**
 * @module
 * The durable local spool that keeps accepted deliveries while Redis is unreachable: one file
 * per delivery, written to a temporary name, fsync'd, renamed into place and the directory
 * fsync'd — so a delivery answered 202 survives a crash or power loss.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A file-per-delivery spool directory. */
export interface DeliverySpool {
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
}

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
 * Opens (creating if needed) a spool in `dir`. Entries are named
 * `<epoch-ms>-<sequence>-<random>.delivery.json` so that listing order is arrival order.
 *
 * @example
 * const spool = await openDeliverySpool('/var/lib/srcgit/spool');
 * await spool.append(delivery);
 * for (const name of await spool.list()) { await enqueue(await spool.read(name)); await spool.remove(name); }
 */
export async function openDeliverySpool(dir: string, now: () => number = Date.now): Promise<DeliverySpool> {
  await mkdir(dir, { recursive: true });
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
  };
}
