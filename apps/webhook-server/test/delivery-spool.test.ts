/**
 * Per-instance spools on one spool root, with real processes as the other server instances: a
 * server drains only its own spool, never takes a live instance's, adopts a dead one's.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDir } from '@srcgit/test-fixtures';
import type { TempDir } from '@srcgit/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDeliverySpool } from '../src/delivery-spool';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const OWNER = fileURLToPath(new URL('./support/spool-owner.ts', import.meta.url));
const LOCK = { lockHeartbeatMs: 50, lockStaleMs: 1_000 };

describe('openDeliverySpool with several server instances', () => {
  let root: TempDir;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    root = createTempDir('spool-root');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await root.remove();
  });

  /** Another server instance that spooled `count` deliveries and still runs. */
  async function otherInstance(instanceId: string, count: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', OWNER, root.path, instanceId, String(count)], {
      cwd: APP_DIR,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('spooled')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`spool owner exited with ${code}`)));
    });
    return child;
  }

  it("lists only its own entries and never adopts a live instance's spool", async () => {
    await otherInstance('server-b', 2);
    const spool = await openDeliverySpool(root.path, { instanceId: 'server-a', ...LOCK });
    await spool.append({ from: 'server-a' });
    expect(spool.dir).toBe(join(root.path, 'server-a'));
    // Many staleness periods: the live instance's heartbeat keeps its spool its own.
    for (let look = 0; look < 15; look += 1) {
      expect(await spool.adoptOrphans()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const own = await spool.list();
    expect(own).toHaveLength(1);
    expect(await spool.read(own[0] ?? '')).toEqual({ from: 'server-a' });
    expect(
      (await readdir(join(root.path, 'server-b'))).filter((name) => name.endsWith('.json')),
    ).toHaveLength(2);
    await spool.close();
  });

  it("adopts a killed instance's entries, in order, and the old single-directory layout's", async () => {
    const other = await otherInstance('server-b', 3);
    await writeFile(join(root.path, '000000000000001-000001-abcdef01.delivery.json'), '{"from":"legacy"}');
    const spool = await openDeliverySpool(root.path, { instanceId: 'server-a', ...LOCK });
    expect(await spool.adoptOrphans()).toBe(1);

    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    let adopted = 0;
    while (adopted === 0) {
      adopted = await spool.adoptOrphans();
      if (adopted === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(adopted).toBe(3);
    const entries = await Promise.all((await spool.list()).map((name) => spool.read(name)));
    expect(entries).toEqual([
      { from: 'legacy' },
      { from: 'server-b', index: 0 },
      { from: 'server-b', index: 1 },
      { from: 'server-b', index: 2 },
    ]);
    expect((await readdir(root.path)).sort()).toEqual(['server-a']);
    await spool.close();
  });

  it('makes a second server with the same instance id wait for the first', async () => {
    const first = await openDeliverySpool(root.path, { instanceId: 'same', ...LOCK });
    const events: string[] = [];
    const second = openDeliverySpool(root.path, { instanceId: 'same', ...LOCK }).then((spool) => {
      events.push('second opened');
      return spool;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    events.push('first closed');
    await first.close();
    await (await second).close();
    expect(events).toEqual(['first closed', 'second opened']);
  });

  it('refuses an instance id that is not a plain directory name', async () => {
    await expect(openDeliverySpool(root.path, { instanceId: '../escape' })).rejects.toThrow(
      'spool instance id "../escape" is invalid',
    );
  });
});
