/**
 * `pnpm bench`, source-git side: `srcgit init` and `srcgit status` on the glibc-like package
 * (registered in bench/run.ts). Figures, not pass/fail. Targets: init ≤ 8 s (packit needs about
 * 80 s for glibc's 127 patches), status ≤ 0.3 s (packit: 1.1 s).
 *
 * The dist-git that init starts from is the glibc-like dist-git after a full `update-dist-git`
 * (127 patch files, the ~500-line spec), made once with the built library and cached in `.bench/`.
 * Every init run gets a fresh clone of source-git checked out at the upstream tag (not timed).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GLIBC_LIKE_GENERATOR_VERSION,
  converterGitEnv,
  runGit,
  type GlibcLikeRepositories,
} from '../test-fixtures/src/index';

export interface InitStatusBenchOptions {
  /** The repository root. */
  readonly root: string;
  /** The built CLI (`apps/cli/dist/main.js`). */
  readonly cli: string;
  readonly repos: GlibcLikeRepositories;
  readonly runs: number;
}

interface Measurement {
  readonly seconds: number;
  /** User + system CPU seconds of the process and the git processes it ran (robust on a busy machine). */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command under `/usr/bin/time`: wall time (measured here), CPU time, peak RSS, output. */
async function measure(command: string, args: readonly string[], cwd: string): Promise<Measurement> {
  const scratch = await mkdtemp(join(tmpdir(), 'srcgit-bench-time-'));
  const report = join(scratch, 'time');
  const started = performance.now();
  const result = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', report, command, ...args], {
      cwd,
      env: { ...process.env, ...converterGitEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ exitCode: code ?? -1, stdout, stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  const [maxRssKb = 0, user = 0, system = 0] = (
    (await readFile(report, 'utf8')).trim().split('\n').pop() ?? ''
  )
    .split(' ')
    .map(Number);
  await rm(scratch, { recursive: true, force: true });
  return { seconds, cpuSeconds: user + system, maxRssMb: maxRssKb / 1024, ...result };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The glibc-like dist-git after a full update-dist-git (cached, for the source-git HEAD it was made from). */
async function fullDistGit(options: InitStatusBenchOptions): Promise<string> {
  const cache = join(options.root, '.bench', `glibc-like-v${GLIBC_LIKE_GENERATOR_VERSION}`);
  const dir = join(cache, 'dist-git-full');
  const ready = join(cache, 'dist-git-full.ready');
  const sourceGitHead = (await runGit(['rev-parse', 'HEAD'], { cwd: options.repos.sourceGitDir })).trim();
  if (existsSync(ready) && (await readFile(ready, 'utf8')).trim() === sourceGitHead) return dir;
  await rm(dir, { recursive: true, force: true });
  await runGit(['clone', '--quiet', options.repos.distGitDir, dir], { cwd: cache });
  const dist = new URL('../packages/dist-git-converter/dist/index.js', import.meta.url);
  /** The one function needed from the built library (bench/ is outside the package graph). */
  type UpdateDistGit = (options: {
    sourceGitDir: string;
    distGitDir: string;
    message: string;
  }) => Promise<unknown>;
  const { updateDistGit } = (await import(dist.href)) as { updateDistGit: UpdateDistGit };
  await updateDistGit({ sourceGitDir: options.repos.sourceGitDir, distGitDir: dir, message: 'Full sync' });
  await writeFile(ready, `${sourceGitHead}\n`);
  return dir;
}

/** A fresh source-git clone at the upstream tag and a fresh dist-git clone, in `work`. */
async function freshPair(options: InitStatusBenchOptions, distGit: string, work: string) {
  const sourceGit = join(work, 'source-git');
  const glibc = join(work, 'glibc');
  await runGit(['clone', '--quiet', '--no-checkout', options.repos.sourceGitDir, sourceGit], { cwd: work });
  await runGit(['checkout', '--quiet', '-B', 'main', options.repos.upstreamRef], { cwd: sourceGit });
  await runGit(['clone', '--quiet', distGit, glibc], { cwd: work });
  return { sourceGit, glibc };
}

/** Measures init and status, prints a table and returns the figures. */
export async function benchInitAndStatus(options: InitStatusBenchOptions): Promise<void> {
  const distGit = await fullDistGit(options);
  const init: Measurement[] = [];
  const status: Measurement[] = [];
  const trailersOnly: Measurement[] = [];
  let state = '';
  for (let run = 0; run < options.runs; run++) {
    const work = await mkdtemp(join(tmpdir(), 'srcgit-bench-init-'));
    try {
      const { sourceGit, glibc } = await freshPair(options, distGit, work);
      const made = await measure(
        process.execPath,
        [options.cli, 'init', options.repos.upstreamRef, sourceGit, glibc],
        work,
      );
      if (made.exitCode !== 0) throw new Error(`bench: srcgit init failed:\n${made.stderr}`);
      init.push(made);
      for (const [list, extra] of [
        [status, []],
        [trailersOnly, ['--no-confirm']],
      ] as const) {
        const measured = await measure(
          process.execPath,
          [options.cli, 'status', '--json', ...extra, sourceGit, glibc],
          work,
        );
        if (measured.exitCode !== 0) throw new Error(`bench: srcgit status failed:\n${measured.stderr}`);
        state = (JSON.parse(measured.stdout) as { state: string }).state;
        list.push(measured);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const rows = [
    { name: `srcgit init (${options.repos.patches} patches)`, runs: init, target: '≤ 8 s (packit ≈ 80 s)' },
    { name: 'srcgit status (confirmed by conversion)', runs: status, target: '≤ 0.3 s (packit 1.1 s)' },
    { name: 'srcgit status --no-confirm (trailers only)', runs: trailersOnly, target: '' },
  ].map((row) => ({
    name: row.name,
    seconds: median(row.runs.map((m) => m.seconds)),
    cpuSeconds: median(row.runs.map((m) => m.cpuSeconds)),
    maxRssMb: Math.max(...row.runs.map((m) => m.maxRssMb)),
    target: row.target,
  }));
  const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0] ?? '?';
  const lines = [
    '',
    `source-git side on the same package: init from the fully synced dist-git, then status (median of ${options.runs} runs); status after init: ${state}; load average ${load}`,
    '',
    `${'run'.padEnd(48)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)} ${'peak RSS'.padStart(10)}  target`,
    ...rows.map(
      (row) =>
        `${row.name.padEnd(48)} ${`${row.seconds.toFixed(2)} s`.padStart(8)} ${`${row.cpuSeconds.toFixed(2)} s`.padStart(8)} ${`${row.maxRssMb.toFixed(0)} MB`.padStart(10)}  ${row.target}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await writeFile(
    join(options.root, '.bench', 'init-status.json'),
    JSON.stringify({ runs: options.runs, stateAfterInit: state, results: rows }, null, 2),
  );
}
