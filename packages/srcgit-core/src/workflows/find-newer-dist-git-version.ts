/**
 * @module
 * The "dist-git is newer than source-git" precondition (docs/bot-behaviour.md §1.A step 10, §6.21).
 */
import {
  DEFAULT_CONVERSION_LIMITS,
  compareRpmVersions,
  isConverterError,
  readCommitTree,
  specVersion,
} from '@srcgit/dist-git-converter';
import type { GitRunner } from '@srcgit/dist-git-converter';

/** A spec at a commit of a repository. */
export interface CommittedSpec {
  /** The repository's working directory (only its git objects are read). */
  readonly dir: string;
  /** The commit whose tree holds the spec. */
  readonly commit: string;
  /** The spec's path in that tree, e.g. `.distro/beer.spec`. */
  readonly path: string;
}

/** What {@link findNewerDistGitVersion} found. */
export type DistGitVersionCheck =
  /** Dist-git's version is newer: converting would downgrade dist-git. */
  | { readonly kind: 'newer'; readonly distGitVersion: string; readonly sourceGitVersion: string }
  /** Dist-git's version is the same or older. */
  | { readonly kind: 'not-newer' }
  /** The versions were not compared (a spec missing, refused or without a plain version); why. */
  | { readonly kind: 'unchecked'; readonly reason: string };

/** Input of {@link findNewerDistGitVersion}. */
export interface FindNewerDistGitVersionInput {
  readonly git: GitRunner;
  readonly sourceGit: CommittedSpec;
  readonly distGit: CommittedSpec;
  /** Specs larger than this are not read (the conversion's `maxSpecBytes`; default the converter's). */
  readonly maxSpecBytes?: number;
  readonly signal?: AbortSignal;
}

/**
 * Compares the `Version:` of the source-git spec with the dist-git one. Both specs are read from
 * git objects of the given commits, never from a working tree: a spec that is a symbolic link (or
 * lies under one, or in a submodule) is not followed, and one over `maxSpecBytes` is not read —
 * the check is then `unchecked` with the reason, and the conversion itself refuses the spec with
 * its error. Also `unchecked` when a spec is missing, its path is not a plain relative one (no
 * `..`, `.` or empty part, not absolute), or its version cannot be read without rpm.
 *
 * @example
 * ```ts
 * const check = await findNewerDistGitVersion({ git, sourceGit: { dir, commit: head, path: '.distro/beer.spec' }, distGit });
 * if (check.kind === 'newer') explain(check.distGitVersion, check.sourceGitVersion);
 * ```
 */
export async function findNewerDistGitVersion(
  input: FindNewerDistGitVersionInput,
): Promise<DistGitVersionCheck> {
  const maxSpecBytes = input.maxSpecBytes ?? DEFAULT_CONVERSION_LIMITS.maxSpecBytes;
  const [source, dist] = await Promise.all([
    readCommittedSpec(input, input.sourceGit, maxSpecBytes, 'source-git'),
    readCommittedSpec(input, input.distGit, maxSpecBytes, 'dist-git'),
  ]);
  if (!source.ok) return { kind: 'unchecked', reason: source.reason };
  if (!dist.ok) return { kind: 'unchecked', reason: dist.reason };
  const sourceGitVersion = specVersion(source.text);
  const distGitVersion = specVersion(dist.text);
  if (sourceGitVersion === null || distGitVersion === null) {
    const which =
      sourceGitVersion === null ? `source-git ${input.sourceGit.path}` : `dist-git ${input.distGit.path}`;
    return { kind: 'unchecked', reason: `the Version of ${which} cannot be read without rpm` };
  }
  return compareRpmVersions(distGitVersion, sourceGitVersion) > 0
    ? { kind: 'newer', distGitVersion, sourceGitVersion }
    : { kind: 'not-newer' };
}

type SpecRead =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** The spec's text from the commit's tree, or why it is not read. */
async function readCommittedSpec(
  input: FindNewerDistGitVersionInput,
  spec: CommittedSpec,
  maxSpecBytes: number,
  side: 'source-git' | 'dist-git',
): Promise<SpecRead> {
  const where = `${side} ${spec.path} at ${spec.commit.slice(0, 12)}`;
  if (spec.path.startsWith('/') || spec.path.split('/').some((part) => ['', '.', '..'].includes(part))) {
    return { ok: false, reason: `${where}: not a plain relative path inside the repository` };
  }
  const tree = await readCommitTree({
    git: input.git,
    dir: spec.dir,
    commit: spec.commit,
    paths: [spec.path],
    maxBlobBytes: maxSpecBytes,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  const obstacle = tree.obstacle(spec.path);
  if (obstacle !== undefined) {
    const what =
      obstacle.kind === 'submodule'
        ? 'the git submodule'
        : obstacle.kind === 'file' && obstacle.mode === '120000'
          ? 'the symbolic link'
          : 'the file';
    return { ok: false, reason: `${where} lies under ${what} ${obstacle.path}; links are not followed` };
  }
  const entry = tree.entry(spec.path);
  if (entry === undefined) return { ok: false, reason: `${where} does not exist` };
  if (entry.kind !== 'file') return { ok: false, reason: `${where} is a ${entry.kind}, not a file` };
  if (entry.mode === '120000')
    return { ok: false, reason: `${where} is a symbolic link; links are not followed` };
  let bytes: Buffer;
  try {
    bytes = await tree.read(entry);
  } catch (error) {
    if (!isConverterError(error) || error.code !== 'LIMIT_EXCEEDED') throw error;
    const size = typeof error.data['size'] === 'number' ? `${error.data['size']} bytes` : 'more bytes';
    return {
      ok: false,
      reason: `${where} has ${size}, over the limit limits.maxSpecBytes = ${maxSpecBytes} (bot: SRCGIT_MAX_SPEC_BYTES); not read`,
    };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: `${where} is not valid UTF-8 text` };
  }
}
