/**
 * `pnpm bench`, the converter on real-shaped packages (registered in bench/run.ts): a glibc 2.39
 * package that follows `bench/data/glibc-2.39-patch-series.tsv` patch by patch, and a curl-sized
 * one (the series' first 32 patches over a 3,600-file tree). Figures, not pass/fail.
 *
 * Prepared once per package and cached in `.bench/` (git-ignored): the generated upstream and
 * dist-git ({@link createShapedPackage}); source-git made from them by the built `srcgit init`,
 * with 5 new commits `git am`-ed on top; a dist-git synced before those 5 commits; and one synced
 * after them. Then the rows are measured in turns (one run of each row, then the next turn), each
 * srcgit run on fresh clones, and every ratio is the median of per-turn ratios to the package's
 * `git format-patch` of the same range.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from '../test-fixtures/src/index';
import { measure, median, pairedRatios, type Measurement } from './measure';
import { readPatchSeriesShape } from './patch-series-shape';
import { SHAPED_PACKAGE_GENERATOR_VERSION, createShapedPackage, type ShapedPackage } from './shaped-package';

export interface PackageBenchOptions {
  /** The repository root. */
  readonly root: string;
  /** The built CLI (`apps/cli/dist/main.js`). */
  readonly cli: string;
  /** Another build whose update-dist-git runs in the same turns (`SRCGIT_BENCH_BASELINE_CLI`). */
  readonly baselineCli: string | undefined;
  /** The environment the children get. */
  readonly environment: NodeJS.ProcessEnv;
  /** Turns (runs of every row). */
  readonly runs: number;
}

/** A package prepared for the rows. */
export interface PreparedPackage {
  readonly generated: ShapedPackage;
  /** Source-git made by `srcgit init`, plus {@link NEW_COMMITS} commits. */
  readonly sourceGitDir: string;
  /** Dist-git synced from source-git `HEAD~NEW_COMMITS`. */
  readonly syncedDistGitDir: string;
  /** Dist-git synced from source-git `HEAD`. */
  readonly upToDateDistGitDir: string;
  /** `<upstream ref>..HEAD` of source-git. */
  readonly range: string;
  readonly downstreamCommits: number;
}

/** Commits made after init ("new since the last sync"). */
export const NEW_COMMITS = 5;

interface Row {
  readonly name: string;
  readonly run: () => Promise<Measurement>;
  /** The row this one is a ratio to (same turn). */
  readonly pairedWith?: string;
  readonly target?: string;
}

/** Prepares both packages, measures every row, prints the table and writes `.bench/packages.json`. */
export async function benchPackages(options: PackageBenchOptions): Promise<{ glibc: PreparedPackage }> {
  const shape = await readPatchSeriesShape(join(options.root, 'bench/data/glibc-2.39-patch-series.tsv'));
  const glibc = await preparePackage(options, {
    name: 'glibc',
    version: '2.39',
    upstreamRef: 'glibc-2.39',
    shape,
    newCommits: shape.slice(-NEW_COMMITS),
    files: 19_474,
    upstreamCommits: 3_000,
    specLines: 4_804,
    seed: 1,
  });
  const curlShape = shape.slice(0, 32);
  const curl = await preparePackage(options, {
    name: 'curl',
    version: '8.6.0',
    upstreamRef: 'curl-8_6_0',
    shape: curlShape,
    newCommits: curlShape.slice(-NEW_COMMITS),
    files: 3_600,
    upstreamCommits: 1_000,
    specLines: 1_500,
    seed: 2,
  });
  const rows = [
    ...nodeRows(options),
    ...packageRows(options, glibc, { status: true, init: true, incremental: true }),
    ...packageRows(options, curl, { status: false, init: false, incremental: false }),
  ];
  const runs = await measureInTurns(rows, options.runs);
  const results = rows.map((row, index) => summarize(row, rows, runs, index));
  printTable(options, glibc, curl, results);
  await writeFile(
    join(options.root, '.bench', 'packages.json'),
    JSON.stringify({ runs: options.runs, cpus: cpus().length, loadAverage: loadavg(), results }, null, 2),
  );
  return { glibc };
}

/** Generates the package and its source-git and synced dist-gits, once (cached by generator version). */
async function preparePackage(
  options: PackageBenchOptions,
  shape: Omit<Parameters<typeof createShapedPackage>[0], 'dir'>,
): Promise<PreparedPackage> {
  const dir = join(options.root, '.bench', `shaped-v${SHAPED_PACKAGE_GENERATOR_VERSION}`, shape.name);
  const ready = join(dir, 'prepared.json');
  if (existsSync(ready)) return JSON.parse(await readFile(ready, 'utf8')) as PreparedPackage;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  process.stderr.write(`bench: generating the ${shape.name} package (once, cached in .bench/)…\n`);
  const generated = await createShapedPackage({ ...shape, dir });

  const sourceGitDir = join(dir, 'source-git');
  await runGit(['clone', '--quiet', generated.upstreamDir, sourceGitDir], { cwd: dir });
  await runChecked(
    options,
    [options.cli, 'init', generated.upstreamRef, sourceGitDir, generated.distGitDir],
    dir,
  );
  await runGit(['am', '--quiet', ...generated.newCommitMails], { cwd: sourceGitDir });

  const syncedDistGitDir = join(dir, 'dist-git-synced');
  const previous = join(dir, 'source-git-previous');
  await runGit(['worktree', 'add', '--quiet', '--detach', previous, `HEAD~${NEW_COMMITS}`], {
    cwd: sourceGitDir,
  });
  await runGit(['clone', '--quiet', generated.distGitDir, syncedDistGitDir], { cwd: dir });
  await runChecked(
    options,
    [options.cli, 'update-dist-git', '-m', 'Previous sync', previous, syncedDistGitDir],
    dir,
  );
  await runGit(['worktree', 'remove', '--force', previous], { cwd: sourceGitDir });

  const upToDateDistGitDir = join(dir, 'dist-git-up-to-date');
  await runGit(['clone', '--quiet', generated.distGitDir, upToDateDistGitDir], { cwd: dir });
  await runChecked(
    options,
    [options.cli, 'update-dist-git', '-m', 'Sync', sourceGitDir, upToDateDistGitDir],
    dir,
  );

  const range = `${generated.upstreamRef}..HEAD`;
  const downstreamCommits = Number(
    (await runGit(['rev-list', '--count', range], { cwd: sourceGitDir })).trim(),
  );
  const prepared: PreparedPackage = {
    generated,
    sourceGitDir,
    syncedDistGitDir,
    upToDateDistGitDir,
    range,
    downstreamCommits,
  };
  await writeFile(ready, JSON.stringify(prepared, null, 2));
  return prepared;
}

async function runChecked(options: PackageBenchOptions, args: readonly string[], cwd: string): Promise<void> {
  const result = await measure(process.execPath, args, cwd, options.environment);
  if (result.exitCode !== 0) throw new Error(`bench: srcgit ${args[1]} failed:\n${result.stderr}`);
}

/** Node's own start-up, with and (when set) without `NODE_EXTRA_CA_CERTS`. */
function nodeRows(options: PackageBenchOptions): Row[] {
  const extraCerts = options.environment.NODE_EXTRA_CA_CERTS !== undefined;
  const rows: Row[] = [
    {
      name: `node -e '' (Node's start-up${extraCerts ? ', without NODE_EXTRA_CA_CERTS' : ''})`,
      run: () => measure(process.execPath, ['-e', ''], options.root, withoutExtraCerts(options.environment)),
    },
  ];
  if (extraCerts) {
    rows.push({
      name: "node -e '' with this machine's NODE_EXTRA_CA_CERTS",
      run: () => measure(process.execPath, ['-e', ''], options.root, options.environment),
    });
  }
  return rows;
}

/** The rows of one package: the format-patch baseline, update-dist-git, and optionally status and init. */
function packageRows(
  options: PackageBenchOptions,
  prepared: PreparedPackage,
  include: { status: boolean; init: boolean; incremental: boolean },
): Row[] {
  const { generated, sourceGitDir, range } = prepared;
  const name = generated.name;
  const environment = withoutExtraCerts(options.environment);
  const baseline = `${name}: git format-patch ${range} (${prepared.downstreamCommits} commits)`;
  const update =
    (distGit: string, build: string = options.cli) =>
    () =>
      inFreshDirectory(async (work) => {
        await runGit(['clone', '--quiet', distGit, join(work, name)], { cwd: work });
        return measure(
          process.execPath,
          [build, 'update-dist-git', '-m', 'Update from source-git', sourceGitDir, join(work, name)],
          work,
          environment,
        );
      });
  const rows: Row[] = [
    {
      name: baseline,
      run: () =>
        inFreshDirectory((out) =>
          measure(
            'git',
            ['format-patch', '--quiet', '-o', out, range, '--', '.', ':(exclude).distro'],
            sourceGitDir,
            environment,
          ),
        ),
    },
  ];
  if (include.incremental) {
    rows.push({
      name: `${name}: update-dist-git -m, ${NEW_COMMITS} new commits since the last sync`,
      run: update(prepared.syncedDistGitDir),
      pairedWith: baseline,
      target: '≤ 1.0× format-patch, ≤ 0.5 s',
    });
  }
  rows.push({
    name: `${name}: update-dist-git -m, first sync after init (+${NEW_COMMITS} commits)`,
    run: update(generated.distGitDir),
    pairedWith: baseline,
    target: include.incremental ? '≤ 2.5× wall, ≤ 3× CPU' : '≤ 3× wall',
  });
  if (options.baselineCli !== undefined) {
    const other = options.baselineCli;
    if (include.incremental) {
      rows.push({
        name: `${name}:   the same ${NEW_COMMITS} new commits, baseline build`,
        run: update(prepared.syncedDistGitDir, other),
        pairedWith: baseline,
      });
    }
    rows.push({
      name: `${name}:   the same first sync, baseline build`,
      run: update(generated.distGitDir, other),
      pairedWith: baseline,
    });
  }
  if (include.status) rows.push(...statusRows(options, prepared, baseline));
  if (include.init) rows.push(initRow(options, prepared));
  return rows;
}

/**
 * `srcgit status` on fresh clones of source-git and the up-to-date dist-git, after an (untimed)
 * `update-dist-git` in them: the first run finds no cached answer, the second one what the first left.
 */
function statusRows(options: PackageBenchOptions, prepared: PreparedPackage, baseline: string): Row[] {
  const environment = withoutExtraCerts(options.environment);
  let second: Measurement | undefined;
  const status = (work: string) =>
    measure(
      process.execPath,
      [options.cli, 'status', '--json', join(work, 'source-git'), join(work, prepared.generated.name)],
      work,
      environment,
    );
  return [
    {
      name: `${prepared.generated.name}: status after a sync, uncached (confirmed by conversion)`,
      pairedWith: baseline,
      target: '≤ 1.5× format-patch (packit: 1.1 s)',
      run: () =>
        inFreshDirectory(async (work) => {
          await runGit(['clone', '--quiet', '--shared', prepared.sourceGitDir, join(work, 'source-git')], {
            cwd: work,
          });
          await runGit(
            ['clone', '--quiet', prepared.upToDateDistGitDir, join(work, prepared.generated.name)],
            {
              cwd: work,
            },
          );
          // As after a sync in these repositories (whatever it records in their git directories),
          // with no status answered yet; not timed.
          await runChecked(
            { ...options, environment },
            [
              options.cli,
              'update-dist-git',
              '-m',
              'Sync',
              join(work, 'source-git'),
              join(work, prepared.generated.name),
            ],
            work,
          );
          const first = await status(work);
          second = await status(work);
          const state = (JSON.parse(first.stdout || '{}') as { state?: string }).state;
          return state === 'in-sync' || first.exitCode !== 0
            ? first
            : {
                ...first,
                exitCode: 1,
                stderr: `status after a sync is ${state}, not in-sync\n${first.stdout}`,
              };
        }),
    },
    {
      name: `${prepared.generated.name}: status, cached (the same, run again)`,
      target: '≤ 0.3 s',
      run: () => {
        if (second === undefined) throw new Error('bench: the cached status row runs after the uncached one');
        return Promise.resolve(second);
      },
    },
  ];
}

/** `srcgit init` on a fresh clone of upstream at the release tag and a fresh clone of dist-git. */
function initRow(options: PackageBenchOptions, prepared: PreparedPackage): Row {
  const { generated } = prepared;
  return {
    name: `${generated.name}: init (${generated.patches} patches, ${generated.files} files)`,
    target: '≤ 4 s (packit ≈ 80 s)',
    run: () =>
      inFreshDirectory(async (work) => {
        const sourceGit = join(work, 'source-git');
        await runGit(['clone', '--quiet', generated.upstreamDir, sourceGit], { cwd: work });
        await runGit(['clone', '--quiet', generated.distGitDir, join(work, generated.name)], { cwd: work });
        return measure(
          process.execPath,
          [options.cli, 'init', generated.upstreamRef, sourceGit, join(work, generated.name)],
          work,
          withoutExtraCerts(options.environment),
        );
      }),
  };
}

async function measureInTurns(rows: readonly Row[], turns: number): Promise<Measurement[][]> {
  const runs = rows.map((): Measurement[] => []);
  for (let turn = 0; turn < turns; turn++) {
    for (const [index, row] of rows.entries()) {
      const measured = await row.run();
      if (measured.exitCode !== 0) throw new Error(`bench: ${row.name} failed:\n${measured.stderr}`);
      runs[index]?.push(measured);
    }
  }
  return runs;
}

interface RowResult {
  readonly name: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly ratio: { wall: number; cpu: number } | undefined;
  readonly target: string;
}

function summarize(row: Row, rows: readonly Row[], runs: readonly Measurement[][], index: number): RowResult {
  const measured = runs[index] ?? [];
  const pairedIndex = rows.findIndex((other) => other.name === row.pairedWith);
  return {
    name: row.name,
    seconds: median(measured.map((m) => m.seconds)),
    cpuSeconds: median(measured.map((m) => m.cpuSeconds)),
    maxRssMb: Math.max(...measured.map((m) => m.maxRssMb)),
    ratio: pairedIndex < 0 ? undefined : pairedRatios(measured, runs[pairedIndex] ?? []),
    target: row.target ?? '',
  };
}

function printTable(
  options: PackageBenchOptions,
  glibc: PreparedPackage,
  curl: PreparedPackage,
  results: readonly RowResult[],
): void {
  const describe = (prepared: PreparedPackage, source: string) => {
    const { generated } = prepared;
    return `${generated.name}: ${generated.patches} patches (${(generated.patchBytes / 1024).toFixed(0)} KiB, ${generated.fileDiffs} file diffs; ${source}), ${generated.specLines}-line spec, ${generated.files} upstream files, ${prepared.downstreamCommits} source-git commits`;
  };
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  const width = Math.max(...results.map((result) => result.name.length));
  const lines = [
    describe(glibc, 'shape of bench/data/glibc-2.39-patch-series.tsv'),
    describe(curl, 'its first 32 patches'),
    `median of ${options.runs} turns; ${cpus().length} CPUs, load average ${load} (1, 5, 15 min)`,
    '',
    `${'run'.padEnd(width)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)} ${'peak RSS'.padStart(9)} ${'wall ×'.padStart(7)} ${'CPU ×'.padStart(7)}  target`,
    ...results.map((result) =>
      [
        result.name.padEnd(width),
        `${result.seconds.toFixed(2)} s`.padStart(8),
        `${result.cpuSeconds.toFixed(2)} s`.padStart(8),
        `${result.maxRssMb.toFixed(0)} MB`.padStart(9),
        (result.ratio === undefined ? '' : result.ratio.wall.toFixed(2)).padStart(7),
        (result.ratio === undefined ? '' : result.ratio.cpu.toFixed(2)).padStart(7),
        ` ${result.target}`,
      ].join(' '),
    ),
    '',
    '"× " columns: median over turns of this run / the same turn\'s git format-patch of the package (paired ratios).',
    'CPU is user + system time of the process and its children; peak RSS is the largest single process (ru_maxrss).',
    'srcgit and git rows run without NODE_EXTRA_CA_CERTS (Node 20 parses that bundle at every start, nodejs/node#40524).',
    'peak RSS target: ≤ 300 MB everywhere.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function withoutExtraCerts(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...environment };
  delete copy.NODE_EXTRA_CA_CERTS;
  return copy;
}

async function inFreshDirectory<T>(action: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-bench-'));
  try {
    return await action(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
