/**
 * Generated source-git histories for property tests: commits of file operations (writes,
 * deletions, renames, binary files, mode changes, `.distro`-only changes), squashed `Patch-name`
 * groups, and, in {@link richHistory}, `Patch-status`, `Ignore-patch`, exact reverts of earlier
 * commits and commits taking the name of an earlier, non-adjacent patch.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit, vectorDate, type BeerFixture } from '@srcgit/test-fixtures';
import fc from 'fast-check';

export type Operation =
  | { readonly kind: 'write'; readonly path: string; readonly text: string }
  | { readonly kind: 'delete'; readonly path: string }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'binary'; readonly path: string; readonly bytes: Uint8Array }
  | { readonly kind: 'chmod'; readonly path: string; readonly executable: boolean }
  | { readonly kind: 'distro'; readonly path: string; readonly text: string };

/** How a commit's message marks it (the default: none, or the squash group's Patch-name). */
export type CommitStyle =
  | { readonly kind: 'plain' }
  | { readonly kind: 'status'; readonly status: string }
  | { readonly kind: 'ignore' }
  /** `git revert` of the commit this many commits back (when it reverts cleanly; else empty). */
  | { readonly kind: 'revert'; readonly back: number }
  /** The `Patch-name` of the group started this many commits back. */
  | { readonly kind: 'earlier-name'; readonly back: number };

export interface GeneratedCommit {
  readonly operations: readonly Operation[];
  /** Squash into the previous commit's patch (same `Patch-name`). */
  readonly squash: boolean;
  readonly style?: CommitStyle;
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

/** Histories of file operations and squash groups. */
export const history = fc.array(
  fc.record({ operations: fc.array(operation, { minLength: 1, maxLength: 3 }), squash: fc.boolean() }),
  { minLength: 1, maxLength: 5 },
);

const style: fc.Arbitrary<CommitStyle> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'plain' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      status: fc.constantFrom('Upstream', 'Not upstream'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'ignore' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('revert' as const), back: fc.integer({ min: 1, max: 6 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('earlier-name' as const),
      back: fc.integer({ min: 2, max: 6 }),
    }),
  },
);

/** {@link history} with message styles: Patch-status, Ignore-patch, reverts, earlier names. */
export function richHistory(options: { readonly minLength: number; readonly maxLength: number }) {
  return fc.array(
    fc.record({
      operations: fc.array(operation, { minLength: 1, maxLength: 3 }),
      squash: fc.boolean(),
      style,
    }),
    options,
  );
}

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

/**
 * Commits `commits[from..to)` in the fixture's source-git (the whole list by default), appending
 * their shas to `shas` (the commits made so far, for reverts). A commit that squashes joins the
 * group of the commit before it; groups of two or more share the Patch-name of their first commit.
 */
export async function buildHistory(
  fixture: BeerFixture,
  commits: readonly GeneratedCommit[],
  range: { readonly from?: number; readonly to?: number; readonly shas?: string[] } = {},
): Promise<void> {
  const shas = range.shas ?? [];
  const groupStart = commits.map((commit, index) => (commit.squash && index > 0 ? -1 : index));
  for (let index = 1; index < groupStart.length; index++) {
    if (groupStart[index] === -1) groupStart[index] = groupStart[index - 1] ?? 0;
  }
  const dir = fixture.sourceGit.dir;
  for (let index = range.from ?? 0; index < (range.to ?? commits.length); index++) {
    const commit = commits[index] as GeneratedCommit;
    const start = groupStart[index] ?? index;
    const grouped = groupStart.filter((other) => other === start).length > 1;
    const subject = `Change ${index + 1}: ${commit.operations.map((op) => op.kind).join(' and ')}`;
    const trailers: string[] = [];
    if (grouped) trailers.push(`Patch-name: group-${start}.patch`);
    let message = subject;
    const kind = commit.style?.kind ?? 'plain';
    if (commit.style?.kind === 'revert' && shas.length >= commit.style.back) {
      const target = shas[shas.length - commit.style.back] as string;
      const reverted = await runGit(['revert', '--no-commit', target], { cwd: dir }).then(
        () => true,
        async () => {
          await runGit(['reset', '--quiet', '--hard', 'HEAD'], { cwd: dir });
          return false;
        },
      );
      message = reverted ? `Revert change ${index + 1}\n\nThis reverts commit ${target}.` : subject;
    } else {
      for (const op of commit.operations) await apply(dir, op);
      if (commit.style?.kind === 'status') trailers.push(`Patch-status: ${commit.style.status}`);
      if (kind === 'ignore') trailers.push('Ignore-patch: true');
      if (commit.style?.kind === 'earlier-name' && index >= commit.style.back && !grouped) {
        trailers.push(`Patch-name: group-${groupStart[index - commit.style.back] ?? 0}.patch`);
      }
    }
    const full = trailers.length === 0 ? message : `${message}\n\n${trailers.join('\n')}\n`;
    shas.push(await fixture.sourceGit.commit(full, { date: vectorDate(index + 1), allowEmpty: true }));
  }
}
