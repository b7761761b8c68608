import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitRepo, createTempDir } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { loadSourceGitConfig } from './load-source-git-config';

async function tree(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = createTempDir('source-git').path;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('loadSourceGitConfig', () => {
  it('reads .distro/source-git.yaml', async () => {
    const dir = await tree({
      '.distro/source-git.yaml':
        'downstream_package_name: beer\nupstream_ref: 0.1.0\nspecfile_path: .distro/beer.spec\n',
      '.packit.yaml': 'downstream_package_name: other\n',
    });
    const config = await loadSourceGitConfig({ sourceGitDir: dir });
    expect(config.path).toBe(join(dir, '.distro/source-git.yaml'));
    expect(config.downstreamPackageName).toBe('beer');
    expect(config.upstreamRef).toBe('0.1.0');
  });

  it('falls back to the root packit files in a fixed order (docs/converter-behaviour.md Q1)', async () => {
    const dir = await tree({
      'packit.yml': 'downstream_package_name: d\n',
      'packit.yaml': 'downstream_package_name: c\n',
      '.packit.yml': 'downstream_package_name: b\n',
    });
    expect((await loadSourceGitConfig({ sourceGitDir: dir })).downstreamPackageName).toBe('b');
    const only = await tree({ 'packit.yml': 'downstream_package_name: d\n' });
    expect((await loadSourceGitConfig({ sourceGitDir: only })).downstreamPackageName).toBe('d');
  });

  it('reads an explicit configPath, relative or absolute', async () => {
    const dir = await tree({ 'conf/sg.yaml': 'downstream_package_name: x\n' });
    expect((await loadSourceGitConfig({ sourceGitDir: dir, configPath: 'conf/sg.yaml' })).path).toBe(
      join(dir, 'conf/sg.yaml'),
    );
    expect(
      (await loadSourceGitConfig({ sourceGitDir: dir, configPath: join(dir, 'conf/sg.yaml') }))
        .downstreamPackageName,
    ).toBe('x');
  });

  it('picks a monorepo package by name', async () => {
    const dir = await tree({
      '.packit.yaml':
        'upstream_ref: v1\npackages:\n  a:\n    specfile_path: a/a.spec\n  b:\n    downstream_package_name: bee\n',
    });
    const config = await loadSourceGitConfig({ sourceGitDir: dir, packageName: 'bee' });
    expect([config.downstreamPackageName, config.upstreamRef, config.specfilePath]).toEqual([
      'bee',
      'v1',
      'bee.spec',
    ]);
  });

  it('reports a missing configuration with every path tried', async () => {
    const dir = await tree({ README: 'x\n' });
    await expect(loadSourceGitConfig({ sourceGitDir: dir })).rejects.toMatchObject({
      code: 'CONFIG_MISSING',
    });
    await expect(loadSourceGitConfig({ sourceGitDir: dir })).rejects.toThrow(
      `no source-git configuration in ${dir}: none of .distro/source-git.yaml, .packit.yaml, .packit.yml, packit.yaml, packit.yml exists (create .distro/source-git.yaml, e.g. with \`srcgit init\`)`,
    );
    await expect(loadSourceGitConfig({ sourceGitDir: dir, configPath: 'x.yaml' })).rejects.toThrow(
      `no source-git configuration in ${dir}: x.yaml does not exist`,
    );
  });

  it('names the file relative to the repository in validation errors', async () => {
    const dir = await tree({
      '.distro/source-git.yaml': 'downstream_package_name: beer\nsync_changelog: maybe\n',
    });
    await expect(loadSourceGitConfig({ sourceGitDir: dir })).rejects.toThrow(
      '.distro/source-git.yaml: sync_changelog must be a boolean (true or false), found "maybe"',
    );
  });

  it('rejects a file that is not UTF-8', async () => {
    const dir = await tree({ '.distro/source-git.yaml': new Uint8Array([0x64, 0x3a, 0x20, 0xff, 0x0a]) });
    await expect(loadSourceGitConfig({ sourceGitDir: dir })).rejects.toThrow(
      '.distro/source-git.yaml: the file is not valid UTF-8 text',
    );
  });

  it('reads the configuration of a commit, not the working tree', async () => {
    const repo = await createGitRepo();
    await repo.commit('config', {
      files: { '.distro/source-git.yaml': 'downstream_package_name: committed\n' },
    });
    await writeFile(join(repo.dir, '.distro/source-git.yaml'), 'downstream_package_name: edited\n');
    const committed = await loadSourceGitConfig({ sourceGitDir: repo.dir, commit: 'HEAD' });
    expect(committed.downstreamPackageName).toBe('committed');
    expect(committed.path).toBe(join(repo.dir, '.distro/source-git.yaml'));
    expect((await loadSourceGitConfig({ sourceGitDir: repo.dir })).downstreamPackageName).toBe('edited');
    await expect(
      loadSourceGitConfig({ sourceGitDir: repo.dir, commit: 'HEAD', configPath: '../outside.yaml' }),
    ).rejects.toThrow('is not inside the source-git repository');
    await expect(loadSourceGitConfig({ sourceGitDir: repo.dir, commit: 'nope' })).rejects.toThrow(
      'has no commit "nope"',
    );
  });

  it('refuses links and special files in the working tree without reading them', async () => {
    const outside = await tree({ 'secret.yaml': 'SECRET: [unclosed\n' });
    const linked = await tree({});
    await mkdir(join(linked, '.distro'));
    await symlink(join(outside, 'secret.yaml'), join(linked, '.distro/source-git.yaml'));
    await expect(loadSourceGitConfig({ sourceGitDir: linked })).rejects.toThrow(
      '.distro/source-git.yaml is a symbolic link; srcgit reads it from the commit and does not follow links',
    );
    const linkedDir = await tree({});
    await symlink(outside, join(linkedDir, '.distro'));
    await expect(loadSourceGitConfig({ sourceGitDir: linkedDir })).rejects.toThrow(
      '.distro/source-git.yaml goes through the symbolic link .distro',
    );
    // A FIFO would block a plain read forever.
    const fifo = await tree({});
    await mkdir(join(fifo, '.distro'));
    execFileSync('mkfifo', [join(fifo, '.distro/source-git.yaml')]);
    await expect(loadSourceGitConfig({ sourceGitDir: fifo })).rejects.toThrow(
      '.distro/source-git.yaml is not a regular file',
    );
  }, 10_000);
});
