import { describe, expect, it } from 'vitest';
import { sourceGitCommitOf } from './tested-source-git-commit';

describe('sourceGitCommitOf', () => {
  const sha = '06f212c897c62ec08fc6c6ee2cf6df8789cd3218';

  it('reads the trailer of a dist-git commit, before the maintainer info divider', () => {
    // The shape of hardly's recorded pipeline payload (docs/bot-behaviour.md §5.3.2).
    const message = `dummy\n\nFrom-source-git-commit: ${sha}\n\n---\n###### Info for package maintainer\nThis MR was opened automatically.\n\nSigned-off-by: Packit Service <packit@example.com>\n`;
    expect(sourceGitCommitOf(message)).toBe(sha);
    expect(
      sourceGitCommitOf(`Fix\n\nBody.\n\nFrom-source-git-commit: ${sha}\nSigned-off-by: A <a@b.c>\n`),
    ).toBe(sha);
  });

  it('finds none in a merge commit or a trailer that is not a commit id', () => {
    expect(
      sourceGitCommitOf(
        "Merge branch 'c9s-src-5' into 'c9s'\n\nTesting contribution\n\nSee merge request rpms/luksmeta!4",
      ),
    ).toBeNull();
    expect(sourceGitCommitOf('Fix\n\nFrom-source-git-commit: HEAD\n')).toBeNull();
    expect(sourceGitCommitOf(`From-source-git-commit: ${sha}`)).toBeNull();
  });
});
