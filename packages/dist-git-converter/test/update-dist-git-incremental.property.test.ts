/**
 * The incremental conversion (docs/converter-behaviour.md §2.11) gives the full conversion's bytes:
 * on generated histories (adds, edits, renames, deletions, binary files, squash groups that
 * continue across the last sync, `Patch-status`, `Ignore-patch`, reverts, a commit taking an
 * earlier patch's name), dist-git is synced once, more commits follow, and the next sync runs
 * twice from the same dist-git commit — incrementally and in full. Both must commit the same
 * tree (hence byte-identical files), print the same plan, or fail with the same error.
 */
import { createBeerFixture, runGit } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import { updateDistGit } from '../src/update-dist-git';
import type { UpdateDistGitResult } from '../src/update-dist-git-options';
import { fixedClock, fixedGitRunner } from './support/dist-git-state';
import { buildHistory, richHistory } from './support/generated-history';

/** fast-check's seed: fixed, so the coverage check below is deterministic (see the assertion). */
const SEED = 20261208;

type Outcome =
  | { readonly ok: true; readonly result: UpdateDistGitResult; readonly tree: string }
  | { readonly ok: false; readonly code: string };

async function sync(sourceGitDir: string, distGitDir: string, incremental: boolean): Promise<Outcome> {
  try {
    const result = await updateDistGit({
      sourceGitDir,
      distGitDir,
      git: fixedGitRunner(),
      now: fixedClock,
      message: 'Sync',
      incremental,
    });
    const tree = (await runGit(['rev-parse', 'HEAD^{tree}'], { cwd: distGitDir })).trim();
    return { ok: true, result, tree };
  } catch (error) {
    if (!isConverterError(error)) throw error;
    return { ok: false, code: error.code };
  }
}

/** The plan without what names the working directories. */
function comparable(result: UpdateDistGitResult) {
  const { plan } = result;
  return {
    status: plan.status,
    head: plan.sourceGit.head,
    commits: plan.commits,
    patches: plan.patches,
    files: plan.files,
    specDiff: plan.specDiff,
    commitMessage: plan.commitMessage,
    warnings: plan.warnings,
  };
}

describe('updateDistGit incrementally', () => {
  it('gives the full conversion: the same tree, the same plan, the same errors', async () => {
    const conversions: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        richHistory({ minLength: 2, maxLength: 9 }),
        fc.integer({ min: 1, max: 8 }),
        async (commits, split) => {
          const boundary = Math.min(split, commits.length - 1);
          const fixture = await createBeerFixture();
          const shas: string[] = [];
          try {
            await buildHistory(fixture, commits, { to: boundary, shas });
            // The last sync: a full conversion, recorded.
            const first = await sync(fixture.sourceGit.dir, fixture.distGit.dir, true);
            await buildHistory(fixture, commits, { from: boundary, shas });
            const copy = `${fixture.distGit.dir}-full`;
            await runGit(['clone', '--quiet', fixture.distGit.dir, copy], { cwd: fixture.distGit.dir });
            try {
              const incremental = await sync(fixture.sourceGit.dir, fixture.distGit.dir, true);
              const full = await sync(fixture.sourceGit.dir, copy, false);
              if (!full.ok || !incremental.ok) {
                expect(incremental.ok ? 'ok' : incremental.code).toBe(full.ok ? 'ok' : full.code);
                return;
              }
              expect(full.result.conversion).toBe('full');
              if (first.ok) conversions.push(incremental.result.conversion);
              expect(incremental.tree).toBe(full.tree);
              expect(comparable(incremental.result)).toEqual(comparable(full.result));
            } finally {
              await runGit(['worktree', 'prune'], { cwd: fixture.distGit.dir }).catch(() => undefined);
              await import('node:fs/promises').then(({ rm }) => rm(copy, { recursive: true, force: true }));
            }
          } finally {
            await fixture.sourceGit.remove();
            await fixture.distGit.remove();
          }
        },
      ),
      { numRuns: 15, seed: SEED },
    );
    // The shortcut was taken (not only the fallback) on some of the histories synced before, so the
    // comparison above is not vacuous. How many depends on the draw (reverts and earlier names make
    // the shortcut fall back: 3 to 5 of 15 seen), so the seed is fixed and CI runs the same
    // histories every time; change SEED to explore others. The test of a plain
    // history in status-cache-and-processes.test.ts pins the shortcut itself.
    expect(conversions.filter((conversion) => conversion === 'incremental').length).toBeGreaterThan(0);
  }, 600_000);

  it('resumes from a dist-git commit srcgit did not make, once a conversion found its patches unchanged', async () => {
    const fixture = await createBeerFixture();
    const clones: string[] = [];
    try {
      for (let index = 1; index <= 4; index++) {
        await fixture.sourceGit.commit(`Change ${index}`, { files: { [`file-${index}`]: `${index}\n` } });
      }
      await sync(fixture.sourceGit.dir, fixture.distGit.dir, true);
      // A dist-git commit of its own (a rebuild): no conversion made it.
      await runGit(['commit', '--quiet', '--allow-empty', '-m', 'Rebuild'], { cwd: fixture.distGit.dir });
      for (let index = 5; index <= 7; index++) {
        await fixture.sourceGit.commit(`Change ${index}`, { files: { [`file-${index}`]: `${index}\n` } });
      }
      const outcomes: Outcome[] = [];
      for (const name of ['first', 'second']) {
        const clone = `${fixture.distGit.dir}-${name}`;
        clones.push(clone);
        await runGit(['clone', '--quiet', fixture.distGit.dir, clone], { cwd: fixture.distGit.dir });
        outcomes.push(await sync(fixture.sourceGit.dir, clone, true));
      }
      const [first, second] = outcomes;
      if (first?.ok !== true || second?.ok !== true) throw new Error('a sync failed');
      expect(first.result.conversion).toBe('full');
      expect(second.result.conversion).toBe('incremental');
      expect(second.tree).toBe(first.tree);
      expect(comparable(second.result)).toEqual(comparable(first.result));
    } finally {
      const { rm } = await import('node:fs/promises');
      for (const clone of clones) await rm(clone, { recursive: true, force: true });
      await fixture.sourceGit.remove();
      await fixture.distGit.remove();
    }
  }, 120_000);
});
