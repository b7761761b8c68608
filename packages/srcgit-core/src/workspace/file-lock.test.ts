import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir } from '@srcgit/test-fixtures';
import type { TempDir } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock } from './file-lock';

describe('acquireFileLock', () => {
  let dir: TempDir;
  let path: string;

  beforeEach(() => {
    dir = createTempDir('locks');
    path = join(dir.path, 'cache.git.srcgit-lock');
  });
  afterEach(async () => {
    await dir.remove();
  });

  /** A lock file left by `holder`, its last heartbeat an hour ago. */
  async function leftOver(holder: { host: string; pid: number }) {
    await writeFile(path, JSON.stringify({ token: 'old', since: 0, ...holder }));
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path, hourAgo, hourAgo);
  }

  it('makes a second taker wait until the first releases, then removes its file on release', async () => {
    const first = await acquireFileLock(path, { pollMs: 5 });
    const order: string[] = [];
    const second = acquireFileLock(path, { pollMs: 5 }).then((lock) => {
      order.push('second');
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push('first released');
    await first.release();
    const lock = await second;
    expect(order).toEqual(['first released', 'second']);
    await lock.release();
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('is never taken from a holder whose heartbeat runs, even on another host', async () => {
    const holder = await acquireFileLock(path, { heartbeatMs: 10, host: 'host-a' });
    const waiting = new AbortController();
    const waiter = acquireFileLock(path, {
      host: 'host-b',
      // Far above the heartbeat, so that a slow machine's late timer is no stopped heartbeat.
      staleMs: 300,
      pollMs: 5,
      signal: waiting.signal,
    });
    // Wait out several staleness periods while the holder beats.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    waiting.abort(new Error('gave up'));
    await expect(waiter).rejects.toThrow('gave up');
    expect(holder.signal.aborted).toBe(false);
    await holder.release();
  });

  it('takes over a lock whose holder on this host is gone at once, and never one whose holder still runs and beats', async () => {
    const holder = await acquireFileLock(path, { heartbeatMs: 10, host: 'this-host', pid: 4242 });
    const alive = new AbortController();
    const looked: number[] = [];
    const blocked = acquireFileLock(path, {
      host: 'this-host',
      pid: 1,
      staleMs: 300,
      pollMs: 10,
      signal: alive.signal,
      isAlive: (pid) => {
        looked.push(pid);
        // Several staleness periods.
        if (looked.length >= 120) alive.abort(new Error('still alive'));
        return true;
      },
    });
    await expect(blocked).rejects.toThrow('still alive');
    expect(looked.every((pid) => pid === 4242)).toBe(true);
    expect(holder.signal.aborted).toBe(false);

    // The holder's process is gone, though its heartbeat is fresh.
    const lock = await acquireFileLock(path, { host: 'this-host', pid: 1, isAlive: () => false });
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ host: 'this-host', pid: 1 });
    await lock.release();
    await holder.release();
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('takes over a lock on this host whose heartbeat stopped, even if its pid now names another process', async () => {
    await leftOver({ host: 'this-host', pid: 4242 });
    const lock = await acquireFileLock(path, { host: 'this-host', pid: 1, isAlive: () => true });
    await lock.release();
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('takes over a lock left by a previous life of its own pid (a restarted container)', async () => {
    // Its heartbeat is fresh (the container restarted at once), but it predates this process.
    await writeFile(path, JSON.stringify({ token: 'old', since: 0, host: 'container', pid: 1 }));
    const lock = await acquireFileLock(path, { host: 'container', pid: 1, isAlive: () => true });
    expect(JSON.parse(await readFile(path, 'utf8'))).not.toMatchObject({ token: 'old' });
    await lock.release();
  });

  it('takes over a lock from another host once its heartbeat stopped', async () => {
    await leftOver({ host: 'gone-host', pid: 7 });
    const lock = await acquireFileLock(path, { host: 'this-host', isAlive: () => true });
    await lock.release();
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('lets only one of many waiters take over one stale lock', async () => {
    await leftOver({ host: 'gone-host', pid: 7 });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const lock = await acquireFileLock(path, { host: `waiter-${index}`, pollMs: 2 });
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside -= 1;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it("fires the holder's signal when its lock file is removed or replaced", async () => {
    const lock = await acquireFileLock(path, { heartbeatMs: 5 });
    await rm(path);
    await writeFile(path, JSON.stringify({ token: 'intruder', host: 'elsewhere', pid: 9, since: 0 }));
    await new Promise<void>((resolve) =>
      lock.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    expect(String(lock.signal.reason)).toContain('was taken from this process');
    await lock.release();
    // The intruder's file is not the holder's to remove.
    expect((await stat(path)).isFile()).toBe(true);
  });
});
