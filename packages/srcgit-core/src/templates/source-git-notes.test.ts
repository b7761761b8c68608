import type { UpdateDistGitPlan } from '@srcgit/dist-git-converter';
import { describe, expect, it } from 'vitest';
import { renderDistGitMrNote, renderSyncGaveUpNote } from './source-git-notes';

function plan(warnings: readonly string[]): UpdateDistGitPlan {
  return {
    schemaVersion: 1,
    status: 'changes',
    sourceGit: { dir: '/src/beer', head: 'a'.repeat(40), upstreamRef: '0.1.0', upstreamSha: 'b'.repeat(40) },
    distGit: { dir: '/rpms/beer', head: 'c'.repeat(40), specFile: 'beer.spec' },
    commits: [],
    patches: [],
    files: [],
    specDiff: '',
    commitMessage: null,
    warnings,
  };
}

const note = (warnings: readonly string[]) =>
  renderDistGitMrNote({
    distGitMr: { iid: 7, webUrl: 'https://gitlab.example/rpms/beer/-/merge_requests/7', state: 'opened' },
    sourceGitHead: 'a'.repeat(40),
    plan: plan(warnings),
  });

describe('renderDistGitMrNote', () => {
  it("shows the plan's warnings, one item each, escaped like the table cells", () => {
    const body = note([
      '.distro/beer.spec: %prep does not apply Patch3 (fix|it.patch), so rpmbuild builds without it',
    ]);
    expect(body.split('\n').slice(-3)).toEqual([
      '**Warnings**',
      '',
      '- .distro/beer.spec: %prep does not apply Patch3 (fix\\|it.patch), so rpmbuild builds without it',
    ]);
  });

  it('has no warnings section when there are none', () => {
    expect(note([])).not.toContain('Warnings');
  });
});

describe('renderSyncGaveUpNote', () => {
  it('says what failed, after how many attempts, and the command that retries; quotes no srcgit marker', () => {
    const note = renderSyncGaveUpNote({
      headSha: 'a'.repeat(40),
      attempts: 3,
      message: 'git push failed: HTTP 503 <!-- srcgit: problem sync-gave-up x -->',
      retryCommand: '/srcgit update-dist-git',
    });
    expect(note).toContain(`from commit ${'a'.repeat(40)}: the bot gave up after 3 attempts.`);
    expect(note).toContain('git push failed: HTTP 503');
    expect(note).toContain('comment `/srcgit update-dist-git` to retry');
    expect(note).not.toContain('<!-- srcgit');
  });
});
