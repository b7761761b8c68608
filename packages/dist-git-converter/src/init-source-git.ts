import { basename, resolve } from 'node:path';
import { assertSourceGitPristine } from './back-sync/assert-source-git-pristine';
import { moveBranch } from './back-sync/move-branch';
import { patchTrailers } from './back-sync/patch-trailers';
import { readBlobs } from './git/read-blobs';
import type { CommitAuthor } from './back-sync/scratch-index';
import { describeSpecPatches, stripPatchEntries, type SpecPatchInfo } from './back-sync/spec-patches';
import { ConverterError } from './converter-error';
import { createGitRunner, type GitRunner } from './git/git-runner';
import {
  fastImportCommits,
  rawDateToRfc2822,
  type StreamChange,
  type StreamIdent,
} from './init/fast-import-commits';
import { firstAuthors } from './init/first-authors';
import { listTree, type TreeEntry } from './git/list-tree';
import { lookasideSources } from './init/lookaside-sources';
import { preparePatchCommits } from './init/prepare-patch-commits';
import { renderSourceGitConfig } from './init/render-source-git-config';
import { findPatchEntries } from './spec/find-patch-entries';
import { parseSpec } from './spec/parse-spec';
import { readPrep } from './spec/read-prep';
import { FROM_DIST_GIT_COMMIT } from './status/sync-trailers';

export interface InitSourceGitOptions {
  /** Where upstream history ends in source-git (tag, branch or sha); written as `upstream_ref`. */
  readonly upstreamRef: string;
  /** An existing clone of upstream. */
  readonly sourceGitDir: string;
  /**
   * Create (or reset) this branch at the result and check it out, like packit's
   * `SOURCE_GIT:BRANCH`. Without it, source-git HEAD must be at {@link upstreamRef} and moves on.
   */
  readonly sourceGitBranch?: string;
  readonly distGitDir: string;
  /** Read dist-git from this branch instead of HEAD (dist-git is never checked out or changed). */
  readonly distGitBranch?: string;
  /** `upstream_project_url`; default: the URL of {@link upstreamRemote}. */
  readonly upstreamUrl?: string;
  /** The remote whose URL is the upstream URL. Default `origin`. */
  readonly upstreamRemote?: string;
  /** The package name; default: the dist-git directory's name. */
  readonly packageName?: string;
  /**
   * The lookaside cache URL (with its namespace, e.g.
   * `https://src.fedoraproject.org/repo/pkgs/rpms`). When given, `sources:` entries are written
   * for the lines of the dist-git `sources` file; without it no `sources:` key is written (srcgit
   * reads no rpkg configuration and downloads nothing).
   */
  readonly lookasideUrl?: string;
  readonly git?: GitRunner;
  /** Date of the commits init makes itself (author and committer); default: now. */
  readonly clock?: () => Date;
  readonly signal?: AbortSignal;
  /** Called after each patch commit. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

/** A dist-git patch that became source-git commits. */
export interface InitPatch {
  readonly fileName: string;
  readonly number: number;
  /** The `-p` level `%prep` applies it with. */
  readonly strip: number;
  readonly commits: readonly { readonly sha: string; readonly subject: string }[];
}

/** A dist-git patch that stays a `.distro/` file with its tag in the `.distro` spec. */
export interface KeptPatch {
  readonly fileName: string;
  readonly number: number;
  /** `conditional`: its tag or its application is inside `%if`/`%ifarch`; `not-applied`: `%prep` does not apply it. */
  readonly reason: 'conditional' | 'not-applied';
}

/** The result of {@link initSourceGit}. Versioned: fields are only ever added. */
export interface InitSourceGitResult {
  readonly schemaVersion: 1;
  /** The dist-git commit source-git was initialised from (named by every `From-dist-git-commit`). */
  readonly distGitCommit: string;
  readonly upstreamCommit: string;
  /** Source-git HEAD after init. */
  readonly head: string;
  readonly branch: string | undefined;
  /** Files written to `.distro/`, sorted. */
  readonly distroFiles: readonly string[];
  /** Patches turned into commits, in the order `%prep` applies them. */
  readonly patches: readonly InitPatch[];
  readonly keptPatches: readonly KeptPatch[];
  /** The `.distro/source-git.yaml` written. */
  readonly config: string;
  /** Things the user should know: %prep lines srcgit does not model, files left out. */
  readonly warnings: readonly string[];
}

const INIT_SUBJECT = 'Initialize as a source-git repository';
const RESET_GITIGNORE = '# Reset gitignore rules\n!*\n';

/**
 * Initialises a source-git repository from dist-git (docs/converter-behaviour.md §5, fixed profile, without
 * rpmbuild): `.distro/` gets every dist-git file except `sources`, `.git*` and the patches that
 * become commits, plus `.gitignore` and `source-git.yaml`; the spec loses those patches' tags.
 * `%prep` is read (`%autosetup -pN`, `%autopatch`, `%patchN -pM`, `%patch -P N`) and every patch
 * it applies unconditionally becomes commits on `upstreamRef`, in that order, with `Patch-name`,
 * `Patch-id`, `Patch-status` (the comment above the tag) and `From-dist-git-commit` trailers; mail
 * patches keep their author, date and message, plain diffs are authored by whoever added the file
 * to dist-git. Patches under `%if`/`%ifarch`, and patches `%prep` does not apply, stay `.distro/`
 * files with their tags, so that `update-dist-git` reproduces dist-git byte for byte.
 *
 * All-or-nothing: commits are built in a private index; source-git moves only at the end, and
 * dist-git is only read.
 *
 * @throws {ConverterError} `UPSTREAM_REF_UNKNOWN`, `ALREADY_INITIALIZED`, `SOURCE_GIT_DIRTY`,
 *   `SPEC_INVALID` (no spec in dist-git), `PATCH_APPLY_FAILED` (a patch does not apply: its name
 *   and git's reason), `GIT_FAILED`.
 * @example
 * ```ts
 * const result = await initSourceGit({ upstreamRef: '1.0.1', sourceGitDir: 'src/hello', distGitDir: 'rpms/hello' });
 * console.log(result.patches.map((patch) => patch.fileName));
 * ```
 */
export async function initSourceGit(options: InitSourceGitOptions): Promise<InitSourceGitResult> {
  const run: InitRun = {
    options,
    git: options.git ?? createGitRunner(),
    sourceGitDir: resolve(options.sourceGitDir),
    distGitDir: resolve(options.distGitDir),
    signal: options.signal,
    warnings: [],
  };
  const upstreamCommit = await checkUpstream(run);
  // The work tree check (a refresh and a status of the whole upstream tree) runs while dist-git is
  // read and the commits are written; nothing in source-git moves before it passed, and its
  // failure wins over any later one.
  const pristine = assertSourceGitPristine(run.git, run.sourceGitDir, 'initialize source-git', run.signal);
  pristine.catch(() => undefined);
  const made = await readDistGit(run)
    .then((distGit) => writeCommits(run, distGit, upstreamCommit))
    .catch(async (error: unknown) => {
      await pristine;
      throw error;
    });
  await pristine;
  if (options.sourceGitBranch === undefined) {
    await moveBranch(run.git, run.sourceGitDir, upstreamCommit, made.head, 'srcgit init', run.signal);
  } else {
    await run.git.run(['checkout', '--quiet', '-B', options.sourceGitBranch, made.head], {
      cwd: run.sourceGitDir,
      ...(run.signal === undefined ? {} : { signal: run.signal }),
    });
  }
  return {
    schemaVersion: 1,
    distGitCommit: made.distGitCommit,
    upstreamCommit,
    head: made.head,
    branch: options.sourceGitBranch,
    distroFiles: made.distroFiles,
    patches: made.patches,
    keptPatches: made.keptPatches,
    config: made.config,
    warnings: run.warnings,
  };
}

/** What every step of one {@link initSourceGit} run shares. */
interface InitRun {
  readonly options: InitSourceGitOptions;
  readonly git: GitRunner;
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  readonly signal: AbortSignal | undefined;
  /** Collected for the result. */
  readonly warnings: string[];
}

/** The upstream commit; checks that HEAD is there (without a branch to create) and that it has no `.distro`. */
async function checkUpstream(run: InitRun): Promise<string> {
  const { git, sourceGitDir, options, signal } = run;
  const upstreamCommit = await resolveCommit(git, sourceGitDir, options.upstreamRef, signal);
  if (upstreamCommit === undefined) {
    throw new ConverterError(
      'UPSTREAM_REF_UNKNOWN',
      `'${options.upstreamRef}' is not a commit, branch or tag in the source-git repository ${sourceGitDir}`,
      { data: { upstreamRef: options.upstreamRef, sourceGitDir } },
    );
  }
  const currentHead = await resolveCommit(git, sourceGitDir, 'HEAD', signal);
  if (options.sourceGitBranch === undefined && currentHead !== upstreamCommit) {
    throw new ConverterError(
      'UPSTREAM_REF_UNKNOWN',
      `'${options.upstreamRef}' is not pointing to the current HEAD in '${sourceGitDir}': check it out first, or name a branch to create (SOURCE_GIT:BRANCH)`,
      { data: { upstreamRef: options.upstreamRef, head: currentHead } },
    );
  }
  const existing = await git.text(['ls-tree', '--name-only', upstreamCommit, '--', '.distro'], {
    cwd: sourceGitDir,
    ...(signal === undefined ? {} : { signal }),
  });
  if (existing.trim() !== '') {
    throw new ConverterError(
      'ALREADY_INITIALIZED',
      `'${options.upstreamRef}' in ${sourceGitDir} already has a .distro directory: it is a source-git repository already (use "srcgit update-source-git" to bring dist-git changes in)`,
      { data: { upstreamRef: options.upstreamRef } },
    );
  }
  return upstreamCommit;
}

/** Dist-git as init reads it: its commit, tree and spec, and which patches `%prep` applies. */
interface DistGitInput {
  readonly commit: string;
  readonly packageName: string;
  readonly specName: string;
  readonly specFile: TreeEntry;
  readonly spec: string;
  readonly tree: readonly TreeEntry[];
  readonly filesByPath: ReadonlyMap<string, TreeEntry>;
  /** Patches `%prep` applies unconditionally, in that order. */
  readonly applied: readonly SpecPatchInfo[];
  readonly keptPatches: readonly KeptPatch[];
}

/** Reads dist-git's commit, tree and spec (never its work tree), and sorts its patches. */
async function readDistGit(run: InitRun): Promise<DistGitInput> {
  const { git, distGitDir, options, signal, warnings } = run;
  const distGitRef = options.distGitBranch ?? 'HEAD';
  const commit = await resolveCommit(
    git,
    distGitDir,
    options.distGitBranch === undefined ? 'HEAD' : `refs/heads/${options.distGitBranch}`,
    signal,
  );
  if (commit === undefined) {
    throw new ConverterError(
      'GIT_FAILED',
      options.distGitBranch === undefined
        ? `the dist-git repository ${distGitDir} has no commit`
        : `Cannot check out branch '${options.distGitBranch}' because it does not exist in ${distGitDir}`,
      { data: { distGitDir, branch: distGitRef } },
    );
  }
  const packageName = options.packageName ?? basename(distGitDir);
  const specName = `${packageName}.spec`;
  const tree = await listTree(git, distGitDir, commit, signal === undefined ? {} : { signal });
  const specFile = tree.find((file) => file.path === specName);
  if (specFile === undefined) {
    throw new ConverterError(
      'SPEC_INVALID',
      `dist-git ${distGitDir} has no ${specName} at ${commit.slice(0, 12)} (the package name is ${packageName}; pass the right one with --pkg-name, option packageName)`,
      { data: { distGitDir, specName } },
    );
  }
  const [specBytes] = await readBlobs(git, distGitDir, [specFile.sha], signal);
  const spec = (specBytes ?? Buffer.alloc(0)).toString('utf8');

  const described = describeSpecPatches(spec);
  const prep = readPrep(parseSpec(spec));
  for (const line of prep.unsupported) {
    warnings.push(
      `${specName}:${line.lineIndex + 1}: ${line.reason} (${line.text.trim()}); the patches it applies stay .distro files`,
    );
  }
  const filesByPath = new Map(tree.map((file) => [file.path, file]));
  const applied = described
    .filter((entry) => entry.application !== undefined && filesByPath.has(entry.fileName))
    .sort((a, b) => (a.application?.position ?? 0) - (b.application?.position ?? 0));
  const appliedNames = new Set(applied.map((entry) => entry.fileName));
  const keptPatches: KeptPatch[] = described
    .filter((entry) => !appliedNames.has(entry.fileName) && filesByPath.has(entry.fileName))
    .map((entry) => ({
      fileName: entry.fileName,
      number: entry.number,
      reason: prep.applications.some((application) => application.number === entry.number)
        ? 'conditional'
        : 'not-applied',
    }));
  for (const entry of described) {
    if (entry.application !== undefined && !filesByPath.has(entry.fileName)) {
      warnings.push(`${specName}: Patch${entry.number} names ${entry.fileName}, which is not in dist-git`);
    }
  }
  return { commit, packageName, specName, specFile, spec, tree, filesByPath, applied, keptPatches };
}

/** The commits init wrote (no ref moved yet), and what the result reports of them. */
interface WrittenCommits {
  readonly distGitCommit: string;
  readonly head: string;
  readonly distroFiles: readonly string[];
  readonly patches: readonly InitPatch[];
  readonly keptPatches: readonly KeptPatch[];
  readonly config: string;
}

/**
 * Writes the init commit (`.distro/`) and the patches' commits on top of `upstreamCommit` with
 * one `git fast-import`; the patches are applied in a private index ({@link preparePatchCommits}).
 */
async function writeCommits(
  run: InitRun,
  distGit: DistGitInput,
  upstreamCommit: string,
): Promise<WrittenCommits> {
  const { git, sourceGitDir, distGitDir, options, signal } = run;
  const clockDate = options.clock?.();
  const { applied } = distGit;
  // Independent reads, each its own git process: run together.
  const [{ config, changes: distroChanges }, committer, initAuthor, contents, authors] = await Promise.all([
    distroFiles(run, distGit),
    identity(git, sourceGitDir, 'GIT_COMMITTER_IDENT', clockDate, signal),
    identity(git, sourceGitDir, 'GIT_AUTHOR_IDENT', clockDate, signal),
    readBlobs(
      git,
      distGitDir,
      applied.map((entry) => distGit.filesByPath.get(entry.fileName)?.sha ?? ''),
      signal,
    ),
    firstAuthors(
      git,
      distGitDir,
      distGit.commit,
      applied.map((entry) => entry.fileName),
      signal,
    ),
  ]);
  const marker = { token: FROM_DIST_GIT_COMMIT, value: distGit.commit };
  const fallbackAuthor = applied.every((entry) => authors.has(entry.fileName))
    ? undefined
    : await distGitAuthor(git, distGitDir, distGit.commit, signal);
  const patchCommits = await preparePatchCommits(
    git,
    sourceGitDir,
    upstreamCommit,
    applied.map((entry, position) => {
      const strip = entry.application?.strip ?? 1;
      return {
        fileName: entry.fileName,
        content: contents[position] ?? Buffer.alloc(0),
        strip,
        trailers: [...patchTrailers(entry.fileName, entry, strip), marker],
        author: authors.get(entry.fileName) ?? (fallbackAuthor as CommitAuthor),
        failure: (reason: string) => patchFailure(entry, strip, options.upstreamRef, reason),
      };
    }),
    options.onProgress === undefined ? undefined : (done, total) => options.onProgress?.({ done, total }),
    signal,
  );
  const shas = await fastImportCommits(
    git,
    sourceGitDir,
    upstreamCommit,
    committer,
    [
      {
        author: initAuthor,
        message: `${INIT_SUBJECT}\n\n${FROM_DIST_GIT_COMMIT}: ${distGit.commit}\n`,
        changes: distroChanges,
      },
      ...patchCommits.flat(),
    ],
    signal,
  );
  let position = 1;
  const patches: InitPatch[] = applied.map((entry, index) => {
    const commits = (patchCommits[index] ?? []).map((commit) => ({
      sha: shas[position++] ?? '',
      subject: commit.message.split('\n', 1)[0] ?? '',
    }));
    return { fileName: entry.fileName, number: entry.number, strip: entry.application?.strip ?? 1, commits };
  });
  return {
    distGitCommit: distGit.commit,
    head: shas.at(-1) ?? upstreamCommit,
    distroFiles: distroChanges.map((change) => change.path).sort(),
    patches,
    keptPatches: distGit.keptPatches,
    config,
  };
}

/**
 * The init commit's `.distro/` files: every dist-git file but `sources`, `.git*`, submodules and
 * the patches that become commits; the spec without those patches' tags; `.gitignore`; and
 * `source-git.yaml` (returned as `config`).
 */
async function distroFiles(
  run: InitRun,
  distGit: DistGitInput,
): Promise<{ config: string; changes: StreamChange[] }> {
  const { git, sourceGitDir, distGitDir, options, signal, warnings } = run;
  const { packageName, specName, spec, tree } = distGit;
  const sourcesFile = tree.find((file) => file.path === 'sources');
  const [upstreamUrl, [sourcesBytes]] = await Promise.all([
    options.upstreamUrl ?? remoteUrl(git, sourceGitDir, options.upstreamRemote ?? 'origin', signal),
    sourcesFile === undefined ? [undefined] : readBlobs(git, distGitDir, [sourcesFile.sha], signal),
  ]);
  if (upstreamUrl === undefined) {
    warnings.push(
      `no upstream URL: there is no remote called '${options.upstreamRemote ?? 'origin'}' in ${sourceGitDir}; upstream_project_url is left out (pass the URL with --upstream-url, option upstreamUrl)`,
    );
  }
  const config = renderSourceGitConfig({
    upstreamProjectUrl: upstreamUrl,
    upstreamRef: options.upstreamRef,
    downstreamPackageName: packageName,
    specfilePath: `.distro/${specName}`,
    patchIdDigits: patchIdDigits(spec),
    sources:
      options.lookasideUrl === undefined || sourcesBytes === undefined
        ? []
        : lookasideSources(sourcesBytes.toString('utf8'), packageName, options.lookasideUrl),
  });

  const appliedNames = new Set(distGit.applied.map((entry) => entry.fileName));
  const distroTree = tree.filter((file) => {
    if (file.path === 'sources' || file.path.split('/').some((segment) => segment.startsWith('.git')))
      return false;
    if (appliedNames.has(file.path) || file.path === specName) return false;
    if (file.type === 'commit') {
      warnings.push(`${file.path}: a git submodule in dist-git is not copied to .distro/`);
      return false;
    }
    if (file.path === 'source-git.yaml') {
      warnings.push(
        'source-git.yaml: dist-git has a file of that name; it is not copied (it would replace the configuration)',
      );
      return false;
    }
    return true;
  });
  const copied = await readBlobs(
    git,
    distGitDir,
    distroTree.map((file) => file.sha),
    signal,
  );
  const changes: StreamChange[] = distroTree.map((file, position) => ({
    path: `.distro/${file.path}`,
    mode: file.mode,
    content: copied[position] ?? Buffer.alloc(0),
  }));
  changes.push(
    {
      path: `.distro/${specName}`,
      mode: distGit.specFile.mode,
      content: Buffer.from(stripPatchEntries(spec, appliedNames)),
    },
    { path: '.distro/.gitignore', mode: '100644', content: Buffer.from(RESET_GITIGNORE) },
    { path: '.distro/source-git.yaml', mode: '100644', content: Buffer.from(config) },
  );
  return { config, changes };
}

/** The user's identity from `git var`, dated `date` (default: git's now), for fast-import. */
async function identity(
  git: GitRunner,
  cwd: string,
  variable: 'GIT_AUTHOR_IDENT' | 'GIT_COMMITTER_IDENT',
  date: Date | undefined,
  signal: AbortSignal | undefined,
): Promise<StreamIdent> {
  const ident = (
    await git.text(['var', variable], { cwd, ...(signal === undefined ? {} : { signal }) })
  ).trim();
  const match = /^(.*) <(.*)> (\d+ [+-]\d{4})$/.exec(ident);
  const raw = date === undefined ? (match?.[3] ?? '0 +0000') : `${Math.floor(date.getTime() / 1000)} +0000`;
  return { name: match?.[1] ?? ident, email: match?.[2] ?? '', date: rawDateToRfc2822(raw) };
}

async function resolveCommit(
  git: GitRunner,
  cwd: string,
  ref: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd,
    okExitCodes: [0, 1, 128],
    ...(signal === undefined ? {} : { signal }),
  });
  return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

async function remoteUrl(
  git: GitRunner,
  cwd: string,
  remote: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const result = await git.run(['remote', 'get-url', '--', remote], {
    cwd,
    okExitCodes: [0, 1, 2, 128],
    ...(signal === undefined ? {} : { signal }),
  });
  const url = result.stdout.toString('utf8').trim();
  return result.exitCode === 0 && url !== '' ? url : undefined;
}

async function distGitAuthor(
  git: GitRunner,
  cwd: string,
  commit: string,
  signal: AbortSignal | undefined,
): Promise<CommitAuthor> {
  const out = await git.text(['log', '-1', '--date=raw', '--format=%an%x00%ae%x00%ad', commit], {
    cwd,
    ...(signal === undefined ? {} : { signal }),
  });
  const [name = '', email = '', date = ''] = out.trim().split('\0');
  return { name, email, date };
}

/** `patch_generation_patch_id_digits` from the first Patch tag: `Patch0001` → 4, `Patch1` → 1, `Patch` → 0; 1 without tags. */
function patchIdDigits(spec: string): number {
  const first = findPatchEntries(parseSpec(spec)).find((entry) => entry.kind === 'tag');
  if (first?.tag === undefined) return 1;
  if (!first.numberIsExplicit) return 0;
  return first.tag.digits.startsWith('0') ? first.tag.digits.length : 1;
}

function patchFailure(
  entry: SpecPatchInfo,
  strip: number,
  upstreamRef: string,
  reason: string,
): ConverterError {
  return new ConverterError(
    'PATCH_APPLY_FAILED',
    `${entry.fileName} (Patch${entry.number}, -p${strip}) does not apply on top of ${upstreamRef} and the patches %prep applies before it: ${reason}. Nothing was changed.`,
    { data: { patch: entry.fileName, number: entry.number, reason } },
  );
}
