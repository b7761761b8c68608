/**
 * `readPlainMail` (init's in-process `git mailinfo -u` for plain format-patch mails) reads every
 * mail it accepts exactly as `git mailinfo -u` does, and declines the mails it does not model.
 * Compared against the real git on format-patch output and on generated mails.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRepo, createTempDir } from '@srcgit/test-fixtures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlainMail } from '../src/init/read-plain-mail';
import { testGitRunner } from './support/beer-pair';

const git = testGitRunner();
let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'srcgit-mailinfo-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** What `git mailinfo -u` reads from `mail`, in readPlainMail's terms. */
async function mailinfo(mail: Buffer) {
  const msg = join(scratch, 'msg');
  const patch = join(scratch, 'patch');
  const out = await git.text(['mailinfo', '-u', msg, patch], { cwd: scratch, input: mail });
  const fields = new Map(
    out
      .split('\n')
      .filter((line) => line.includes(': '))
      .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as const),
  );
  return {
    author: fields.get('Author'),
    email: fields.get('Email'),
    date: fields.get('Date'),
    subject: fields.get('Subject'),
    body: (await readFile(msg, 'utf8')).trimEnd(),
    patch: await readFile(patch),
  };
}

async function expectSameAsMailinfo(mail: Buffer): Promise<boolean> {
  const plain = readPlainMail(mail);
  if (plain === undefined) return false;
  const real = await mailinfo(mail);
  expect({ ...plain, patch: Buffer.from(plain.patch).toString('latin1') }).toEqual({
    ...real,
    patch: real.patch.toString('latin1'),
  });
  return true;
}

const DIFF =
  'diff --git a/f.c b/f.c\nindex 1111111..2222222 100644\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n';

function mail(
  headers: readonly string[],
  body: string,
  patch = `---\n f.c | 2 +-\n\n${DIFF}-- \n2.39.5\n\n`,
): Buffer {
  return Buffer.from(
    `From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n${headers.join('\n')}\n\n${body}${patch}`,
  );
}

const FROM = 'From: A U Thor <author@example.com>';
const DATE = 'Date: Thu, 1 Feb 2024 12:00:00 +0100';

describe('readPlainMail', () => {
  it('reads git format-patch output as git mailinfo does', async () => {
    const repo = await createGitRepo();
    await repo.commit('base', { files: { 'f.c': 'a\n' } });
    const subjects = [
      'Fix the thing',
      'elf: Avoid a race in dlopen (BZ #31234) [downstream]',
      'Re: a subject that is long enough to be folded by git format-patch when it writes the header line of the mail',
      '  spaced   out\tsubject  ',
      '[RFC] x: y',
    ];
    for (const [index, subject] of subjects.entries()) {
      const body =
        index % 2 === 0 ? '\n\nA body line.\n\nSigned-off-by: A U Thor <author@example.com>\n' : '';
      await repo.commit(`${subject}${body}`, { files: { 'f.c': `${'x\n'.repeat(index + 1)}\u00e9\n` } });
    }
    const out = join(createTempDir('mails').path, 'out');
    await repo.git(['format-patch', '--quiet', '-o', out, 'HEAD~5..HEAD']);
    let read = 0;
    for (const file of (await readdir(out)).sort()) {
      if (await expectSameAsMailinfo(await readFile(join(out, file)))) read++;
    }
    expect(read).toBe(5);
  });

  it('declines what it does not model: encoded words, CR, MIME parts, other charsets, in-body headers, scissors, no patch', () => {
    const declined = [
      mail([FROM, DATE, 'Subject: [PATCH] =?UTF-8?q?caf=C3=A9?='], 'Body\n'),
      mail(['From: =?UTF-8?q?J=C3=B6rg?= <j@example.com>', DATE, 'Subject: [PATCH] x'], 'Body\n'),
      Buffer.from(
        mail([FROM, DATE, 'Subject: [PATCH] x'], 'Body\n').toString('latin1').replace(/\n/g, '\r\n'),
        'latin1',
      ),
      mail([FROM, DATE, 'Subject: [PATCH] x', 'Content-Type: multipart/mixed; boundary=x'], 'Body\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x', 'Content-Type: text/plain; charset=ISO-8859-1'], 'Body\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x', 'Content-Transfer-Encoding: quoted-printable'], 'Body\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x'], 'From: Someone Else <else@example.com>\n\nBody\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x'], 'Subject: another\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x'], 'Cover text\n-- >8 --\nreal message\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x', 'Subject: again'], 'Body\n'),
      mail(['From: "Thor, A U" <author@example.com>', DATE, 'Subject: [PATCH] x'], 'Body\n'),
      mail([FROM, DATE, 'Subject: [PATCH] x'], 'Only a message\n', ''),
      mail([FROM, DATE, 'Subject: [PATCH]'], 'Body\n'),
    ];
    for (const input of declined) expect(readPlainMail(input)).toBeUndefined();
  });

  it('agrees with git mailinfo on generated subjects, authors, bodies and patch starts', async () => {
    const subjectPart = fc.constantFrom(
      '[PATCH]',
      '[PATCH v2 3/7]',
      'Re:',
      're: ',
      'RE:',
      ':',
      ' ',
      '\t',
      '[',
      ']',
      'fix',
      'elf:',
      'a  b',
      '[BZ #1]',
      're',
    );
    const bodyLine = fc.constantFrom(
      '',
      'Plain text.',
      '  indented  text  ',
      'Signed-off-by: A U Thor <author@example.com>',
      '--',
      '-- ',
      '----',
      'x---',
      'trailing space ',
      'caf\u00e9',
    );
    const patchStart = fc.constantFrom(
      `---\n f.c | 2 +-\n\n${DIFF}`,
      '---   \n' + DIFF,
      DIFF,
      '--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n',
      'Index: f.c\n===\n--- f.c\n+++ f.c\n@@ -1 +1 @@\n-a\n+b\n',
      'diff -up x/f.c.orig x/f.c\n--- x/f.c.orig\n+++ x/f.c\n@@ -1 +1 @@\n-a\n+b\n',
    );
    const name = fc.constantFrom('A U Thor', 'A. U. Thor', "O'Neil", 'x', 'Name   With   Spaces', 'a-b_c+d');
    let read = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(subjectPart, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.array(bodyLine, { maxLength: 5 }),
        fc.integer({ min: 0, max: 2 }),
        name,
        patchStart,
        fc.boolean(),
        async (parts, fold, lines, leadingBlanks, author, patch, utf8) => {
          const subject = `Subject: ${parts.join(' ')}${fold ? '\n continued\there ' : ''} `;
          const headers = [
            `From: ${author} <author+tag@example.com>`,
            DATE,
            subject,
            ...(utf8
              ? [
                  'MIME-Version: 1.0',
                  'Content-Type: text/plain; charset=UTF-8',
                  'Content-Transfer-Encoding: 8bit',
                ]
              : []),
          ];
          const body = `${'\n'.repeat(leadingBlanks)}${lines.map((line) => `${line}\n`).join('')}`;
          if (await expectSameAsMailinfo(mail(headers, body, patch))) read++;
        },
      ),
      { numRuns: 150, seed: 42 },
    );
    expect(read).toBeGreaterThan(50);
  });
});
