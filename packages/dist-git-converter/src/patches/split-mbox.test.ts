import fc from 'fast-check';
import { createGitRepo, runGitRaw } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { MboxStream, splitMbox } from './split-mbox';

/** Real format-patch output: three messages, one quoting a From line in its body. */
async function formatPatchOutput(): Promise<{ bytes: Buffer; shas: string[] }> {
  const repo = await createGitRepo();
  await repo.commit('base', { files: { a: 'a\n' } });
  const shas = [
    await repo.commit('one', { files: { a: 'b\n' } }),
    await repo.commit(
      'two\n\nFrom 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\nquoted above\n',
      { files: { b: 'From the start\n' } },
    ),
    await repo.commit('three', { files: { c: Uint8Array.from([0, 70, 114, 111, 109, 32]) } }),
  ];
  const { stdout } = await runGitRaw(['format-patch', '--stdout', 'HEAD~3..HEAD'], { cwd: repo.dir });
  return { bytes: stdout, shas };
}

describe('splitMbox', () => {
  it('splits at the From lines of accepted commits only', async () => {
    const { bytes, shas } = await formatPatchOutput();
    const all = splitMbox(bytes);
    expect(all.map((message) => message.sha)).toEqual([
      shas[0],
      shas[1],
      '0123456789abcdef0123456789abcdef01234567',
      shas[2],
    ]);
    const accepted = splitMbox(bytes, (sha) => shas.includes(sha));
    expect(accepted.map((message) => message.sha)).toEqual(shas);
    expect(Buffer.concat(accepted.map((message) => message.bytes)).equals(bytes)).toBe(true);
    expect(splitMbox(Buffer.from('no mbox\n'))).toEqual([
      { sha: undefined, bytes: Buffer.from('no mbox\n') },
    ]);
    expect(splitMbox(Buffer.alloc(0))).toEqual([]);
  });

  it('finds the same boundaries whatever the chunks the stream arrives in', async () => {
    const { bytes } = await formatPatchOutput();
    const whole = new MboxStream();
    whole.push(bytes);
    whole.end();
    expect(whole.boundaries).toHaveLength(4);

    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 60 });
    fc.assert(
      fc.property(cuts, (positions) => {
        const sorted = [...positions].sort((a, b) => a - b);
        const stream = new MboxStream();
        let start = 0;
        for (const end of [...sorted, bytes.length]) {
          stream.push(bytes.subarray(start, end));
          start = end;
        }
        stream.end();
        expect(stream.boundaries).toEqual(whole.boundaries);
        expect(stream.length).toBe(bytes.length);
        const [first, second] = stream.boundaries;
        expect(
          stream
            .slice(first?.offset ?? 0, second?.offset ?? 0)
            .equals(bytes.subarray(first?.offset, second?.offset)),
        ).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
    // byte by byte
    const stream = new MboxStream();
    for (let index = 0; index < bytes.length; index++) stream.push(bytes.subarray(index, index + 1));
    stream.end();
    expect(stream.boundaries).toEqual(whole.boundaries);
  });
});
