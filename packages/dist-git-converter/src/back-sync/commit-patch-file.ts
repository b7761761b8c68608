import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { addTrailers, type Trailer } from './add-trailers';
import type { CommitAuthor, ScratchIndex } from './scratch-index';

/** A commit created from (one message of) a patch file. */
export interface PatchFileCommit {
  readonly sha: string;
  readonly subject: string;
}

export interface CommitPatchFileInput {
  readonly git: GitRunner;
  readonly index: ScratchIndex;
  readonly parent: string;
  readonly fileName: string;
  readonly content: Uint8Array;
  /** The `-p` level `%prep` applies the patch with. */
  readonly strip: number;
  /** Trailers every created commit gets (`Patch-name`, `Patch-id`, …). */
  readonly trailers: readonly Trailer[];
  /** Author of a plain diff (a mail patch keeps its own author and date). */
  readonly author: CommitAuthor;
  /** Message of a plain diff, before the trailers. */
  readonly message: string;
  /** The error to throw when the patch does not apply, from git's reason. */
  readonly failure: (reason: string) => ConverterError;
  readonly signal?: AbortSignal;
}

/** The first line of a format-patch mbox, or mail headers at the start of the file. */
const MAIL_START = /^(From [0-9a-f]{40,64} |From: |Subject: |Date: )/;

/**
 * Turns a dist-git patch file into source-git commits on top of `parent`, in the scratch index:
 * a mail patch (`git format-patch` output, possibly several messages) becomes one commit per
 * message with the message's author, date and text, as `git am` would make it; a plain diff
 * becomes one commit with the given author and message. Every commit gets the trailers.
 */
export async function commitPatchFile(input: CommitPatchFileInput): Promise<PatchFileCommit[]> {
  const { git, index, signal } = input;
  const strip = `-p${input.strip}`;
  const head = Buffer.from(input.content.subarray(0, 200)).toString('latin1');
  if (!MAIL_START.test(head)) {
    const applied = await index.tryApply(input.content, [strip]);
    if (!applied.ok) throw input.failure(applied.message);
    const message = await addTrailers(git, index.repoDir, input.message, input.trailers, signal);
    const sha = await index.commit(message, input.parent, input.author);
    return [{ sha, subject: firstLine(message) }];
  }
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-mail-'));
  try {
    const options = { cwd: index.repoDir, ...(signal === undefined ? {} : { signal }) };
    await git.run(['mailsplit', '-b', `-o${dir}`], { ...options, input: input.content });
    const mails = (await readdir(dir)).filter((name) => /^\d+$/.test(name)).sort();
    const commits: PatchFileCommit[] = [];
    let parent = input.parent;
    for (const mail of mails) {
      const msgPath = join(dir, `${mail}.msg`);
      const patchPath = join(dir, `${mail}.patch`);
      const info = await git.text(['mailinfo', '-u', msgPath, patchPath], {
        ...options,
        input: await readFile(join(dir, mail)),
      });
      const fields = parseMailinfo(info);
      const patch = await readFile(patchPath);
      if (patch.length > 0) {
        const applied = await index.tryApply(patch, [strip]);
        if (!applied.ok) throw input.failure(applied.message);
      }
      const body = (await readFile(msgPath, 'utf8')).trimEnd();
      const subject = fields.get('Subject') ?? input.message.trim();
      const message = await addTrailers(
        git,
        index.repoDir,
        body === '' ? `${subject}\n` : `${subject}\n\n${body}\n`,
        input.trailers,
        signal,
      );
      const name = fields.get('Author');
      const email = fields.get('Email');
      const date = fields.get('Date');
      const author: CommitAuthor =
        name === undefined || email === undefined
          ? input.author
          : { name, email, date: date ?? input.author.date };
      parent = await index.commit(message, parent, author);
      commits.push({ sha: parent, subject: firstLine(message) });
    }
    return commits;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseMailinfo(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split('\n')) {
    const separator = line.indexOf(': ');
    if (separator <= 0) continue;
    fields.set(line.slice(0, separator), line.slice(separator + 2));
  }
  return fields;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
