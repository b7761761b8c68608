import { describe, expect, it } from 'vitest';
import { addTrailers, appendTrailers, type Trailer } from '../src/back-sync/add-trailers';
import { createGitRunner } from '../src/git/git-runner';
import { createTempDir } from '@srcgit/test-fixtures';

const git = createGitRunner({ env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
const cwd = createTempDir('trailers').path;

const TRAILERS: readonly Trailer[] = [
  { token: 'Patch-name', value: 'fix.patch' },
  { token: 'Patch-id', value: '7' },
  { token: 'Patch-status', value: '|\n    # Fedora only\n    #\n    # see bug 1' },
  { token: 'From-dist-git-commit', value: '0123456789abcdef0123456789abcdef01234567' },
];

/** What git interpret-trailers prints for the same input (the reference). */
async function byGit(message: string): Promise<string> {
  const args = ['interpret-trailers', '--if-exists', 'replace'];
  for (const trailer of TRAILERS) args.push('--trailer', `${trailer.token}: ${trailer.value}`);
  return git.text(args, { cwd, input: message.endsWith('\n') ? message : `${message}\n`, isolated: true });
}

describe('addTrailers', () => {
  it.each([
    'Apply patch fix.patch\n',
    'Apply patch fix.patch',
    'Linux\n\nSigned-off-by: A U Thor <thor@example.com>\n',
    'Fix the thing\n\nA body that explains.\n',
    'Fix the thing\n\nA body that explains.\n\nReviewed-by: R <r@example.com>\nAcked-by: X <x@example.com>\n',
    'Fix the thing\n\nA body\nwith: a colon line\n',
    'Subject: looks like a trailer\n',
    'Fix\n\nFirst paragraph.\n\nNot: a trailer\nbecause this line is prose\n',
    'Fix\n\nBody.\n\nSigned-off-by: A <a@example.com>\nsome prose line\nmore prose\nand more\n',
    'Fix\n\nBody.\n\n\n',
    'Fix\n\nPatch-name: old.patch\n',
    'Fix\n\n---\nnot a message\n',
    'S\n\nPatch-name: a\nSigned-off-by: x\nPatch-status: |\n    # old\nOther: y\n',
    'S\n\nBody.\n\nSigned-off-by: x\nPatch-name: a\n',
    'S\n\nBody.\n\npatch-id: 3\n',
    'S\n\nBody.\n\nSigned-off-by: A <a@example.com>\nPatch-name: a\nsome prose\nmore prose\n',
    'Fix\n\nBody.\n---\n###### Info for package maintainer\nOpened automatically.\n',
    'Fix\n\nBody.\n\nResolves: bz#123\n\n---\ninfo\n',
    'Fix\n\nBody.\n\n\n--- \ninfo\n---\nmore\n',
    'Fix\n---\n',
  ])('gives what git interpret-trailers gives for %j', async (message) => {
    expect(await addTrailers(git, cwd, message, TRAILERS)).toBe(await byGit(message));
  });

  it('puts trailers before a --- divider and never hands git a scissors line after it', async () => {
    // git 2.39's interpret-trailers loops forever on this input; a merge request description can
    // contain it. The text after the divider is kept verbatim.
    const message = 'Fix\n\nBody.\n---\ninfo\n# ------------------------ >8 ------------------------\nmore\n';
    const lines = TRAILERS.map((trailer) => `${trailer.token}: ${trailer.value}`).join('\n');
    expect(await addTrailers(git, cwd, message, TRAILERS)).toBe(
      `Fix\n\nBody.\n\n${lines}\n---\ninfo\n# ------------------------ >8 ------------------------\nmore\n`,
    );
  });

  it('replaces trailers with the same token in memory', () => {
    expect(appendTrailers('Fix\n\nPatch-name: old.patch\n', TRAILERS)).toBe(
      `Fix\n\n${TRAILERS.map((trailer) => `${trailer.token}: ${trailer.value}`).join('\n')}\n`,
    );
  });

  it('leaves messages ending in blank lines to git', () => {
    expect(appendTrailers('Fix\n\nBody.\n\n\n', TRAILERS)).toBeUndefined();
  });
});
