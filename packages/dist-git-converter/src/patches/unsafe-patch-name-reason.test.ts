import { describe, expect, it } from 'vitest';
import { formatPatchFileName } from './patch-file-name';
import { unsafePatchNameReason } from './unsafe-patch-name-reason';

describe('unsafePatchNameReason', () => {
  it('accepts the names dist-git patches have', () => {
    for (const name of [
      'glibc-rh1234567.patch',
      '0017-Patch-This..patch',
      'curl-7.61.1-CVE-2023-27533.patch',
      'a+b~c,d@e=f_g.diff',
      'Café.patch',
      'x'.repeat(249) + '.patch',
      formatPatchFileName(1, 'Whatever: the subject ../ says -rf'),
    ]) {
      expect(unsafePatchNameReason(name), name).toBeUndefined();
    }
  });

  it('refuses names that are not one safe file name, saying why', () => {
    const cases: Record<string, RegExp> = {
      '': /plain file name/,
      ' ': /plain file name/,
      '.': /plain file name/,
      '..': /plain file name/,
      '../x': /plain file name/,
      'a/b.patch': /plain file name/,
      'x\ny': /control character/,
      'x\0y': /control character/,
      'x\u009by': /control character/,
      'x y': /white space/,
      'x\u00a0y': /white space/,
      'x\\y': /backslash/,
      '%{name}.patch': /"%"/,
      '.git': /starts with "\."/,
      '.hidden.patch': /starts with "\."/,
      '-rf': /starts with "-"/,
      ['é'.repeat(128)]: /256 bytes long \(at most 255/,
      'git~1': /git's own directory/,
    };
    for (const [name, rule] of Object.entries(cases)) expect(unsafePatchNameReason(name), name).toMatch(rule);
  });
});
