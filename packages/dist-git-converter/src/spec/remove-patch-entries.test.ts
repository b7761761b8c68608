import { describe, expect, it } from 'vitest';

import { removePatchEntries } from './remove-patch-entries';

const HELLO_DIST_GIT = [
  'Name: hello',
  'Source: hello-1.0.1.tar.gz',
  '',
  '# Say hello to Fedora',
  'Patch0001: turn-into-fedora.patch',
  '',
  '# Patch from Git',
  'Patch0002: from-git.patch',
  '',
  '# Funky patch',
  'Patch0003: 0017-Patch-This..patch',
  '',
  'Provides: hello',
  '',
].join('\n');

describe('removePatchEntries', () => {
  it('removes every tag with its comment and collapses the blank lines (docs/converter-behaviour.md §5.4)', () => {
    expect(removePatchEntries(HELLO_DIST_GIT, () => true)).toBe(
      'Name: hello\nSource: hello-1.0.1.tar.gz\n\nProvides: hello\n',
    );
  });

  it('removes only what the predicate selects', () => {
    expect(removePatchEntries(HELLO_DIST_GIT, (entry) => entry.number === 2)).toBe(
      [
        'Name: hello',
        'Source: hello-1.0.1.tar.gz',
        '',
        '# Say hello to Fedora',
        'Patch0001: turn-into-fedora.patch',
        '',
        '# Funky patch',
        'Patch0003: 0017-Patch-This..patch',
        '',
        'Provides: hello',
        '',
      ].join('\n'),
    );
    expect(removePatchEntries(HELLO_DIST_GIT, () => false)).toBe(HELLO_DIST_GIT);
  });

  it('matches expanded names in the predicate', () => {
    const spec = 'Name: hello\nPatch1: %{name}-fix.patch\nPatch2: keep.patch\n';
    expect(removePatchEntries(spec, (entry) => entry.expandedFileName === 'hello-fix.patch')).toBe(
      'Name: hello\nPatch2: keep.patch\n',
    );
  });

  it('leaves no blank line where there was none', () => {
    expect(removePatchEntries('Name: x\nSource0: a\n# c\nPatch1: p\nBuildArch: noarch\n', () => true)).toBe(
      'Name: x\nSource0: a\nBuildArch: noarch\n',
    );
    expect(removePatchEntries('Name: x\nSource0: a\nPatch1: p\n\n\n%description\n', () => true)).toBe(
      'Name: x\nSource0: a\n\n%description\n',
    );
  });

  it('removes %patchlist lines but keeps the section', () => {
    expect(removePatchEntries('Name: x\n%patchlist\n# first\na.patch\nb.patch\n\n%prep\n', () => true)).toBe(
      'Name: x\n%patchlist\n\n%prep\n',
    );
  });

  it('removes an %if block left empty, with the comment above it', () => {
    const spec = [
      'Name: x',
      'Source0: a',
      '',
      '# s390 only',
      '%ifarch s390x',
      '# fix',
      'Patch5: s390.patch',
      '',
      '%else',
      'Patch6: other.patch',
      '%endif',
      '',
      '%if %{with foo}',
      'Patch7: foo.patch',
      'BuildRequires: foo',
      '%endif',
      '',
      'BuildArch: noarch',
      '',
    ].join('\n');
    expect(removePatchEntries(spec, () => true)).toBe(
      'Name: x\nSource0: a\n\n%if %{with foo}\nBuildRequires: foo\n%endif\n\nBuildArch: noarch\n',
    );
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    expect(removePatchEntries('Name: x\r\nSource: a\r\n# c\r\nPatch1: p', () => true)).toBe(
      'Name: x\r\nSource: a',
    );
    expect(removePatchEntries('Name: x\r\nPatch1: p\r\nURL: u', () => true)).toBe('Name: x\r\nURL: u');
  });
});
