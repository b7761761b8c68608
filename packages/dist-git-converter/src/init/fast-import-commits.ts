import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { unsafePathReason } from '../sync/unsafe-path-reason';

/** A person and a date in RFC 2822 form (`Mon, 1 Jan 2024 12:00:00 +0000`). */
export interface StreamIdent {
  readonly name: string;
  readonly email: string;
  readonly date: string;
}

/** A change of one path in a {@link StreamCommit}. */
export type StreamChange =
  | { readonly path: string; readonly mode: string; readonly sha: string }
  | { readonly path: string; readonly mode: string; readonly content: Uint8Array }
  | { readonly path: string; readonly deleted: true };

export interface StreamCommit {
  readonly author: StreamIdent;
  readonly message: string;
  /** Changes against the previous commit of the stream (the parent for the first). */
  readonly changes: readonly StreamChange[];
}

/**
 * Writes a chain of commits on top of `parent` with ONE `git fast-import` process, which builds
 * the trees from the parent's in memory: far cheaper than an index per commit on an
 * upstream-sized repository. No ref is left behind; returns the commits' shas in order.
 */
export async function fastImportCommits(
  git: GitRunner,
  repoDir: string,
  parent: string,
  committer: StreamIdent,
  commits: readonly StreamCommit[],
  signal?: AbortSignal,
): Promise<string[]> {
  if (commits.length === 0) return [];
  assertConfinedPaths(commits);
  const dir = await mkdtemp(join(tmpdir(), 'srcgit-fast-import-'));
  const ref = `refs/srcgit/fast-import-${process.pid}-${Date.now()}`;
  const chunks: Buffer[] = [];
  const text = (value: string): void => void chunks.push(Buffer.from(value, 'utf8'));
  const data = (bytes: Uint8Array): void => {
    text(`data ${bytes.length}\n`);
    chunks.push(Buffer.from(bytes));
    text('\n');
  };
  commits.forEach((commit, index) => {
    text(`commit ${ref}\nmark :${index + 1}\n`);
    text(`author ${commit.author.name} <${commit.author.email}> ${commit.author.date}\n`);
    text(`committer ${committer.name} <${committer.email}> ${committer.date}\n`);
    data(Buffer.from(commit.message, 'utf8'));
    text(index === 0 ? `from ${parent}\n` : `from :${index}\n`);
    for (const change of commit.changes) {
      if ('deleted' in change) text(`D ${quotePath(change.path)}\n`);
      else if ('sha' in change) text(`M ${change.mode} ${change.sha} ${quotePath(change.path)}\n`);
      else {
        text(`M ${change.mode} inline ${quotePath(change.path)}\n`);
        data(change.content);
      }
    }
    text('\n');
  });
  text('done\n');
  const marks = join(dir, 'marks');
  const options = { cwd: repoDir, ...(signal === undefined ? {} : { signal }) };
  try {
    await git.run(
      ['fast-import', '--quiet', '--force', '--done', '--date-format=rfc2822', `--export-marks=${marks}`],
      { ...options, input: Buffer.concat(chunks) },
    );
    const shas = new Map<number, string>();
    for (const line of (await readFile(marks, 'utf8')).split('\n')) {
      const match = /^:(\d+) ([0-9a-f]+)$/.exec(line);
      if (match !== null) shas.set(Number(match[1]), match[2] ?? '');
    }
    return commits.map((_, index) => shas.get(index + 1) ?? '');
  } finally {
    await git.run(['update-ref', '-d', ref], { ...options, okExitCodes: [0, 1, 128] }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** A path as fast-import reads it: C-quoted when it starts with `"` or holds a newline or quote. */
function quotePath(path: string): string {
  if (!/^"|[\n"\\]/.test(path)) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** git's raw date (`1704110400 +0100`, or `@1704110400 +0100`) in RFC 2822 form, in its own time zone. */
export function rawDateToRfc2822(raw: string): string {
  const match = /^@?(\d+) ([+-])(\d\d)(\d\d)$/.exec(raw.trim());
  if (match === null) return raw;
  const [, seconds = '0', sign = '+', hours = '00', minutes = '00'] = match;
  const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((Number(seconds) + offset * 60) * 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${DAYS[local.getUTCDay()] ?? 'Mon'}, ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()] ?? 'Jan'} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${hours}${minutes}`;
}

/**
 * Every path a commit writes stays inside the repository: no `.git` component in any spelling,
 * no `..`, nothing absolute (git would check such a tree out as told, or refuse halfway).
 */
function assertConfinedPaths(commits: readonly StreamCommit[]): void {
  for (const commit of commits) {
    for (const change of commit.changes) {
      const reason = unsafePathReason(change.path);
      if (reason === undefined) continue;
      const subject = commit.message.split('\n', 1)[0] ?? '';
      throw new ConverterError(
        'UNSUPPORTED_CHANGE',
        `cannot write the source-git commit "${subject}": the path ${JSON.stringify(change.path)} is refused: ${reason}`,
        { data: { path: change.path, subject, rule: reason } },
      );
    }
  }
}
