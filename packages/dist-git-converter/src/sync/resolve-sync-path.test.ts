import { describe, expect, it } from 'vitest';
import { isConverterError } from '../converter-error';
import { resolveSyncPath } from './resolve-sync-path';

const resolve = (path: string) => resolveSyncPath(path, 'the dist-git repository', 'files_to_sync[2].dest');

function refusal(path: string): string {
  try {
    resolve(path);
  } catch (error) {
    expect(isConverterError(error) && error.code).toBe('CONFIG_INVALID');
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(path)} was accepted`);
}

describe('resolveSyncPath', () => {
  it('normalises relative paths: a trailing "/" and "." components are dropped, "" is the root', () => {
    expect(resolve('.distro/')).toBe('.distro');
    expect(resolve('./.distro/a.spec')).toBe('.distro/a.spec');
    expect(resolve('a/./b')).toBe('a/b');
    expect(resolve('.')).toBe('');
    expect(resolve('./')).toBe('');
    expect(resolve('')).toBe('');
    expect(resolve('.gitignore')).toBe('.gitignore');
    expect(resolve('.github/x')).toBe('.github/x');
    expect(resolve('git')).toBe('git');
  });

  it('refuses a path that leaves the repository, naming the key, the path and the rule', () => {
    for (const path of ['..', '../x', 'a/../b', 'a/../../b', '/etc/passwd', '/']) {
      expect(refusal(path)).toBe(
        `files_to_sync[2].dest: illegal path ${JSON.stringify(path)}: it is not inside the dist-git repository (expected a path relative to the repository root, e.g. ".distro/")`,
      );
    }
  });

  it("refuses every spelling of git's own directory, at any depth", () => {
    for (const path of [
      '.git',
      '.git/',
      '.git/hooks/',
      '.git/config',
      '.GIT/hooks',
      '.Git/hooks/pre-commit',
      '.git./config',
      '.git.../config',
      '.git /config',
      '.git. . /config',
      'sub/.git/hooks/x',
      './.git/config',
      'git~1/config',
      'GIT~1',
      '.git::$INDEX_ALLOCATION/config',
      '.g\u200cit/config',
      '.\ufeffgit',
    ]) {
      expect(refusal(path)).toMatch(
        /^files_to_sync\[2\]\.dest: illegal path .*: it has the component ".*", which names git's own directory/s,
      );
    }
  });

  it('refuses control characters, backslashes and empty components', () => {
    expect(refusal('a\0b')).toMatch(/control character/);
    expect(refusal('a\nb')).toMatch(/control character/);
    expect(refusal('a\u001bb')).toMatch(/control character/);
    expect(refusal('a\u0085b')).toMatch(/control character/);
    expect(refusal('a\\b')).toMatch(/backslash/);
    expect(refusal('..\\x')).toMatch(/backslash/);
    expect(refusal('a//b')).toMatch(/empty component/);
    expect(refusal('a//')).toMatch(/empty component/);
  });
});
