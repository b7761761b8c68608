/**
 * `pnpm bench`: how fast and how lean `srcgit update-dist-git` is on a glibc-sized package,
 * next to plain `git format-patch` of the same range. Figures, not pass/fail.
 *
 * The glibc-like repositories (~20k files, 3 000 upstream commits, 130 downstream commits, a
 * ~500-line dist-git spec with 127 patches) are generated deterministically once and cached in
 * `.bench/` (git-ignored). Every measured run gets a fresh clone of the cached dist-git and runs
 * the built CLI as a child process under `/usr/bin/time` (wall time, peak RSS).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GLIBC_LIKE_GENERATOR_VERSION,
  converterGitEnv,
  createGlibcLikeRepositories,
  runGit,
  type GlibcLikeRepositories,
} from '../test-fixtures/src/index';
import { benchInitAndStatus } from './init-status';
import { benchIntake } from './intake';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/**
 * The built CLI. `SRCGIT_BENCH_CLI` may name another build, e.g. a snapshot made with
 * `pnpm --filter=@srcgit/cli deploy --prod --legacy DIR` (then `DIR/dist/main.js`), so that
 * rebuilds in the working tree cannot disturb a run.
 */
const cli = process.env.SRCGIT_BENCH_CLI ?? join(root, 'apps/cli/dist/main.js');
const RUNS = 3;
/** Downstream commits the "previous sync" of the incremental scenario leaves out. */
const NEW_COMMITS = 5;

interface Measurement {
  readonly seconds: number;
  /** User + system CPU time of the process and its children (robust on a busy machine). */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly exitCode: number;
  readonly stderr: string;
}

/** Runs a command under `/usr/bin/time`: wall time (measured here), CPU time and peak RSS. */
async function measure(command: string, args: readonly string[], cwd: string): Promise<Measurement> {
  const scratch = await mkdtemp(join(tmpdir(), 'srcgit-bench-time-'));
  const report = join(scratch, 'time');
  const started = performance.now();
  const { exitCode, stderr } = await new Promise<{ exitCode: number; stderr: string }>((done) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', report, command, ...args], {
      cwd,
      env: { ...process.env, ...converterGitEnv() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('close', (code) => done({ exitCode: code ?? -1, stderr: errors }));
  });
  const seconds = (performance.now() - started) / 1000;
  const [maxRssKb = 0, user = 0, system = 0] = (
    (await readFile(report, 'utf8')).trim().split('\n').pop() ?? ''
  )
    .split(' ')
    .map(Number);
  await rm(scratch, { recursive: true, force: true });
  return { seconds, cpuSeconds: user + system, maxRssMb: maxRssKb / 1024, exitCode, stderr };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function prepare(): Promise<{ repos: GlibcLikeRepositories; syncedDistGit: string; cache: string }> {
  const cache = join(root, '.bench', `glibc-like-v${GLIBC_LIKE_GENERATOR_VERSION}`);
  const meta = join(cache, 'repositories.json');
  const syncedDistGit = join(cache, 'dist-git-synced');
  if (existsSync(join(cache, 'ready'))) {
    return { repos: JSON.parse(await readFile(meta, 'utf8')) as GlibcLikeRepositories, syncedDistGit, cache };
  }
  await rm(cache, { recursive: true, force: true });
  await mkdir(cache, { recursive: true });
  process.stderr.write('bench: generating the glibc-like repositories (once, cached in .bench/)…\n');
  const started = performance.now();
  const repos = await createGlibcLikeRepositories({ dir: cache });
  process.stderr.write(`bench: generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  // The incremental scenario starts from a dist-git synced NEW_COMMITS commits before HEAD.
  const worktree = join(cache, 'source-git-previous');
  await runGit(['worktree', 'add', '--quiet', '--detach', worktree, `HEAD~${NEW_COMMITS}`], {
    cwd: repos.sourceGitDir,
  });
  await runGit(['clone', '--quiet', repos.distGitDir, syncedDistGit], { cwd: cache });
  const previous = await measure(
    process.execPath,
    [cli, 'update-dist-git', '-m', 'Previous sync', worktree, syncedDistGit],
    root,
  );
  if (previous.exitCode !== 0) throw new Error(`bench: the previous sync failed:\n${previous.stderr}`);
  await runGit(['worktree', 'remove', '--force', worktree], { cwd: repos.sourceGitDir });
  await writeFile(meta, JSON.stringify(repos, null, 2));
  await writeFile(join(cache, 'ready'), '');
  return { repos, syncedDistGit, cache };
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`bench: ${cli} is missing; run "pnpm build" first`);
  const { repos, syncedDistGit } = await prepare();
  const sourceGit = repos.sourceGitDir;
  const range = `${repos.upstreamRef}..HEAD`;
  const distGitSpecLines =
    (await runGit(['show', 'HEAD:glibc.spec'], { cwd: syncedDistGit })).split('\n').length - 1;

  const scenarios: { name: string; distGit: string }[] = [
    { name: `update-dist-git -m, ${NEW_COMMITS} new commits since the last sync`, distGit: syncedDistGit },
    { name: 'update-dist-git -m, first sync (every patch new)', distGit: repos.distGitDir },
  ];
  const results: { name: string; seconds: number; cpuSeconds: number; maxRssMb: number }[] = [];

  const formatPatch: Measurement[] = [];
  for (let run = 0; run < RUNS; run++) {
    const out = await mkdtemp(join(tmpdir(), 'srcgit-bench-fp-'));
    formatPatch.push(
      await measure(
        'git',
        ['format-patch', '--quiet', '-o', out, range, '--', '.', ':(exclude).distro'],
        sourceGit,
      ),
    );
    await rm(out, { recursive: true, force: true });
  }
  const baseline = {
    seconds: median(formatPatch.map((m) => m.seconds)),
    cpuSeconds: median(formatPatch.map((m) => m.cpuSeconds)),
    maxRssMb: median(formatPatch.map((m) => m.maxRssMb)),
  };
  results.push({ name: `git format-patch ${range} (baseline)`, ...baseline });

  for (const scenario of scenarios) {
    const runs: Measurement[] = [];
    for (let run = 0; run < RUNS; run++) {
      const work = await mkdtemp(join(tmpdir(), 'srcgit-bench-dg-'));
      await runGit(['clone', '--quiet', scenario.distGit, join(work, 'dist-git')], { cwd: work });
      const measured = await measure(
        process.execPath,
        [cli, 'update-dist-git', '-m', 'Update from source-git', sourceGit, join(work, 'dist-git')],
        root,
      );
      await rm(work, { recursive: true, force: true });
      if (measured.exitCode !== 0) throw new Error(`bench: ${scenario.name} failed:\n${measured.stderr}`);
      runs.push(measured);
    }
    results.push({
      name: scenario.name,
      seconds: median(runs.map((m) => m.seconds)),
      cpuSeconds: median(runs.map((m) => m.cpuSeconds)),
      maxRssMb: Math.max(...runs.map((m) => m.maxRssMb)),
    });
  }

  const baselineCpu: number = baseline.cpuSeconds > 0 ? baseline.cpuSeconds : 0.01;
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  const lines = [
    `glibc-like package: ${repos.files} files, ${repos.downstreamCommits} downstream commits, ${repos.patches} patches, ` +
      `.distro spec ${repos.specLines} lines, dist-git spec ${distGitSpecLines} lines (median of ${RUNS} runs; ` +
      `${cpus().length} CPUs, load average ${load})`,
    '',
    `${'run'.padEnd(64)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)} ${'peak RSS'.padStart(9)} ${'wall ×'.padStart(7)} ${'CPU ×'.padStart(7)}`,
    ...results.map((result) =>
      [
        result.name.padEnd(64),
        `${result.seconds.toFixed(2)} s`.padStart(8),
        `${result.cpuSeconds.toFixed(2)} s`.padStart(8),
        `${result.maxRssMb.toFixed(0)} MB`.padStart(9),
        (result.seconds / baseline.seconds).toFixed(2).padStart(7),
        (result.cpuSeconds / baselineCpu).toFixed(2).padStart(7),
      ].join(' '),
    ),
    '',
    'targets: update-dist-git ≤ 3× git format-patch (wall), peak RSS ≤ 300 MB; "× " columns are ratios to the baseline.',
    'CPU is user + system time of the process and its children: comparable even when the machine is busy.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await writeFile(
    join(root, '.bench', 'update-dist-git.json'),
    JSON.stringify(
      { repos: { ...repos, distGitSpecLines }, runs: RUNS, loadAverage: loadavg(), results },
      null,
      2,
    ),
  );
  await benchInitAndStatus({ root, cli, repos, runs: RUNS });
  await benchIntake({ root, repos });
}

await main();
