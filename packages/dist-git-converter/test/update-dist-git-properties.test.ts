/**
 * Properties of `updateDistGit` on generated source-git histories (renames, binary files,
 * deletions, mode changes, `.distro`-only and empty commits, squashed `Patch-name` groups):
 *
 * 1. applying the dist-git patches in the spec's order (`git am`, as `%autosetup -S git_am` would)
 *    to the upstream tree reproduces the source-git tree outside the ignored `.distro/`;
 * 2. a second run changes nothing: no commit is possible and dist-git is byte-identical.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  createBeerFixture,
  createTempDir,
  runGit,
  vectorDate,
  type BeerFixture,
} from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import { updateDistGit } from '../src/update-dist-git';
import { fixedClock, fixedGitRunner, repositoryState } from './support/dist-git-state';

const execFileAsync = promisify(execFile);

type Operation =
  | { readonly kind: 'write'; readonly path: string; readonly text: string }
  | { readonly kind: 'delete'; readonly path: string }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'binary'; readonly path: string; readonly bytes: Uint8Array }
  | { readonly kind: 'chmod'; readonly path: string; readonly executable: boolean }
  | { readonly kind: 'distro'; readonly path: string; readonly text: string };

interface GeneratedCommit {
  readonly operations: readonly Operation[];
  /** Squash into the previous commit's patch (same `Patch-name`). */
  readonly squash: boolean;
}

const PATHS = ['hops', 'README', 'malt', 'src/brew.c', 'src/lib/yeast.h', 'docs/guide.md'];
const LINES = ['Amarillo', 'Citra', 'Munich', 'Pilsen', 'Saaz', 'int main(void) { return 0; }'];

const text = fc
  .array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 6 })
  .map((lines) => `${lines.join('\n')}\n`);
const path = fc.constantFrom(...PATHS);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), path, text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), path }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename' as const), from: path, to: path }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('binary' as const),
      path: fc.constantFrom('logo.png', 'src/table.bin'),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }).map((bytes) => Uint8Array.from([0, ...bytes])),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('chmod' as const), path, executable: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('distro' as const),
      path: fc.constantFrom('.distro/tests/smoke.sh', '.distro/notes.txt'),
      text,
    }),
  },
);
const history = fc.array(
  fc.record({ operations: fc.array(operation, { minLength: 1, maxLength: 3 }), squash: fc.boolean() }),
  { minLength: 1, maxLength: 5 },
);

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

/** Applies one operation to the source-git working tree; operations that make no sense are skipped. */
async function apply(dir: string, op: Operation): Promise<void> {
  if (op.kind === 'write' || op.kind === 'distro' || op.kind === 'binary') {
    const target = join(dir, op.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, op.kind === 'binary' ? op.bytes : op.text);
  } else if (op.kind === 'delete') {
    await rm(join(dir, op.path), { force: true });
  } else if (op.kind === 'rename') {
    if (op.from === op.to || !(await exists(join(dir, op.from))) || (await exists(join(dir, op.to)))) return;
    await mkdir(dirname(join(dir, op.to)), { recursive: true });
    await rename(join(dir, op.from), join(dir, op.to));
  } else if (await exists(join(dir, op.path))) {
    await chmod(join(dir, op.path), op.executable ? 0o755 : 0o644);
  }
}

async function buildHistory(fixture: BeerFixture, commits: readonly GeneratedCommit[]): Promise<void> {
  // A commit that squashes joins the group of the commit before it; groups of two or more share
  // the Patch-name of their first commit.
  const groupStart = commits.map((commit, index) => (commit.squash && index > 0 ? -1 : index));
  for (let index = 1; index < groupStart.length; index++) {
    if (groupStart[index] === -1) groupStart[index] = groupStart[index - 1] ?? 0;
  }
  for (const [index, commit] of commits.entries()) {
    for (const op of commit.operations) await apply(fixture.sourceGit.dir, op);
    const start = groupStart[index] ?? index;
    const grouped = groupStart.filter((other) => other === start).length > 1;
    const subject = `Change ${index + 1}: ${commit.operations.map((op) => op.kind).join(' and ')}`;
    await fixture.sourceGit.commit(grouped ? `${subject}\n\nPatch-name: group-${start}.patch\n` : subject, {
      date: vectorDate(index + 1),
      allowEmpty: true,
    });
  }
}

/** The patch files of a dist-git spec in the order rpm applies them (by Patch number). */
async function patchesInSpecOrder(specFile: string): Promise<string[]> {
  const { stdout } = await execFileAsync('rpmspec', ['-P', specFile]);
  return [...stdout.matchAll(/^Patch(\d*):\s*(\S+)\s*$/gm)]
    .map((match) => ({ number: Number(match[1] === '' ? '0' : match[1]), file: match[2] ?? '' }))
    .sort((a, b) => a.number - b.number)
    .map((entry) => entry.file);
}

describe('updateDistGit on generated histories', () => {
  it('produces patches that rebuild the source-git tree, and a second run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (commits) => {
        const fixture = await createBeerFixture();
        await buildHistory(fixture, commits);
        const first = await updateDistGit({
          sourceGitDir: fixture.sourceGit.dir,
          distGitDir: fixture.distGit.dir,
          git: fixedGitRunner(),
          now: fixedClock,
          message: 'Sync',
        }).catch((error: unknown) => {
          // Histories whose every change is undone or .distro-only leave nothing to commit.
          if (isConverterError(error) && error.code === 'NOTHING_TO_COMMIT') return undefined;
          throw error;
        });

        // 1. The upstream tree + the patches in spec order = source-git HEAD outside .distro.
        const work = createTempDir('apply');
        await runGit(['clone', '--quiet', fixture.sourceGit.dir, work.path], { cwd: work.path });
        await runGit(['checkout', '--quiet', '--detach', '0.1.0'], { cwd: work.path });
        const patches = await patchesInSpecOrder(join(fixture.distGit.dir, 'beer.spec'));
        expect(patches).toEqual(first?.plan.patches.map((patch) => patch.fileName) ?? []);
        if (patches.length > 0) {
          await runGit(
            ['am', '--quiet', '--keep-cr', ...patches.map((file) => join(fixture.distGit.dir, file))],
            { cwd: work.path },
          );
        }
        const sourceHead = await fixture.sourceGit.revParse('HEAD');
        const difference = await runGit(
          ['diff', '--stat', 'HEAD', sourceHead, '--', '.', ':(exclude).distro'],
          {
            cwd: work.path,
          },
        );
        expect(difference).toBe('');
        await work.remove();

        // 2. Idempotence: a second run has nothing to commit and leaves dist-git as it is.
        const before = await repositoryState(fixture.distGit.dir);
        const second = await updateDistGit({
          sourceGitDir: fixture.sourceGit.dir,
          distGitDir: fixture.distGit.dir,
          git: fixedGitRunner(),
          now: fixedClock,
          message: 'Sync again',
        }).then(
          () => 'committed',
          (error: unknown) => (isConverterError(error) ? error.code : String(error)),
        );
        expect(second).toBe('NOTHING_TO_COMMIT');
        expect(await repositoryState(fixture.distGit.dir)).toEqual(before);
        await fixture.sourceGit.remove();
        await fixture.distGit.remove();
      }),
      { numRuns: 10 },
    );
  }, 240_000);
});
