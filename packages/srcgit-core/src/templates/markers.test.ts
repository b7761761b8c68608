import { describe, expect, it } from 'vitest';
import { findHtmlComments } from './html-comments';
import {
  appendMarker,
  endsWithMarker,
  parseSourceGitMrMarker,
  sourceGitMrMarker,
  stripSrcgitMarkers,
  withSourceGitMrMarker,
} from './markers';

const marker = sourceGitMrMarker(3001, 5);

describe('findHtmlComments', () => {
  it('finds comments closed by --> or --!>, and an unclosed one to the end', () => {
    expect([...findHtmlComments('a <!-- b --> c <!-- d --!> e <!-- f')]).toEqual([
      { start: 2, end: 12 },
      { start: 15, end: 26 },
      { start: 29, end: 35 },
    ]);
  });

  it('ends within seconds on many openers and a far closer', { timeout: 10_000 }, () => {
    const text = `${'<!-- a -->'.repeat(100_000)}--!>${'<!--'.repeat(100_000)}`;
    expect([...findHtmlComments(text)]).toHaveLength(100_001);
  });
});

describe('stripSrcgitMarkers', () => {
  it.each([
    ['the exact marker', `Fix ${marker} it`],
    ['another case', 'Fix <!--SRCGIT: source-git-mr 3001!5--> it'],
    ['extra spaces and line breaks', 'Fix <!--\n  srcgit :\tsource-git-mr   3001!5\n--> it'],
    ['a comment closed by --!>', 'Fix <!-- srcgit: source-git-mr 3001!5 --!> it'],
    ['an unclosed comment', 'Fix it <!-- srcgit: source-git-mr 3001!5'],
    ['other srcgit markers', 'Fix <!-- srcgit: dist-git-mr --> it <!-- srcgit: command-reply 9 -->'],
  ])('removes %s', (_, text) => {
    const stripped = stripSrcgitMarkers(text);
    expect(stripped.toLowerCase()).not.toContain('srcgit');
    expect(stripped).toContain('Fix');
  });

  it('leaves no marker behind when the text around a removed one would join into another', () => {
    const nested = `<!-${marker}- srcgit: source-git-mr 3001!5 -->`;
    expect(stripSrcgitMarkers(nested)).not.toContain(marker);
    const split = `<!<!-- srcgit -->-- srcgit: source-git-mr 3001!5 -->`;
    expect(stripSrcgitMarkers(split)).not.toContain(marker);
    expect(parseSourceGitMrMarker(`${stripSrcgitMarkers(split)}\n\n${marker}`)).toEqual({
      projectId: 3001,
      iid: 5,
    });
  });

  it('keeps other HTML comments and text without markers as they are', () => {
    expect(stripSrcgitMarkers('<!-- describe the change -->\nFix')).toBe('<!-- describe the change -->\nFix');
    expect(stripSrcgitMarkers('srcgit is fine in text')).toBe('srcgit is fine in text');
  });
});

describe('parseSourceGitMrMarker', () => {
  it('reads the marker of the last line only', () => {
    expect(parseSourceGitMrMarker(`Fix it\n\n${marker}\n`)).toEqual({ projectId: 3001, iid: 5 });
    expect(parseSourceGitMrMarker(`${marker}\n\nFix it`)).toBeNull();
    expect(parseSourceGitMrMarker(`Fix ${marker}`)).toBeNull();
  });

  it('refuses a description with two pairing markers', () => {
    expect(parseSourceGitMrMarker(`${sourceGitMrMarker(3001, 9)}\n\n${marker}`)).toBeNull();
    expect(parseSourceGitMrMarker(`x\n\n${marker}\n${marker}`)).toBeNull();
  });
});

describe('withSourceGitMrMarker', () => {
  it('keeps a description that carries the marker, and re-marks one that does not', () => {
    const marked = `Fix\n\n${marker}`;
    expect(withSourceGitMrMarker(marked, 3001, 5)).toBe(marked);
    expect(withSourceGitMrMarker(`${sourceGitMrMarker(3001, 9)} Fix`, 3001, 5)).toBe(`  Fix\n\n${marker}`);
  });
});

describe('endsWithMarker and appendMarker', () => {
  const note = '<!-- srcgit: dist-git-mr -->';

  it('takes a marker only as the last line', () => {
    expect(endsWithMarker(`Done.\n\n${note}`, note)).toBe(true);
    expect(endsWithMarker(`${note}\r\n \n`, note)).toBe(true);
    expect(endsWithMarker(`${note}\nDone.`, note)).toBe(false);
    expect(endsWithMarker(`> quoted ${note}`, note)).toBe(false);
    expect(endsWithMarker(`x${note}`, note)).toBe(false);
    expect(endsWithMarker('', note)).toBe(false);
  });

  it('appends a marker quoted earlier in the body, and only once', () => {
    const quoting = `> someone wrote ${note}\n\nReply`;
    const marked = appendMarker(quoting, note);
    expect(marked).toBe(`${quoting}\n\n${note}`);
    expect(appendMarker(marked, note)).toBe(marked);
  });

  it('ends within seconds on a megabyte of white space inside the body', { timeout: 10_000 }, () => {
    const body = `a${' '.repeat(1_000_000)}b${'\n'.repeat(1_000)}`;
    expect(appendMarker(body, note)).toBe(`a${' '.repeat(1_000_000)}b\n\n${note}`);
  });
});
