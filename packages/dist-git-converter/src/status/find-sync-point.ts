import { ConverterError } from '../converter-error';
import type { GitRunner } from '../git/git-runner';
import { resolveObjects } from '../git/resolve-objects';
import type { SyncPoint } from './sync-status-report';
import { FROM_DIST_GIT_COMMIT, FROM_SOURCE_GIT_COMMIT } from './sync-trailers';

/** A commit carrying a sync trailer, and the value of the trailer (a commit of the other repository). */
interface SyncMarker {
  readonly markerCommit: string;
  readonly value: string;
}

/** The last synchronisation pair, and the commits both `HEAD`s point at. */
export interface SyncPointAndHeads {
  readonly syncPoint: SyncPoint;
  readonly sourceGitHead: string;
  readonly distGitHead: string;
  /** Whether dist-git `HEAD` itself carries a `From-source-git-commit` trailer. */
  readonly distGitHeadMarked: boolean;
}

export interface FindSyncPointOptions {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Finds the last synchronisation pair of a source-git and a dist-git repository
 * (docs/converter-behaviour.md §4.1): the newest `From-dist-git-commit` trailer reachable from source-git
 * HEAD and the newest `From-source-git-commit` trailer reachable from dist-git HEAD; when both exist,
 * the dist-git one wins if the source-git commit of the other is one of its ancestors. Also
 * resolves both `HEAD`s, in the same `git cat-file` process per repository that checks the
 * commit the other repository's trailer names.
 *
 * @throws {ConverterError} `SYNC_MARKER_MISSING` when neither repository has a trailer;
 *   `SYNC_MARKER_INVALID` when a trailer names a commit the other repository does not have;
 *   `GIT_FAILED` when a `HEAD` is not a commit.
 */
export async function findSyncPoint(options: FindSyncPointOptions): Promise<SyncPointAndHeads> {
  const { sourceGitDir, distGitDir, git, signal } = options;
  const [markerInSourceGit, markerInDistGit] = await Promise.all([
    findMarker(git, sourceGitDir, FROM_DIST_GIT_COMMIT, signal),
    findMarker(git, distGitDir, FROM_SOURCE_GIT_COMMIT, signal),
  ]);
  if (markerInSourceGit === undefined && markerInDistGit === undefined) {
    throw new ConverterError(
      'SYNC_MARKER_MISSING',
      `No git commits with trailers to mark synchronization points were found: neither ${sourceGitDir} has a commit with a "${FROM_DIST_GIT_COMMIT}:" trailer nor ${distGitDir} one with a "${FROM_SOURCE_GIT_COMMIT}:" trailer. Run "srcgit init" to create a source-git repository from dist-git, or add the trailer to the commit where both were last in sync.`,
      { data: { sourceGitDir, distGitDir } },
    );
  }
  const [[sourceGitHead, namedByDistGit], [distGitHead, namedBySourceGit]] = await Promise.all([
    resolveHeadAnd(git, sourceGitDir, markerInDistGit?.value, signal),
    resolveHeadAnd(git, distGitDir, markerInSourceGit?.value, signal),
  ]);
  const inSourceGit = referenced(markerInSourceGit, namedBySourceGit, {
    token: FROM_DIST_GIT_COMMIT,
    repoDir: sourceGitDir,
    otherDir: distGitDir,
    otherName: 'dist-git',
  });
  const inDistGit = referenced(markerInDistGit, namedByDistGit, {
    token: FROM_SOURCE_GIT_COMMIT,
    repoDir: distGitDir,
    otherDir: sourceGitDir,
    otherName: 'source-git',
  });
  for (const [head, dir] of [
    [sourceGitHead, sourceGitDir],
    [distGitHead, distGitDir],
  ] as const) {
    if (head === undefined) {
      throw new ConverterError('GIT_FAILED', `HEAD of ${dir} does not point to a commit`, { data: { dir } });
    }
  }
  const heads = {
    sourceGitHead: sourceGitHead as string,
    distGitHead: distGitHead as string,
    distGitHeadMarked: markerInDistGit?.markerCommit === distGitHead,
  };
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
  if (fromSourceGit === undefined) return { syncPoint: fromDistGit as SyncPoint, ...heads };
  if (fromDistGit === undefined) return { syncPoint: fromSourceGit, ...heads };
  const distGitIsNewer = await isAncestor(
    git,
    sourceGitDir,
    fromSourceGit.sourceGitCommit,
    fromDistGit.sourceGitCommit,
    signal,
  );
  return { syncPoint: distGitIsNewer ? fromDistGit : fromSourceGit, ...heads };
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

/** The newest commit of `repoDir` with a `<token>: <value>` trailer, and its value. */
async function findMarker(
  git: GitRunner,
  repoDir: string,
  token: string,
  signal: AbortSignal | undefined,
): Promise<SyncMarker | undefined> {
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
    { cwd: repoDir, ...(signal === undefined ? {} : { signal }) },
  );
  if (out === '') return undefined;
  const separator = out.indexOf('\0');
  const value = lastTrailerValue(out.slice(separator + 1), token);
  return value === undefined ? undefined : { markerCommit: out.slice(0, separator), value };
}

/** `HEAD` of `dir`, and the commit `name` (a trailer value) resolves to there, in one process. */
async function resolveHeadAnd(
  git: GitRunner,
  dir: string,
  name: string | undefined,
  signal: AbortSignal | undefined,
): Promise<[string | undefined, string | undefined]> {
  const named = name !== undefined && HEX.test(name) ? [`${name}^{commit}`] : [];
  const [head, resolved] = await resolveObjects(git, dir, ['HEAD^{commit}', ...named], signal);
  return [head, resolved];
}

/** The marker with the commit it names, or `SYNC_MARKER_INVALID` when that commit does not exist. */
function referenced(
  marker: SyncMarker | undefined,
  resolved: string | undefined,
  where: {
    readonly token: string;
    readonly repoDir: string;
    readonly otherDir: string;
    readonly otherName: string;
  },
): { readonly markerCommit: string; readonly referencedCommit: string } | undefined {
  if (marker === undefined) return undefined;
  if (resolved === undefined) {
    throw new ConverterError(
      'SYNC_MARKER_INVALID',
      `Commit '${marker.value}' referenced in ${where.token} git trailer does not exist in ${where.otherName}: commit ${marker.markerCommit} of ${where.repoDir} names it, but ${where.otherDir} has no such commit. Fetch the missing history into ${where.otherDir}, or fix the trailer.`,
      { data: { markerCommit: marker.markerCommit, value: marker.value, repository: where.otherDir } },
    );
  }
  return { markerCommit: marker.markerCommit, referencedCommit: resolved };
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
