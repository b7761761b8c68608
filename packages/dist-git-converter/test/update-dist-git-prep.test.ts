/**
 * `updateDistGit` makes rpmbuild apply every patch of the series: on real repositories, a spec
 * whose `%prep` applies patches one by one gets a `%patch` line for a new downstream commit and
 * loses the line of a reverted one; a spec whose `%prep` applies none says so in the plan. rpm
 * (`rpmspec -P` in the dist-git directory) is the judge.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHelloFixture, createTempDir, HELLO_SPEC, type GitRepo } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { checkSyncStatus } from '../src/status/check-sync-status';
import { syncStatus } from '../src/sync-status';
import { updateDistGit } from '../src/update-dist-git';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const execFileAsync = promisify(execFile);
const git = testGitRunner();

/** The patch files dist-git's expanded `%prep` applies, in order (rpm reads them from dist-git). */
async function appliedByRpm(distGit: GitRepo): Promise<string[]> {
  const { stdout } = await execFileAsync('rpmspec', [
    '-P',
    '--define',
    `_sourcedir ${distGit.dir}`,
    join(distGit.dir, 'hello.spec'),
  ]);
  const prep = stdout.slice(stdout.indexOf('\n%prep\n'), stdout.indexOf('\n%build\n'));
  return [...prep.matchAll(new RegExp(`${distGit.dir}/([^\\s']+\\.patch)`, 'g'))].map(
    (match) => match[1] as string,
  );
}

/** The hello fixture with `prep` instead of `%autosetup -p1`, initialised as source-git. */
async function initialised(prep: string): Promise<{ sourceGit: GitRepo; distGit: GitRepo }> {
  const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-prep').path);
  await distGit.commit('Apply the patches one by one', {
    files: { 'hello.spec': HELLO_SPEC.replace('%autosetup -p1', prep) },
  });
  await initSourceGit({
    upstreamRef: '1.0.1',
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    clock: TEST_CLOCK,
  });
  return { sourceGit, distGit };
}

async function addDownstreamFix(sourceGit: GitRepo): Promise<string> {
  const makefile = await sourceGit.git(['show', 'HEAD:Makefile']);
  return sourceGit.commit('Build optimised\n\nPatch-name: optimise.patch\n', {
    files: { Makefile: makefile.replace('rustc hello.rs', 'rustc -O hello.rs') },
  });
}

const sync = (sourceGit: GitRepo, distGit: GitRepo) =>
  updateDistGit({
    sourceGitDir: sourceGit.dir,
    distGitDir: distGit.dir,
    git,
    message: 'Update from source-git',
    checkSyncStatus,
  });

describe('updateDistGit and the patches %prep applies', () => {
  it('adds "%patch -P4 -p1" for a new commit, keeps it on the next run, and drops the line of a reverted commit', async () => {
    const { sourceGit, distGit } = await initialised(
      '%setup -q\n%patch -P1 -p1\n%patch -P2 -p1\n%patch -P3 -p1',
    );
    const existing = ['turn-into-fedora.patch', 'from-git.patch', '0017-Patch-This..patch'];
    expect(await appliedByRpm(distGit)).toEqual(existing);

    await addDownstreamFix(sourceGit);
    const added = await sync(sourceGit, distGit);
    expect(added.outcome).toBe('committed');
    expect(added.plan.warnings).toEqual([]);
    const spec = await distGit.git(['show', 'HEAD:hello.spec']);
    expect(spec).toContain('Patch0004: optimise.patch\n');
    expect(spec).toContain(
      '%setup -q\n%patch -P1 -p1\n%patch -P2 -p1\n%patch -P3 -p1\n%patch -P4 -p1\n\n%build\n',
    );
    expect(await appliedByRpm(distGit)).toEqual([...existing, 'optimise.patch']);
    // Converting source-git gives dist-git exactly (the line is not a difference), and again is a no-op.
    const report = await syncStatus({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(report.confirmation.differingPaths).toEqual([]);
    expect(report.state).toBe('in-sync');
    const again = await updateDistGit({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    expect(again.plan.files).toEqual([]);

    // Reverting the commit of 0017-Patch-This..patch (Patch0003) drops the patch, its tag and its line.
    const funky = (
      await sourceGit.git([
        'log',
        '--format=%H',
        '--fixed-strings',
        '--grep=Patch-name: 0017-Patch-This..patch',
      ])
    ).trim();
    await sourceGit.git(['revert', '--no-edit', funky]);
    const removed = await sync(sourceGit, distGit);
    expect(removed.outcome).toBe('committed');
    expect(removed.plan.warnings).toEqual([]);
    const after = await distGit.git(['show', 'HEAD:hello.spec']);
    expect(after).not.toContain('0017-Patch-This..patch');
    expect(after).toContain('%setup -q\n%patch -P1 -p1\n%patch -P2 -p1\n%patch -P4 -p1\n\n%build\n');
    expect(await appliedByRpm(distGit)).toEqual([
      'turn-into-fedora.patch',
      'from-git.patch',
      'optimise.patch',
    ]);
  });

  it('warns in the plan when %prep applies no patch it can follow', async () => {
    const { sourceGit, distGit } = await initialised('%setup -q');
    await addDownstreamFix(sourceGit);
    const result = await sync(sourceGit, distGit);
    expect(result.outcome).toBe('committed');
    const tag = result.plan.patches.find((patch) => patch.fileName === 'optimise.patch')?.tag;
    expect(result.plan.warnings).toEqual([
      `.distro/hello.spec: %prep does not apply ${tag?.replace(/^Patch0*/, 'Patch')} (optimise.patch), so rpmbuild builds without it: apply it in %prep (%autosetup -p1, %autopatch -p1, or "%patch -P${tag?.replace(/^Patch0*/, '')} -p1")`,
    ]);
    expect(await appliedByRpm(distGit)).toEqual([]);
  });
});
