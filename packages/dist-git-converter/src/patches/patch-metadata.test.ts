import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlTree } from '../config/yaml-tree';
import { isConverterError } from '../converter-error';
import { readTrailerMetadata, readYamlMetadata, type MetadataCommit } from './patch-metadata';

const commit = (message: string): MetadataCommit => ({ sha: 'a'.repeat(40), subject: 'Subject', message });

/** packit's scan as srcgit ran it before: every tail parsed (quadratic), the first mapping wins. */
function referenceTail(message: string): string | undefined {
  const lines = message.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (!(line.includes(':') || /^[{?!&%]|^---/.test(trimmed))) continue;
    const parsed = parseYamlTree(lines.slice(index).join('\n'));
    if (parsed.ok && parsed.root.kind === 'map') return lines.slice(index).join('\n');
  }
  return undefined;
}

const LINES = [
  'Fix the frobnicator',
  'More text here.',
  'text with {brace',
  '',
  '# comment',
  'patch_name: fix.patch',
  'patch_name: other.patch',
  'description: |',
  '  indented text',
  '  more: text',
  'present_in_specfile: true',
  'Signed-off-by: A <a@example.org>',
  'Fixes: the bug in foo: bar',
  '{patch_name: flow.patch,',
  '}',
  'x}',
  '- item',
  '---',
  '...',
  'key: "open quote',
  'close" tail',
  'plain',
  '  indented: 1',
  '\tTab: x',
  'a: 1\rb',
];

describe('readYamlMetadata', () => {
  it('finds the same metadata as parsing every tail did', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 12 }), (lines) => {
        const message = lines.join('\n');
        const tail = referenceTail(message);
        let actual: unknown;
        let expected: unknown;
        try {
          actual = readYamlMetadata(commit(message));
        } catch (error) {
          actual = isConverterError(error) ? error.message : error;
        }
        try {
          expected = tail === undefined ? readYamlMetadata(commit('')) : readYamlMetadata(commit(tail));
        } catch (error) {
          expected = isConverterError(error) ? error.message : error;
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('reads the usual packit block after a message body', () => {
    const metadata = readYamlMetadata(
      commit(
        'Fix it\n\nThe body.\nIt explains.\n\npatch_name: fix.patch\ndescription: |\n  Fedora only.\npresent_in_specfile: true\n',
      ),
    );
    expect(metadata).toMatchObject({ name: 'fix.patch', status: 'Fedora only.', presentInSpec: true });
  });

  it('ends on a 20,000-line message of plain text ending in metadata', { timeout: 5000 }, () => {
    const body = Array.from({ length: 20_000 }, (_, index) => `line ${index} of the body`).join('\n');
    expect(readYamlMetadata(commit(`Subject\n\n${body}\n\npatch_name: x.patch\n`)).name).toBe('x.patch');
  });

  it('ends on a 1 MB message of key lines with a clear error naming the bound', { timeout: 5000 }, () => {
    const message = '  aa: b\n'.repeat(125_000);
    let error: unknown;
    try {
      readYamlMetadata(commit(message));
    } catch (caught) {
      error = caught;
    }
    expect(isConverterError(error) && error.code).toBe('PATCH_METADATA_INVALID');
    expect((error as Error).message).toMatch(
      /^commit aaaaaaaaaaaa \("Subject"\): looking for legacy YAML metadata .* would parse more than 262144 bytes of YAML \(the bound is 8 × the message's 1000000 bytes \+ 65536, at most 262144\)/,
    );
  });

  it('ends on 20,000 duplicate keys, finding the last', { timeout: 5000 }, () => {
    const message = `Subject\n\n${'patch_name: a.patch\n'.repeat(20_000)}`;
    expect(readYamlMetadata(commit(message)).name).toBe('a.patch');
  });

  it('checks a 16,000-key mapping for duplicates in linear time', { timeout: 10_000 }, () => {
    const keys = Array.from({ length: 16_000 }, (_, index) => `k${index}: v`).join('\n');
    expect(readYamlMetadata(commit(`Subject\n\n${keys}\npatch_name: z.patch\n`)).name).toBe('z.patch');
  });

  it('refuses a billion laughs', { timeout: 5000 }, () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++)
      levels.push(
        `${'bcdefghij'[level - 1]}: &${'bcdefghij'[level - 1]} [${`*${'abcdefghij'[level - 1]}, `.repeat(10).slice(0, -2)}]`,
      );
    expect(readYamlMetadata(commit(`Subject\n\n${levels.join('\n')}\n`)).hasMetadata).toBe(false);
  });

  it('ends on 20,000 lines that each open a flow mapping', { timeout: 10_000 }, () => {
    const message = `${'{a: 1,\n'.repeat(20_000)}text`;
    expect(() => readYamlMetadata(commit(message))).toThrow(/would parse more than/);
  });
});

describe('Patch-status trimming', () => {
  it(
    'trims trailing blanks of a status with a long inner run of blanks in linear time',
    { timeout: 5000 },
    () => {
      const status = `|\n  start${' '.repeat(1_000_000)}end\n  ${' \u00a0'.repeat(100)}`;
      const metadata = readTrailerMetadata(
        commit(`Subject\n\nPatch-name: x.patch\nPatch-status: ${status}\n`),
      );
      expect(metadata.status?.startsWith('start')).toBe(true);
      expect(metadata.status?.endsWith('end')).toBe(true);
    },
  );

  it('keeps trimming as before', () => {
    const metadata = readTrailerMetadata(
      commit('Subject\n\nPatch-name: x.patch\nPatch-status: |\n    # Fedora only   \n    #\n'),
    );
    expect(metadata.status).toBe('# Fedora only   \n#');
  });
});
