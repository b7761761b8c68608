import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError, classifyWorkflowError, isUserActionableError } from '@srcgit/core';
import type { CoreLogger } from '@srcgit/core';
import { ConverterError, isConverterError } from '@srcgit/dist-git-converter';
import type { UpdateDistGitProgress } from '@srcgit/dist-git-converter';
import { createBeerFixture, createTempDir } from '@srcgit/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { conversionChildEnv } from './conversion-child-env';
import { createIsolatedConverter } from './create-isolated-converter';
import type { IsolatedConverterOptions } from './create-isolated-converter';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const identity = { name: 'srcgit bot', email: 'srcgit-bot@example.com' };
const warnings: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
const logger: CoreLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => void warnings.push({ message, fields }),
  error: () => undefined,
};
const secrets = { GITLAB_TOKEN: 'glpat-secret', WEBHOOK_SECRET: 'hook-secret', REDIS_URL: 'redis://x' };
const workerEnv = { ...process.env, ...secrets, NODE_OPTIONS: '--require /nonexistent.cjs' };

/** The real child entry, run from its TypeScript source (its packages resolve to their builds). */
function realChild(overrides: Partial<IsolatedConverterOptions> = {}): IsolatedConverterOptions {
  return {
    childEntry: fileURLToPath(new URL('./conversion-child.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    env: workerEnv,
    identity,
    maxRssMb: 1024,
    timeoutMs: 60_000,
    logger,
    ...overrides,
  };
}

/**
 * A stand-in child that never answers: it records its pid, its environment and the pid of a
 * `sleep` it starts (a grandchild, like git), then `behaviour` runs (a busy loop, allocation).
 */
function stubbornChild(behaviour: string): {
  entry: string;
  pids: () => { child: number; grandchild: number };
  env: () => Record<string, string>;
} {
  const dir = createTempDir('stubborn-child');
  cleanups.push(() => dir.remove());
  const entry = join(dir.path, 'child.mjs');
  const report = join(dir.path, 'report.json');
  writeFileSync(
    entry,
    `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const sleep = spawn('sleep', ['1000'], { stdio: 'ignore' });
writeFileSync(${JSON.stringify(report)}, JSON.stringify({ child: process.pid, grandchild: sleep.pid, env: process.env }));
${behaviour}
`,
  );
  const read = () =>
    JSON.parse(readFileSync(report, 'utf8')) as {
      child: number;
      grandchild: number;
      env: Record<string, string>;
    };
  return { entry, pids: () => read(), env: () => read().env };
}

const BUSY_LOOP = 'setTimeout(() => { for (;;) {} }, 50);';
const ALLOCATE_OFF_HEAP =
  'const kept = []; setInterval(() => kept.push(Buffer.alloc(16 * 1024 * 1024, 1)), 10);';

/** Whether process `pid` is still running (a zombie waiting for its reaper counts as gone). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitForReport(read: () => unknown): Promise<void> {
  for (;;) {
    try {
      read();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function sourceGitWithNewCommit() {
  const { sourceGit, distGit } = await createBeerFixture();
  cleanups.push(async () => {
    await sourceGit.remove();
    await distGit.remove();
  });
  await sourceGit.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
  return { sourceGit, distGit };
}

describe('createIsolatedConverter: results and errors cross the process boundary', () => {
  it('returns the result of updateDistGit, reports its progress and commits as the bot', async () => {
    const { sourceGit, distGit } = await sourceGitWithNewCommit();
    const converter = createIsolatedConverter(realChild());
    const progress: UpdateDistGitProgress[] = [];

    const result = await converter.updateDistGit({
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      message: 'Update from source-git',
      now: () => new Date('2024-05-01T00:00:00Z'),
      onProgress: (step) => progress.push(step),
    });

    expect(result.outcome).toBe('committed');
    expect(result.commitSha).toBe(await distGit.revParse('HEAD'));
    expect(result.plan.patches.map((patch) => patch.fileName)).toEqual([
      '0001-Switch-to-Amarillo-hops.patch',
    ]);
    expect(result.plan.specDiff).toContain('+Patch');
    expect(progress.map((step) => step.phase)).toContain('config');
    expect(await distGit.git(['log', '-1', '--format=%cn <%ce>'])).toBe(
      'srcgit bot <srcgit-bot@example.com>\n',
    );
  });

  it('rethrows a ConverterError with its code, message and data, classified as before', async () => {
    const { sourceGit, distGit } = await sourceGitWithNewCommit();
    const converter = createIsolatedConverter(realChild());
    const options = { sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, message: 'Update' };
    await converter.updateDistGit(options);

    const error = await converter.updateDistGit(options).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConverterError);
    expect(isConverterError(error) && error.code).toBe('NOTHING_TO_COMMIT');
    expect((error as ConverterError).message).toContain('nothing to commit');
    expect((error as ConverterError).data).toMatchObject({ sourceGitHead: await sourceGit.revParse('HEAD') });
    expect(isUserActionableError(error)).toBe(true);
    expect(classifyWorkflowError(error)).toBe('user');
  });

  it('runs updateSourceGit and rebuilds its errors', async () => {
    const { sourceGit, distGit } = await sourceGitWithNewCommit();
    const converter = createIsolatedConverter(realChild());

    const error = await converter
      .updateSourceGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, force: true })
      .catch((caught: unknown) => caught);

    expect(isConverterError(error) && error.code).toBe('RANGE_INVALID');
  });

  it('refuses options that cannot run in a child process', async () => {
    const converter = createIsolatedConverter(realChild());
    await expect(
      converter.updateDistGit({
        sourceGitDir: '.',
        distGitDir: '.',
        checkSyncStatus: () => Promise.resolve({ action: 'proceed' }),
      }),
    ).rejects.toThrow(/checkSyncStatus/);
  });
});

describe('createIsolatedConverter: limits', () => {
  it('gives the child only the allow-listed environment', async () => {
    const stub = stubbornChild('process.exit(0);');
    const converter = createIsolatedConverter({ ...realChild(), childEntry: stub.entry, execArgv: [] });

    await expect(converter.updateDistGit({ sourceGitDir: '.', distGitDir: '.' })).rejects.toThrow(
      /ended without an answer \(exit code 0\)/,
    );

    const env = stub.env();
    expect(Object.keys(env).filter((name) => name in secrets || name === 'NODE_OPTIONS')).toEqual([]);
    expect(env).toEqual(conversionChildEnv(workerEnv));
    expect(conversionChildEnv({ PATH: '/bin', GITLAB_TOKEN: 't', GIT_AUTHOR_NAME: 'x' })).toEqual({
      PATH: '/bin',
    });
  });

  it('kills a conversion that never ends, with its git processes, at the time limit', async () => {
    const stub = stubbornChild(BUSY_LOOP);
    const converter = createIsolatedConverter({
      ...realChild(),
      childEntry: stub.entry,
      execArgv: [],
      timeoutMs: 1_000,
    });

    const error = await converter
      .updateDistGit({ sourceGitDir: '.', distGitDir: '.' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('CONVERSION_KILLED');
    expect((error as CoreError).data).toMatchObject({
      limit: 'time',
      setting: 'SRCGIT_CONVERSION_TIMEOUT_MS',
    });
    expect((error as CoreError).message).toContain('SRCGIT_CONVERSION_TIMEOUT_MS');
    expect(isUserActionableError(error)).toBe(true);
    const { child, grandchild } = stub.pids();
    expect([isRunning(child), isRunning(grandchild)]).toEqual([false, false]);
  }, 20_000);

  it('kills a conversion whose memory passes the cap', async () => {
    const stub = stubbornChild(ALLOCATE_OFF_HEAP);
    const converter = createIsolatedConverter({
      ...realChild(),
      childEntry: stub.entry,
      execArgv: [],
      maxRssMb: 128,
      rssIntervalMs: 50,
    });

    const error = await converter
      .updateDistGit({ sourceGitDir: '.', distGitDir: '.' })
      .catch((caught: unknown) => caught);

    expect((error as CoreError).code).toBe('CONVERSION_KILLED');
    expect((error as CoreError).data).toMatchObject({
      limit: 'memory',
      setting: 'SRCGIT_CONVERSION_MAX_RSS_MB',
    });
    expect((error as CoreError).message).toContain('128 MB');
    const { child, grandchild } = stub.pids();
    expect([isRunning(child), isRunning(grandchild)]).toEqual([false, false]);
  }, 20_000);

  it('kills a conversion whose JavaScript heap passes the cap', async () => {
    const stub = stubbornChild(
      'const kept = []; setInterval(() => { for (let i = 0; i < 1e5; i++) kept.push({ i }); }, 1);',
    );
    const converter = createIsolatedConverter({
      ...realChild(),
      childEntry: stub.entry,
      execArgv: [],
      maxRssMb: 64,
      // The heap limit, not the watchdog, stops this one.
      rssIntervalMs: 3_600_000,
    });

    const error = await converter
      .updateDistGit({ sourceGitDir: '.', distGitDir: '.' })
      .catch((caught: unknown) => caught);

    expect((error as CoreError).code).toBe('CONVERSION_KILLED');
    expect((error as CoreError).data).toMatchObject({ limit: 'memory' });
    expect(isRunning(stub.pids().grandchild)).toBe(false);
  }, 30_000);

  it('kills the conversion when the job is aborted, and rejects with the reason', async () => {
    const stub = stubbornChild(BUSY_LOOP);
    const converter = createIsolatedConverter({ ...realChild(), childEntry: stub.entry, execArgv: [] });
    const abort = new AbortController();

    const pending = converter
      .updateDistGit({ sourceGitDir: '.', distGitDir: '.', signal: abort.signal })
      .catch((caught: unknown) => caught);
    await waitForReport(stub.pids);
    abort.abort(new Error('the worker is stopping'));

    expect(await pending).toEqual(new Error('the worker is stopping'));
    const { child, grandchild } = stub.pids();
    expect([isRunning(child), isRunning(grandchild)]).toEqual([false, false]);
  }, 20_000);
});
