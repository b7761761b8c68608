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
/** The environment, read once here: the children get it, and the settings below come from it. */
const inheritedEnv: NodeJS.ProcessEnv = { ...process.env };
const cli = inheritedEnv.SRCGIT_BENCH_CLI ?? join(root, 'apps/cli/dist/main.js');
/**
 * Another build to compare with, e.g. the last release's `dist/` copied aside: its rows run in the
 * same turns as this build's, and each run's ratio (this build / that one) is reported as a median,
 * so a change's cost is measured pairwise instead of across two benchmark sessions.
 */
const baselineCli = inheritedEnv.SRCGIT_BENCH_BASELINE_CLI;
/** Runs per row; the rows are measured in turns (one run of each, then the next), so a machine whose load drifts affects all alike. */
const RUNS = 7;
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
async function measure(
  command: string,
  args: readonly string[],
  cwd: string,
  environment: NodeJS.ProcessEnv = inheritedEnv,
): Promise<Measurement> {
  const scratch = await mkdtemp(join(tmpdir(), 'srcgit-bench-time-'));
  const report = join(scratch, 'time');
  const started = performance.now();
  const { exitCode, stderr } = await new Promise<{ exitCode: number; stderr: string }>((done) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', report, command, ...args], {
      cwd,
      env: { ...environment, ...converterGitEnv() },
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

/**
 * For each "baseline build" row, the median over runs of (this build's wall time / the baseline
 * build's) for the row it twins, measured in the same turn.
 */
function pairedRatios(names: readonly string[], runs: readonly (readonly Measurement[])[]): string[] {
  if (baselineCli === undefined) return [];
  const twins: [string, string][] = [
    [
      `update-dist-git -m, ${NEW_COMMITS} new commits since the last sync`,
      `  the same ${NEW_COMMITS} new commits, baseline build`,
    ],
    ['update-dist-git -m, first sync (every patch new)', '  the same first sync, baseline build'],
  ];
  const lines = twins.map(([mine, theirs]) => {
    const ours = runs[names.indexOf(mine)] ?? [];
    const base = runs[names.indexOf(theirs)] ?? [];
    const wall = median(ours.map((m, i) => m.seconds / (base[i]?.seconds ?? Number.NaN)));
    const cpu = median(ours.map((m, i) => m.cpuSeconds / (base[i]?.cpuSeconds ?? Number.NaN)));
    return `${mine}: this build / baseline build = ${wall.toFixed(3)} wall, ${cpu.toFixed(3)} CPU (median of paired runs)`;
  });
  return [`paired with the baseline build ${baselineCli}:`, ...lines, ''];
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

  // This workplace sets NODE_EXTRA_CA_CERTS (for its proxy). Node 20 then parses the whole CA
  // bundle while starting, before any JavaScript runs (nodejs/node#40524): 35–40 ms per process
  // here, which a packager's machine does not pay. The rows without it show srcgit's own cost.
  const withoutExtraCerts: NodeJS.ProcessEnv = { ...inheritedEnv };
  delete withoutExtraCerts.NODE_EXTRA_CA_CERTS;
  const extraCerts = inheritedEnv.NODE_EXTRA_CA_CERTS !== undefined;
  const update =
    (distGit: string, environment?: NodeJS.ProcessEnv, build: string = cli) =>
    async (): Promise<Measurement> => {
      const work = await mkdtemp(join(tmpdir(), 'srcgit-bench-dg-'));
      try {
        await runGit(['clone', '--quiet', distGit, join(work, 'dist-git')], { cwd: work });
        return await measure(
          process.execPath,
          [build, 'update-dist-git', '-m', 'Update from source-git', sourceGit, join(work, 'dist-git')],
          root,
          environment,
        );
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    };
  const rows: { name: string; run: () => Promise<Measurement> }[] = [
    {
      name: `git format-patch ${range} (baseline)`,
      run: async () => {
        const out = await mkdtemp(join(tmpdir(), 'srcgit-bench-fp-'));
        try {
          return await measure(
            'git',
            ['format-patch', '--quiet', '-o', out, range, '--', '.', ':(exclude).distro'],
            sourceGit,
          );
        } finally {
          await rm(out, { recursive: true, force: true });
        }
      },
    },
    {
      name: `update-dist-git -m, ${NEW_COMMITS} new commits since the last sync`,
      run: update(syncedDistGit),
    },
    { name: 'update-dist-git -m, first sync (every patch new)', run: update(repos.distGitDir) },
    ...(extraCerts
      ? [
          {
            name: `  the same ${NEW_COMMITS} new commits, without NODE_EXTRA_CA_CERTS`,
            run: update(syncedDistGit, withoutExtraCerts),
          },
          {
            name: '  the same first sync, without NODE_EXTRA_CA_CERTS',
            run: update(repos.distGitDir, withoutExtraCerts),
          },
        ]
      : []),
    ...(baselineCli === undefined
      ? []
      : [
          {
            name: `  the same ${NEW_COMMITS} new commits, baseline build`,
            run: update(syncedDistGit, undefined, baselineCli),
          },
          {
            name: '  the same first sync, baseline build',
            run: update(repos.distGitDir, undefined, baselineCli),
          },
        ]),
    {
      name: `node -e '' (Node's own start-up${extraCerts ? ', with NODE_EXTRA_CA_CERTS' : ''})`,
      run: () => measure(process.execPath, ['-e', ''], root),
    },
  ];
  const runs = rows.map((): Measurement[] => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [index, row] of rows.entries()) {
      const measured = await row.run();
      if (measured.exitCode !== 0) throw new Error(`bench: ${row.name} failed:\n${measured.stderr}`);
      runs[index]?.push(measured);
    }
  }
  const results = rows.map((row, index) => {
    const measured = runs[index] ?? [];
    return {
      name: row.name,
      seconds: median(measured.map((m) => m.seconds)),
      cpuSeconds: median(measured.map((m) => m.cpuSeconds)),
      maxRssMb: Math.max(...measured.map((m) => m.maxRssMb)),
    };
  });
  const baseline = results[0] as (typeof results)[number];
  const paired = pairedRatios(
    rows.map((row) => row.name),
    runs,
  );

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
    ...paired,
    'targets: update-dist-git ≤ 3× git format-patch (wall), peak RSS ≤ 300 MB; "× " columns are ratios to the baseline.',
    'CPU is user + system time of the process and its children: comparable even when the machine is busy.',
    ...(extraCerts
      ? [
          'NODE_EXTRA_CA_CERTS is set here: Node 20 parses that CA bundle at every start (nodejs/node#40524); the indented rows run without it.',
        ]
      : []),
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
  await benchInitAndStatus({ root, cli, repos, runs: 5 });
  await benchIntake({ root, repos });
}

await main();
