import type { GitRunner } from '../git/git-runner';
import type { ConversionLimits } from '../limits/conversion-limits';
import { updateDistGit } from '../update-dist-git';

export interface ConvertsToDistGitHeadOptions {
  readonly sourceGitDir: string;
  readonly distGitDir: string;
  /** The commits the answer is about: a `HEAD` that moved meanwhile makes it false. */
  readonly sourceGitHead: string;
  readonly distGitHead: string;
  readonly git: GitRunner;
  readonly limits?: Partial<ConversionLimits>;
  readonly signal?: AbortSignal;
}

/**
 * True when dist-git `HEAD`'s tree is exactly what converting source-git `HEAD` gives: a dry run
 * of `updateDistGit` against the committed dist-git tree (not its working tree) finds no path to
 * add, change or delete, patches compared with the same-content rule. This makes a dist-git
 * commit made by hand after `update-dist-git` without `-m` (no `From-source-git-commit`
 * trailer) a synchronisation point. Nothing is written. A conversion that fails (a bad
 * configuration, a limit) answers false: the trailers' answer stands.
 */
export async function convertsToDistGitHead(options: ConvertsToDistGitHeadOptions): Promise<boolean> {
  try {
    const { plan } = await updateDistGit({
      sourceGitDir: options.sourceGitDir,
      distGitDir: options.distGitDir,
      dryRun: true,
      checkPristine: false,
      git: options.git,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return (
      plan.status === 'nothing-to-do' &&
      plan.sourceGit.head === options.sourceGitHead &&
      plan.distGit.head === options.distGitHead
    );
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    return false;
  }
}
