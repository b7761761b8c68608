import {
  createHelloFixture,
  createTempDir,
  HELLO_MAIL_PATCH,
  HELLO_SPEC,
  type GitRepo,
} from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { initSourceGit } from '../src/init-source-git';
import { syncStatusFromTrailers } from '../src/status/sync-status-from-trailers';
import { TEST_CLOCK, testGitRunner } from './support/beer-pair';

const git = testGitRunner();

async function messages(repo: GitRepo, count: number): Promise<string[]> {
  const log = await repo.git(['log', `-${count}`, '--reverse', '--format=%an <%ae> %aI%n%B%x00']);
  return log.split('\0\n').filter((entry) => entry !== '');
}

describe('initSourceGit', () => {
  it('turns the hello dist-git into source-git (docs/converter-behaviour.md V14)', async () => {
    const root = createTempDir('hello').path;
    const { sourceGit, distGit, distGitCommit } = await createHelloFixture(root);
    const upstream = await sourceGit.revParse('HEAD');
    const distGitBefore = await distGit.git(['status', '--porcelain', '--ignored']);

    const result = await initSourceGit({
      upstreamRef: '1.0.1',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      lookasideUrl: 'https://src.fedoraproject.org/repo/pkgs/rpms',
      git,
      clock: TEST_CLOCK,
    });

    expect(result.distGitCommit).toBe(distGitCommit);
    expect(result.upstreamCommit).toBe(upstream);
    expect(result.patches.map((patch) => [patch.fileName, patch.number, patch.commits.length])).toEqual([
      ['turn-into-fedora.patch', 1, 1],
      ['from-git.patch', 2, 1],
      ['0017-Patch-This..patch', 3, 1],
    ]);
    expect(result.keptPatches).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.distroFiles).toEqual([
      '.distro/.gitignore',
      '.distro/hello.spec',
      '.distro/source-git.yaml',
    ]);
    expect(await sourceGit.revParse('HEAD')).toBe(result.head);
    expect(await sourceGit.git(['status', '--porcelain'])).toBe('');
    expect(await sourceGit.git(['for-each-ref', '--format=%(refname)', 'refs/srcgit'])).toBe('');

    expect(await messages(sourceGit, 4)).toEqual([
      `C O Mitter <committer@example.com> 2024-02-01T00:00:00+00:00\nInitialize as a source-git repository\n\nFrom-dist-git-commit: ${distGitCommit}\n`,
      [
        'Engin Eer <eer@example.com> 2024-01-01T12:00:00+00:00',
        'Apply patch turn-into-fedora.patch',
        '',
        'Patch-name: turn-into-fedora.patch',
        'Patch-id: 1',
        'Patch-status: |',
        '    # Say hello to Fedora',
        `From-dist-git-commit: ${distGitCommit}`,
        '',
      ].join('\n'),
      [
        'Mai L. Patcher <mail.patcher@example.com> 2021-09-08T09:45:13+02:00',
        'Linux',
        '',
        'Signed-off-by: Mai L. Patcher <mail.patcher@example.com>',
        'Patch-name: from-git.patch',
        'Patch-id: 2',
        'Patch-status: |',
        '    # Patch from Git',
        `From-dist-git-commit: ${distGitCommit}`,
        '',
      ].join('\n'),
      [
        'Mai L. Patcher <mail.patcher@example.com> 2021-09-09T10:00:00+02:00',
        'Funky',
        '',
        'Patch-name: 0017-Patch-This..patch',
        'Patch-id: 3',
        'Patch-status: |',
        '    # Funky patch',
        `From-dist-git-commit: ${distGitCommit}`,
        '',
      ].join('\n'),
    ]);

    expect(await sourceGit.git(['show', 'HEAD:hello.rs'])).toBe(
      'fn main() {\n    println!("Hello Fedora Linux!");\n    println!("Hello World!");\n}\n',
    );
    expect(await sourceGit.git(['show', 'HEAD:.distro/hello.spec'])).toBe(
      HELLO_SPEC.replace(/\n# Say hello to Fedora\n[\s\S]*0017-Patch-This\.\.patch\n/, ''),
    );
    expect(await sourceGit.git(['show', 'HEAD:.distro/hello.spec'])).toContain(
      'Source: hello-1.0.1.tar.gz\n\nProvides: hello\n',
    );
    expect(await sourceGit.git(['show', 'HEAD:.distro/.gitignore'])).toBe('# Reset gitignore rules\n!*\n');
    expect(await sourceGit.git(['show', 'HEAD:.distro/source-git.yaml'])).toBe(
      [
        'upstream_project_url: https://example.com/hello.git',
        'upstream_ref: 1.0.1',
        'downstream_package_name: hello',
        'specfile_path: .distro/hello.spec',
        'patch_generation_ignore_paths:',
        '- .distro',
        'patch_generation_patch_id_digits: 4',
        'sync_changelog: true',
        'files_to_sync:',
        '- src: .distro/',
        '  dest: .',
        '  delete: true',
        '  filters:',
        '  - protect .git*',
        '  - protect sources',
        '  - exclude source-git.yaml',
        '  - exclude .gitignore',
        'sources:',
        '- path: hello-1.0.1.tar.gz',
        '  url: https://src.fedoraproject.org/repo/pkgs/rpms/hello/hello-1.0.1.tar.gz/sha512/3f0a8b2c1d/hello-1.0.1.tar.gz',
        '',
      ].join('\n'),
    );
    expect(await distGit.revParse('HEAD')).toBe(distGitCommit);
    expect(await distGit.git(['status', '--porcelain', '--ignored'])).toBe(distGitBefore);
    expect(
      (await syncStatusFromTrailers({ sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git })).state,
    ).toBe('in-sync');
  });

  it('fails on a patch that does not apply, naming it and the reason, and changes nothing', async () => {
    const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-broken').path);
    await distGit.commit('Break a patch', {
      files: {
        'from-git.patch': HELLO_MAIL_PATCH.replace(
          '-    println!("Hello Fedora!");',
          '-    println!("Hola!");',
        ),
      },
    });
    const distGitHead = await distGit.revParse('HEAD');
    const upstream = await sourceGit.revParse('HEAD');
    const failure = initSourceGit({
      upstreamRef: '1.0.1',
      sourceGitDir: sourceGit.dir,
      distGitDir: distGit.dir,
      git,
    });
    await expect(failure).rejects.toMatchObject({
      code: 'PATCH_APPLY_FAILED',
      data: { patch: 'from-git.patch', number: 2 },
    });
    await expect(failure).rejects.toThrow(
      /^from-git\.patch \(Patch2, -p1\) does not apply on top of 1\.0\.1 and the patches %prep applies before it: error: patch failed: hello\.rs:1/,
    );
    expect(await sourceGit.revParse('HEAD')).toBe(upstream);
    expect(await sourceGit.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await sourceGit.git(['for-each-ref', '--format=%(refname)'])).toBe(
      'refs/heads/main\nrefs/tags/1.0.1\n',
    );
    expect(await distGit.revParse('HEAD')).toBe(distGitHead);
    expect(await distGit.git(['status', '--porcelain', '--ignored'])).toBe('');
  });

  it('refuses a HEAD that is not at the upstream ref, and a repository that is source-git already', async () => {
    const { sourceGit, distGit } = await createHelloFixture(createTempDir('hello-refusals').path);
    await sourceGit.commit('Upstream moved on', { files: { README: 'more\n' } });
    await expect(
      initSourceGit({ upstreamRef: '1.0.1', sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git }),
    ).rejects.toThrow(`'1.0.1' is not pointing to the current HEAD in '${sourceGit.dir}'`);
    await initSourceGit({ upstreamRef: 'HEAD', sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git });
    await expect(
      initSourceGit({ upstreamRef: 'HEAD', sourceGitDir: sourceGit.dir, distGitDir: distGit.dir, git }),
    ).rejects.toMatchObject({ code: 'ALREADY_INITIALIZED' });
  });
});
