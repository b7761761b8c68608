import { describe, expect, it } from 'vitest';

import { isConverterError } from '../converter-error';
import { expandMacros, MACRO_EXPANSION_LIMITS } from './expand-macros';
import { findPatchEntries } from './find-patch-entries';
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
  });

  it('uses the definitions and tags of a parsed spec', () => {
    const doc = parseSpec('Name: hello\nVersion: 1.0\n%global prefix fedora\n');
    expect(expandMacros('%{prefix}-%{name}-%{version}.patch', doc.macros)).toBe('fedora-hello-1.0.patch');
  });

  describe('budget', () => {
    /** `%global m0 <leaf>`, then each `m<i>` is four `m<i-1>`: 4^levels expansions. */
    const bomb = (levels: number, leaf: string): Map<string, string> =>
      new Map([
        ['m0', leaf],
        ...Array.from({ length: levels }, (_, index): [string, string] => [
          `m${index + 1}`,
          `%{m${index}}`.repeat(4),
        ]),
      ]);
    const failure = (
      run: () => unknown,
    ): { code: string; message: string; data: Record<string, unknown> } => {
      try {
        run();
      } catch (error) {
        if (isConverterError(error))
          return { code: error.code, message: error.message, data: { ...error.data } };
        throw error;
      }
      throw new Error('expected a ConverterError');
    };

    it('refuses a macro defined in terms of itself, naming it and the depth limit', () => {
      const error = failure(() => expandMacros('%{loop}.patch', macros, { where: 'spec line 7' }));
      expect(error.code).toBe('SPEC_INVALID');
      expect(error.message).toBe(
        `spec line 7: expanding macro %{loop} in "%{loop}.patch" nests more than ${MACRO_EXPANSION_LIMITS.maxDepth} macros deep (the limit of srcgit's macro expansion; is a macro defined in terms of itself, or does it multiply?)`,
      );
      expect(error.data).toMatchObject({ macro: 'loop', limit: 'maxDepth' });
    });

    it('stops a macro bomb (30 levels of four)', { timeout: 5000 }, () => {
      const error = failure(() => expandMacros('%{m30}', bomb(30, 'x')));
      expect(error.code).toBe('SPEC_INVALID');
      expect(error.data).toMatchObject({ macro: 'm30', limit: 'maxSteps' });
    });

    it('stops a macro bomb of long texts at the output limit', { timeout: 5000 }, () => {
      const error = failure(() => expandMacros('%{m30}', bomb(30, 'x'.repeat(1000))));
      expect(error.message).toContain(`expanding macro %{m30} (at %{`);
      expect(error.message).toContain(
        `expands to more than ${MACRO_EXPANSION_LIMITS.maxOutputLength} characters`,
      );
      expect(error.data).toMatchObject({ macro: 'm30', limit: 'maxOutputLength' });
    });

    it('stops a bomb that expands to nothing at the step limit', { timeout: 5000 }, () => {
      const error = failure(() => expandMacros('a%{m30}b', bomb(30, '%{?undefined}')));
      expect(error.message).toContain(`takes more than ${MACRO_EXPANSION_LIMITS.maxSteps} steps`);
      expect(error.data).toMatchObject({ macro: 'm30', limit: 'maxSteps' });
    });

    it('stops nested conditionals that rescan a long text at the depth limit', { timeout: 5000 }, () => {
      const text = `${'%{?name:'.repeat(5000)}x${'}'.repeat(5000)}`;
      expect(failure(() => expandMacros(text, macros)).data).toMatchObject({ limit: 'maxDepth' });
    });

    it('expands a smaller bomb completely', () => {
      expect(expandMacros('%{m7}', bomb(7, 'x'))).toBe('x'.repeat(4 ** 7));
      expect(expandMacros('a%{m7}b', bomb(7, '%{?undefined}'))).toBe('ab');
    });

    it('names the spec line of a Patch tag whose file name cannot be expanded', () => {
      const spec = `Name: x\n${Array.from({ length: 31 }, (_, index) => `%global m${index + 1} ${`%{m${index}}`.repeat(4)}`).join('\n')}\n%global m0 x\nPatch1: %{m31}.patch\n`;
      const error = failure(() => findPatchEntries(parseSpec(spec)));
      expect(error.message).toMatch(
        /^spec line 34: expanding macro %\{m31\} \(at %\{m\d+\}\) in "%\{m31\}\.patch" takes more than/,
      );
    });
  });
});
