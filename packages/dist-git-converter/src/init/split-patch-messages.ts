import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRunner } from '../git/git-runner';
import { splitMbox } from '../patches/split-mbox';
import { rawDateToRfc2822 } from './fast-import-commits';
import { readPlainMail, type PlainMail } from './read-plain-mail';

/** A dist-git patch file to split. */
export interface PatchSource {
  readonly fileName: string;
  readonly content: Uint8Array;
  /** Author of a plain diff, its date in git's raw form. */
  readonly author: { readonly name: string; readonly email: string; readonly date: string };
}

/** One message of a patch: what `git am` would commit. */
export interface PatchMessage {
  readonly patchIndex: number;
  readonly author: { readonly name: string; readonly email: string; readonly date: string };
  readonly message: string;
  readonly diff: Uint8Array;
}

const MAIL_START = /^(From [0-9a-f]{40,64} |From: |Subject: |Date: )/;
/** How many `git mailinfo` processes run at once (they are short; this hides spawn latency). */
const MAILINFO_CONCURRENCY = 4;

/**
 * Splits dist-git patches into the messages `git am` would commit, in order: a mail patch gives
 * one message per mail with its author, date and message (`git mailinfo -u`, run in `dir`); a
 * plain diff one message with the given author and `Apply patch <name>`.
 */
export async function splitPatchMessages(
  git: GitRunner,
  repoDir: string,
  dir: string,
  patches: readonly PatchSource[],
  signal: AbortSignal | undefined,
): Promise<PatchMessage[]> {
  const jobs: { patchIndex: number; mail: Uint8Array | undefined; fallback: PatchMessage }[] = [];
  for (const [patchIndex, patch] of patches.entries()) {
    const author = { ...patch.author, date: rawDateToRfc2822(patch.author.date) };
    const plain: PatchMessage = {
      patchIndex,
      author,
      message: `Apply patch ${patch.fileName}\n`,
      diff: patch.content,
    };
    const content = Buffer.from(patch.content);
    if (!MAIL_START.test(content.subarray(0, 200).toString('latin1'))) {
      jobs.push({ patchIndex, mail: undefined, fallback: plain });
      continue;
    }
    let mails: Uint8Array[] = splitMbox(content)
      .filter((message) => message.sha !== undefined)
      .map((message) => message.bytes);
    if (mails.length === 0)
      mails = await mailsplit(git, repoDir, join(dir, `split-${patchIndex}`), content, signal);
    for (const mail of mails) jobs.push({ patchIndex, mail, fallback: plain });
  }
  const messages: PatchMessage[] = new Array<PatchMessage>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const position = next++;
      const job = jobs[position];
      if (job === undefined) continue;
      if (job.mail === undefined) {
        messages[position] = job.fallback;
        continue;
      }
      const info =
        readPlainMail(job.mail) ?? (await runMailinfo(git, repoDir, dir, position, job.mail, signal));
      const subject = info.subject ?? job.fallback.message.trim();
      messages[position] = {
        patchIndex: job.patchIndex,
        author:
          info.author === undefined || info.email === undefined
            ? job.fallback.author
            : { name: info.author, email: info.email, date: info.date ?? job.fallback.author.date },
        message: info.body === '' ? `${subject}\n` : `${subject}\n\n${info.body}\n`,
        diff: info.patch,
      };
    }
  };
  await Promise.all(Array.from({ length: MAILINFO_CONCURRENCY }, () => worker()));
  return messages;
}

/** A mail's fields as `git mailinfo -u` prints them (a field it does not print is undefined). */
type MailFields = {
  readonly [Field in keyof PlainMail]:
    PlainMail[Field] | (Field extends 'body' | 'patch' ? never : undefined);
};

/** `git mailinfo -u` of one mail (files in `dir`): its fields as {@link readPlainMail} gives them. */
async function runMailinfo(
  git: GitRunner,
  repoDir: string,
  dir: string,
  position: number,
  mail: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<MailFields> {
  const msgPath = join(dir, `${position}.msg`);
  const patchPath = join(dir, `${position}.patch`);
  const info = await git.text(['mailinfo', '-u', msgPath, patchPath], {
    cwd: repoDir,
    input: mail,
    ...(signal === undefined ? {} : { signal }),
  });
  const fields = new Map<string, string>();
  for (const line of info.split('\n')) {
    const separator = line.indexOf(': ');
    if (separator > 0) fields.set(line.slice(0, separator), line.slice(separator + 2));
  }
  return {
    author: fields.get('Author'),
    email: fields.get('Email'),
    date: fields.get('Date'),
    subject: fields.get('Subject'),
    body: (await readFile(msgPath, 'utf8')).trimEnd(),
    patch: await readFile(patchPath),
  };
}

async function mailsplit(
  git: GitRunner,
  repoDir: string,
  dir: string,
  content: Buffer,
  signal: AbortSignal | undefined,
): Promise<Uint8Array[]> {
  await mkdir(dir, { recursive: true });
  await git.run(['mailsplit', '-b', `-o${dir}`], {
    cwd: repoDir,
    input: content,
    ...(signal === undefined ? {} : { signal }),
  });
  const names = (await readdir(dir)).filter((name) => /^\d+$/.test(name)).sort();
  return Promise.all(names.map((name) => readFile(join(dir, name))));
}
