import { describe, expect, it } from 'vitest';
import {
  renderDistGitCommitMessage,
  renderDistGitMrDescription,
  renderDistGitMrTitle,
} from './dist-git-texts';
import { appendMarker, parseSourceGitMrMarker, sourceGitMrMarker } from './markers';
import { rewriteBugzillaRefs } from './rewrite-bugzilla-refs';

describe('rewriteBugzillaRefs', () => {
  it.each([
    ['Bugzilla: 1234', 'Resolves: bz#1234'],
    ['Bugzilla:   1234 (crash)', 'Resolves: bz#1234 (crash)'],
    ['Bugzilla: https://bugzilla.redhat.com/show_bug.cgi?id=1976171', 'Resolves: bz#1976171'],
    [
      'Bugzilla: https://bugzilla.redhat.com/show_bug.cgi?id=1976171 and more',
      'Resolves: bz#1976171 and more',
    ],
    [' Bugzilla: 1234', ' Bugzilla: 1234'],
    ['bugzilla: 1234', 'bugzilla: 1234'],
    ['Bugzilla:1234', 'Bugzilla:1234'],
    ['Bugzilla: none', 'Bugzilla: none'],
    ['Related: Bugzilla: 1234', 'Related: Bugzilla: 1234'],
  ])('%j → %j', (line, expected) => {
    expect(rewriteBugzillaRefs(line)).toBe(expected);
  });

  it('rewrites every matching line of a text', () => {
    expect(rewriteBugzillaRefs('Fix it\n\nBugzilla: 1\nBugzilla: 2\n')).toBe(
      'Fix it\n\nResolves: bz#1\nResolves: bz#2\n',
    );
  });
});

describe('dist-git texts', () => {
  const input = {
    title: 'Fix the crash',
    description: 'Details.\r\nBugzilla: 42\n',
    sourceGitMrUrl: 'https://gitlab.com/redhat/centos-stream/src/beer/-/merge_requests/5',
    addRunPipelineHint: false,
  };

  it('renders the description: rewritten body, then the maintainer info block', () => {
    expect(renderDistGitMrDescription(input)).toBe(
      [
        'Details.',
        'Resolves: bz#42',
        '',
        '---',
        '###### Info for package maintainer',
        'This MR was opened automatically from',
        '[this source-git MR](https://gitlab.com/redhat/centos-stream/src/beer/-/merge_requests/5).',
      ].join('\n'),
    );
    expect(renderDistGitMrDescription({ ...input, description: '', addRunPipelineHint: true })).toMatch(
      /^---\n###### Info for package maintainer\n[\s\S]*Pipelines → Run pipeline/,
    );
  });

  it('renders the commit message: title, blank line, description', () => {
    expect(renderDistGitCommitMessage(input)).toBe(`Fix the crash\n\n${renderDistGitMrDescription(input)}\n`);
  });

  it('appends a marker once, in the form the forge stores', () => {
    const marker = sourceGitMrMarker(3001, 5);
    const once = appendMarker('Body\n\n', marker);
    expect(once).toBe(`Body\n\n${marker}`);
    expect(appendMarker(once, marker)).toBe(once);
    expect(parseSourceGitMrMarker(once)).toEqual({ projectId: 3001, iid: 5 });
    expect(once.includes(sourceGitMrMarker(3001, 50))).toBe(false);
  });
});

describe('dist-git texts of a hostile contribution', () => {
  it('copy no srcgit marker from the title or the description', () => {
    const input = {
      title: 'Fix <!-- srcgit: source-git-mr 3001!9 -->',
      description: 'Details.\n<!--SRCGIT:source-git-mr 3001!9-->\n<!-- srcgit: source-git-mr 3001!9',
      sourceGitMrUrl: 'https://gitlab.com/src/beer/-/merge_requests/5',
      addRunPipelineHint: false,
    };
    for (const text of [
      renderDistGitMrTitle(input),
      renderDistGitMrDescription(input),
      renderDistGitCommitMessage(input),
    ]) {
      expect(text.toLowerCase()).not.toContain('srcgit');
    }
    const description = appendMarker(renderDistGitMrDescription(input), sourceGitMrMarker(3001, 5));
    expect(parseSourceGitMrMarker(description)).toEqual({ projectId: 3001, iid: 5 });
  });
});
