/**
 * Properties of `updateDistGit` on generated source-git histories (renames, binary files,
 * deletions, mode changes, `.distro`-only and empty commits, squashed `Patch-name` groups):
 *
 * 1. applying the dist-git patches in the spec's order (`git am`, as `%autosetup -S git_am` would)
 *    to the upstream tree reproduces the source-git tree outside the ignored `.distro/`;
 * 2. a second run changes nothing: no commit is possible and dist-git is byte-identical.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createBeerFixture, createTempDir, runGit } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import { updateDistGit } from '../src/update-dist-git';
import { fixedClock, fixedGitRunner, repositoryState } from './support/dist-git-state';
import { buildHistory, history } from './support/generated-history';

const execFileAsync = promisify(execFile);

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
