/**
 * Micro benchmark: `generatePatchSeries` on a generated 130-commit downstream range versus plain
 * `git format-patch --stdout` of the same range (the floor: srcgit cannot be faster than the git
 * process it runs). Prints both medians and the ratio; figures, not pass/fail.
 *
 * Run after building the converter:
 *   pnpm turbo run build --filter=@srcgit/dist-git-converter
 *   node --import tsx bench/patch-series.bench.ts [--commits 130] [--runs 7] [--keep]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGitRepo, type GitRepo } from '../test-fixtures/src/index';

const distUrl = new URL('../packages/dist-git-converter/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(distUrl))) {
  console.error('Build the converter first: pnpm turbo run build --filter=@srcgit/dist-git-converter');
  process.exit(1);
}
/** The part of the converter's API this benchmark uses (loaded from the build, not the sources). */
interface Converter {
  createGitRunner: () => unknown;
  generatePatchSeries: (options: {
    sourceGitDir: string;
    upstreamRef: string;
    excludePaths: string[];
    patchComments: 'subject' | 'none';
    git: unknown;
  }) => Promise<{ patches: readonly unknown[]; skipped: readonly unknown[] }>;
}
const { createGitRunner, generatePatchSeries } = (await import(distUrl.href)) as Converter;

const { values } = parseArgs({
  options: {
    commits: { type: 'string', default: '130' },
    runs: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const COMMITS = Number(values.commits);
const RUNS = Number(values.runs);
const UPSTREAM_FILES = 300;
const LINES = 150;

/** A deterministic pseudo-random sequence, so every run builds the same repository. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

async function buildRepository(): Promise<GitRepo> {
  const next = random(42);
  const repo = await createGitRepo();
  const files: Record<string, string[]> = {};
  for (let index = 0; index < UPSTREAM_FILES; index++) {
    files[`src/module${String(index).padStart(3, '0')}.c`] = Array.from(
      { length: LINES },
      (_, line) => `int f${index}_${line}(int x) { return x * ${line} + ${index}; }`,
    );
  }
  const tree = () =>
    Object.fromEntries(Object.entries(files).map(([path, lines]) => [path, `${lines.join('\n')}\n`]));
  await repo.commit('upstream release 1.0', { files: tree() });
  await repo.git(['tag', '1.0']);
  await repo.commit('Initialize as a source-git repository', {
    files: {
      '.distro/bench.spec': 'Name: bench\n',
      '.distro/source-git.yaml': 'downstream_package_name: bench\n',
    },
  });
  const paths = () => Object.keys(files);
  for (let commit = 1; commit <= COMMITS; commit++) {
    const changed: Record<string, string | Uint8Array | null> = {};
    if (commit % 20 === 0) {
      changed['.distro/bench.spec'] = `Name: bench\nRelease: ${commit}\n`;
    } else if (commit % 15 === 0) {
      const from = paths()[Math.floor(next() * paths().length)] as string;
      const to = from.replace('.c', `_renamed${commit}.c`);
      const moved = files[from] ?? [];
      files[to] = moved;
      delete files[from];
      changed[from] = null;
      changed[to] = `${moved.join('\n')}\n`;
    } else if (commit % 10 === 0) {
      const path = `src/new${commit}.c`;
      const added = Array.from({ length: 40 }, (_, line) => `/* new ${commit} ${line} */`);
      files[path] = added;
      changed[path] = `${added.join('\n')}\n`;
    } else if (commit === 7) {
      changed['assets/logo.bin'] = Uint8Array.from({ length: 4096 }, () => Math.floor(next() * 256));
    } else {
      const count = 1 + Math.floor(next() * 4);
      for (let file = 0; file < count; file++) {
        const path = paths()[Math.floor(next() * paths().length)] as string;
        const lines = files[path] as string[];
        for (let edit = 0; edit < 3; edit++) {
          lines[Math.floor(next() * lines.length)] = `/* downstream change ${commit}.${file}.${edit} */`;
        }
        changed[path] = `${lines.join('\n')}\n`;
      }
    }
    const trailers =
      commit % 3 === 0 ? `\n\nPatch-name: change-${commit}.patch\n` : '\n\nSome explanation.\n';
    await repo.commit(`Downstream change number ${commit}${trailers}`, { files: changed });
  }
  return repo;
}

function formatPatch(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['format-patch', '--stdout', '1.0..HEAD', '--', '.', ':(exclude).distro'], {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`git exited ${code}`))));
  });
}

async function time(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const buildStart = process.hrtime.bigint();
const repo = await buildRepository();
const built = Number(process.hrtime.bigint() - buildStart) / 1e6;
const dir = repo.dir;
const git = createGitRunner();
const generate = () =>
  generatePatchSeries({
    sourceGitDir: dir,
    upstreamRef: '1.0',
    excludePaths: ['.distro'],
    patchComments: 'subject',
    git,
  });

const sample = await generatePatchSeries({
  sourceGitDir: dir,
  upstreamRef: '1.0',
  excludePaths: ['.distro'],
  patchComments: 'subject',
  git,
});
const outputBytes = await formatPatch(dir);
const plain: number[] = [];
const ours: number[] = [];
for (let run = 0; run < RUNS; run++) {
  plain.push(await time(() => formatPatch(dir)));
  ours.push(await time(generate));
}
const plainMs = median(plain);
const oursMs = median(ours);
console.log(
  `repository: ${COMMITS} downstream commits over ${UPSTREAM_FILES} files (built in ${(built / 1000).toFixed(1)} s)`,
);
console.log(
  `patches: ${sample.patches.length}, skipped: ${sample.skipped.length}, format-patch output: ${(outputBytes / 1024).toFixed(0)} KiB`,
);
console.log(`git format-patch --stdout: median ${plainMs.toFixed(1)} ms over ${RUNS} runs`);
console.log(`generatePatchSeries:       median ${oursMs.toFixed(1)} ms over ${RUNS} runs`);
console.log(`ratio: ${(oursMs / plainMs).toFixed(2)}x`);
if (values.keep) console.log(`repository kept in ${dir}`);
else await repo.remove();
