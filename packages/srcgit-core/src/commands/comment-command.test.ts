import { describe, expect, it } from 'vitest';
import { parseCommentCommand, renderCommandUsage } from './comment-command';

describe('parseCommentCommand', () => {
  it('finds the first command line and reads its verb and options', () => {
    expect(
      parseCommentCommand('LGTM\n\n  /srcgit update-dist-git --recreate  \n/srcgit retest', '/srcgit'),
    ).toEqual({
      kind: 'command',
      command: { name: 'update-dist-git', recreate: true },
      line: '/srcgit update-dist-git --recreate',
    });
    expect(parseCommentCommand('/srcgit update-dist-git', '/srcgit')).toMatchObject({
      command: { name: 'update-dist-git', recreate: false },
    });
  });

  it('knows the aliases of packit', () => {
    expect(parseCommentCommand('/srcgit test', '/srcgit')).toMatchObject({ command: { name: 'retest' } });
    expect(parseCommentCommand('/srcgit recreate-dist-git-mr', '/srcgit')).toMatchObject({
      command: { name: 'update-dist-git', recreate: true },
    });
    expect(parseCommentCommand('/srcgit retest-failed', '/srcgit')).toMatchObject({
      command: { name: 'retest-failed' },
    });
    expect(parseCommentCommand('/srcgit help', '/srcgit')).toMatchObject({ command: { name: 'help' } });
  });

  it('ignores comments without a command line', () => {
    expect(parseCommentCommand('please /srcgit retest', '/srcgit')).toBeNull();
    expect(parseCommentCommand('/srcgit', '/srcgit')).toBeNull();
    expect(parseCommentCommand('/srcgitx retest', '/srcgit')).toBeNull();
    expect(parseCommentCommand('/packit retest', '/srcgit')).toBeNull();
  });

  it('reports unknown verbs and options', () => {
    expect(parseCommentCommand('/srcgit build', '/srcgit')).toEqual({
      kind: 'invalid',
      line: '/srcgit build',
      problem: 'unknown command "build"',
    });
    const invalid = parseCommentCommand('/srcgit retest --all', '/srcgit');
    expect(invalid?.kind).toBe('invalid');
    expect(invalid?.kind === 'invalid' ? invalid.problem : '').toMatch(/^retest: .*--all/);
  });
});

describe('renderCommandUsage', () => {
  it('lists every command with the prefix', () => {
    const usage = renderCommandUsage('/srcgit');
    for (const command of [
      'help',
      'update-dist-git',
      'update-dist-git --recreate',
      'retest',
      'retest-failed',
    ]) {
      expect(usage).toContain(`\`/srcgit ${command}\``);
    }
  });
});
