import { describe, expect, it } from 'vitest';

import { expandMacros } from './expand-macros';
import { parseSpec } from './parse-spec';

const macros = new Map([
  ['name', 'curl'],
  ['version', '8.6.0'],
  ['ver', '%{version}'],
  ['loop', '%{loop}x'],
]);

describe('expandMacros', () => {
  it('expands %name, %{name} and nested definitions', () => {
    expect(expandMacros('%{name}-%version-fix.patch', macros)).toBe('curl-8.6.0-fix.patch');
    expect(expandMacros('%{name}-%{ver}.patch', macros)).toBe('curl-8.6.0.patch');
  });

  it('handles %{?x}, %{?x:text}, %{!?x:text} and %%', () => {
    expect(expandMacros('a%{?dist}b', macros)).toBe('ab');
    expect(expandMacros('a%{?name}b', macros)).toBe('acurlb');
    expect(expandMacros('%{?name:-%{version}}%{?nope:x}', macros)).toBe('-8.6.0');
    expect(expandMacros('%{!?nope:fallback}%{!?name:x}', macros)).toBe('fallback');
    expect(expandMacros('100%% %%{name}', macros)).toBe('100% %{name}');
  });

  it('leaves what it cannot know as written', () => {
    for (const text of [
      '%{undefined}',
      '%undefined',
      '%{lua: print(1)}',
      '%(echo hi)',
      '%[1+1]',
      '%{expand:%name}',
      '%{',
      '%',
    ]) {
      expect(expandMacros(text, macros)).toBe(text);
    }
    expect(expandMacros('%{loop}', macros)).toMatch(/^%\{loop\}x+$/);
  });

  it('uses the definitions and tags of a parsed spec', () => {
    const doc = parseSpec('Name: hello\nVersion: 1.0\n%global prefix fedora\n');
    expect(expandMacros('%{prefix}-%{name}-%{version}.patch', doc.macros)).toBe('fedora-hello-1.0.patch');
  });
});
