import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import type { SyncPoint } from './sync-status-report';
import { FROM_DIST_GIT_COMMIT, FROM_SOURCE_GIT_COMMIT } from './sync-trailers';

/** A commit carrying a sync trailer, and the commit of the other repository it names. */
interface SyncMarker {
  readonly markerCommit: string;
  readonly referencedCommit: string;
}

export interface FindSyncPointOptions {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Finds the last synchronisation pair of a source-git and a dist-git repository
 * (converter-spec §4.1): the newest `From-dist-git-commit` trailer reachable from source-git HEAD
 * and the newest `From-source-git-commit` trailer reachable from dist-git HEAD; when both exist,
 * the dist-git one wins if the source-git commit of the other is one of its ancestors.
 *
 * @throws {ConverterError} `SYNC_MARKER_MISSING` when neither repository has a trailer;
 *   `SYNC_MARKER_INVALID` when a trailer names a commit the other repository does not have.
 */
export async function findSyncPoint(options: FindSyncPointOptions): Promise<SyncPoint> {
  const { sourceGitDir, distGitDir, git, signal } = options;
  const [inSourceGit, inDistGit] = await Promise.all([
    findMarker(git, sourceGitDir, FROM_DIST_GIT_COMMIT, distGitDir, 'dist-git', signal),
    findMarker(git, distGitDir, FROM_SOURCE_GIT_COMMIT, sourceGitDir, 'source-git', signal),
  ]);
  if (inSourceGit === undefined && inDistGit === undefined) {
    throw new ConverterError(
      'SYNC_MARKER_MISSING',
      `No git commits with trailers to mark synchronization points were found: neither ${sourceGitDir} has a commit with a "${FROM_DIST_GIT_COMMIT}:" trailer nor ${distGitDir} one with a "${FROM_SOURCE_GIT_COMMIT}:" trailer. Run "srcgit init" to create a source-git repository from dist-git, or add the trailer to the commit where both were last in sync.`,
      { data: { sourceGitDir, distGitDir } },
    );
  }
  const fromSourceGit: SyncPoint | undefined =
    inSourceGit === undefined
      ? undefined
      : {
          sourceGitCommit: inSourceGit.markerCommit,
          distGitCommit: inSourceGit.referencedCommit,
          recordedIn: 'source-git',
          markerCommit: inSourceGit.markerCommit,
        };
  const fromDistGit: SyncPoint | undefined =
    inDistGit === undefined
      ? undefined
      : {
          sourceGitCommit: inDistGit.referencedCommit,
          distGitCommit: inDistGit.markerCommit,
          recordedIn: 'dist-git',
          markerCommit: inDistGit.markerCommit,
        };
  if (fromSourceGit === undefined) return fromDistGit as SyncPoint;
  if (fromDistGit === undefined) return fromSourceGit;
  const distGitIsNewer = await isAncestor(
    git,
    sourceGitDir,
    fromSourceGit.sourceGitCommit,
    fromDistGit.sourceGitCommit,
    signal,
  );
  return distGitIsNewer ? fromDistGit : fromSourceGit;
}

/** True when `ancestor` is `descendant` or one of its ancestors. */
export async function isAncestor(
  git: GitRunner,
  cwd: string,
  ancestor: string,
  descendant: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const result = await git.run(['merge-base', '--is-ancestor', ancestor, descendant], {
    cwd,
    okExitCodes: [0, 1],
    ...(signal === undefined ? {} : { signal }),
  });
  return result.exitCode === 0;
}

const HEX = /^[0-9a-f]{4,64}$/i;

async function findMarker(
  git: GitRunner,
  repoDir: string,
  token: string,
  otherDir: string,
  otherName: string,
  signal: AbortSignal | undefined,
): Promise<SyncMarker | undefined> {
  const signalOption = signal === undefined ? {} : { signal };
  const out = await git.text(
    [
      'log',
      '-1',
      '--format=%H%x00%B',
      '--extended-regexp',
      `--grep=^${token}:[[:space:]]*[^[:space:]]`,
      'HEAD',
      '--',
    ],
    { cwd: repoDir, ...signalOption },
  );
  if (out === '') return undefined;
  const separator = out.indexOf('\0');
  const markerCommit = out.slice(0, separator);
  const message = out.slice(separator + 1);
  const value = lastTrailerValue(message, token);
  if (value === undefined) return undefined;
  const notFound = (): ConverterError =>
    new ConverterError(
      'SYNC_MARKER_INVALID',
      `Commit '${value}' referenced in ${token} git trailer does not exist in ${otherName}: commit ${markerCommit} of ${repoDir} names it, but ${otherDir} has no such commit. Fetch the missing history into ${otherDir}, or fix the trailer.`,
      { data: { markerCommit, value, repository: otherDir } },
    );
  if (!HEX.test(value)) throw notFound();
  const resolved = await git.run(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${value}^{commit}`],
    {
      cwd: otherDir,
      okExitCodes: [0, 1, 128],
      ...signalOption,
    },
  );
  if (resolved.exitCode !== 0) throw notFound();
  return { markerCommit, referencedCommit: resolved.stdout.toString('utf8').trim() };
}

/** The value of the last `<token>: <value>` line of a commit message. */
function lastTrailerValue(message: string, token: string): string | undefined {
  let value: string | undefined;
  for (const line of message.split('\n')) {
    if (!line.startsWith(`${token}:`)) continue;
    const candidate = line.slice(token.length + 1).trim();
    if (candidate !== '') value = candidate;
  }
  return value;
}
