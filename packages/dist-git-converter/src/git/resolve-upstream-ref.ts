import { ConverterError } from '../converter-error';
import type { GitRunner } from './git-runner';
import { resolveObjects } from './resolve-objects';

export interface ResolveUpstreamRefOptions {
  readonly repoDir: string;
  /** `upstream_ref`: a tag, branch or commit sha; or a glob (`*`, `?`, `[`) matched against tags. */
  readonly upstreamRef: string;
  readonly git: GitRunner;
  readonly signal?: AbortSignal;
}

export interface ResolvedUpstreamRef {
  /** The ref that was used: the configured value, or the tag a glob expanded to. */
  readonly ref: string;
  /** The commit it points to. */
  readonly sha: string;
  /** Its tree. */
  readonly treeSha: string;
  /** The commit `HEAD` points to. */
  readonly headSha: string;
}

const GLOB = /[*?[]/;

/**
 * Resolves `upstream_ref` and `HEAD` of a source-git repository to commits (docs/converter-behaviour.md §2.3,
 * fixed Q2): a glob is expanded like `git describe --abbrev=0 --tags --match <glob>` (or `--all`
 * for a value starting with `branches/`, which is stripped); a name is looked up as given, then as
 * `origin/<name>`.
 *
 * @throws ConverterError `UPSTREAM_REF_UNKNOWN` naming the ref and the repository.
 */
export async function resolveUpstreamRef(options: ResolveUpstreamRefOptions): Promise<ResolvedUpstreamRef> {
  const { repoDir, git, signal } = options;
  const signalOption = signal === undefined ? {} : { signal };
  let ref = options.upstreamRef.trim();
  if (ref === '') {
    throw new ConverterError('UPSTREAM_REF_UNKNOWN', `upstream_ref is empty in ${repoDir}`, {
      data: { upstreamRef: options.upstreamRef, repoDir },
    });
  }
  if (GLOB.test(ref)) {
    const branches = ref.startsWith('branches/');
    const pattern = branches ? ref.slice('branches/'.length) : ref;
    const described = await git.run(
      ['describe', '--abbrev=0', branches ? '--all' : '--tags', '--match', pattern, 'HEAD'],
      { cwd: repoDir, okExitCodes: [0, 128], ...signalOption },
    );
    const expanded = described.stdout.toString('utf8').trim();
    if (described.exitCode !== 0 || expanded === '') {
      throw new ConverterError(
        'UPSTREAM_REF_UNKNOWN',
        `upstream_ref "${options.upstreamRef}" matches no ${branches ? 'ref' : 'tag'} reachable from HEAD in ${repoDir}`,
        { data: { upstreamRef: options.upstreamRef, repoDir, stderr: described.stderr } },
      );
    }
    ref = expanded;
  }
  if (ref.startsWith('-') || /[\n\0]/.test(ref)) {
    throw new ConverterError(
      'UPSTREAM_REF_UNKNOWN',
      `upstream_ref "${ref}" is not a valid git ref (in ${repoDir})`,
      {
        data: { upstreamRef: options.upstreamRef, repoDir },
      },
    );
  }
  const queries = [
    `${ref}^{commit}`,
    `refs/remotes/origin/${ref}^{commit}`,
    'HEAD^{commit}',
    `${ref}^{tree}`,
    `refs/remotes/origin/${ref}^{tree}`,
  ];
  const answers = await resolveObjects(git, repoDir, queries, signal);
  const [direct, remote, head, directTree, remoteTree] = answers;
  if (head === undefined) {
    throw new ConverterError(
      'GIT_FAILED',
      `HEAD of ${repoDir} does not point to a commit (an empty repository?)`,
      {
        data: { repoDir },
      },
    );
  }
  const sha = direct ?? remote;
  const treeSha = direct === undefined ? remoteTree : directTree;
  if (sha === undefined || treeSha === undefined) {
    throw new ConverterError(
      'UPSTREAM_REF_UNKNOWN',
      `upstream_ref "${ref}" is not a tag, branch or commit of ${repoDir} (nor is origin/${ref}); fetch the upstream tags or fix upstream_ref`,
      { data: { upstreamRef: options.upstreamRef, ref, repoDir } },
    );
  }
  return { ref, sha, treeSha, headSha: head };
}
