import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { ConverterError } from './converter-error';
import { applyTreeChanges } from './dist-git/apply-tree-changes';
import { commitDistGit } from './dist-git/commit-dist-git';
import { writeConversionRecord } from './dist-git/conversion-record';
import type { ConverterFs } from './dist-git/converter-fs';
import type { DistGitUpdate } from './dist-git/dist-git-update';
import type { UpdateDistGitPlanFile } from './dist-git/update-dist-git-plan';
import { writeCommitMessageFile } from './dist-git/write-commit-message-file';
import { createGitRunner, type GitRunner } from './git/git-runner';
import type { UpdateDistGitProgress, UpdateDistGitResult } from './update-dist-git-options';

export interface ApplyDistGitUpdateOptions {
  /** The git CLI (the commit). Default {@link createGitRunner}(). */
  readonly git?: GitRunner;
  /** File system for the dist-git working tree's writes. Default `node:fs`. */
  readonly fs?: ConverterFs;
  readonly onProgress?: (progress: UpdateDistGitProgress) => void;
}

/**
 * Applies a planned dist-git update ({@link planDistGitUpdate}): writes the changed files into the
 * dist-git working tree all-or-nothing and, when the plan was made with a message, commits them
 * with the `From-source-git-commit` trailer (else prepares `.git/SRCGIT_COMMIT_MSG`). A dry-run
 * plan is not applied (outcome `planned`). Once dist-git `HEAD` is known to be the conversion
 * (committed, or nothing to do), the conversion is recorded in source-git's git directory so the
 * next conversion can be incremental.
 *
 * Any failure leaves the dist-git working tree, index and branch exactly as they were.
 *
 * @throws ConverterError `NOTHING_TO_COMMIT` (a message, and nothing changed),
 *   `DIST_GIT_WRITE_FAILED`, `GIT_FAILED`.
 */
export async function applyDistGitUpdate(
  update: DistGitUpdate,
  options: ApplyDistGitUpdateOptions = {},
): Promise<UpdateDistGitResult> {
  const { plan, distGitDir, sourceGitDir, conversion } = update;
  const progress = options.onProgress ?? (() => undefined);
  if (update.status === 'up-to-date') {
    return {
      outcome: 'up-to-date',
      plan,
      commitSha: undefined,
      summary: update.upToDateMessage ?? '',
      conversion,
    };
  }
  const sourceHead = plan.sourceGit.head ?? '';
  // Whatever happens next, dist-git HEAD's leading patches are known to be the conversion's.
  if (update.headRecord !== undefined && update.distGitHead !== undefined) {
    await writeConversionRecord(sourceGitDir, update.headRecord, update.distGitHead);
  }
  if (update.status === 'nothing-to-do') {
    if (plan.commitMessage !== null) {
      throw new ConverterError(
        'NOTHING_TO_COMMIT',
        `no changes are present in the dist-git repository ${distGitDir}: nothing to commit`,
        { data: { distGitDir, sourceGitHead: sourceHead } },
      );
    }
    if (update.record !== undefined && update.distGitHead !== undefined) {
      await writeConversionRecord(sourceGitDir, update.record, update.distGitHead);
    }
    return {
      outcome: 'nothing-to-do',
      plan,
      commitSha: undefined,
      summary: `${distGitDir} already matches ${sourceGitDir} (${sourceHead.slice(0, 12)}): nothing to do`,
      conversion,
    };
  }
  const counts = summarizeFiles(plan.files);
  const write = update.write;
  if (write.kind === 'none') {
    return {
      outcome: 'planned',
      plan,
      commitSha: undefined,
      summary: `would change ${counts} in ${distGitDir}`,
      conversion,
    };
  }

  // Touch the working tree (and the index and branch), all-or-nothing.
  const fs = options.fs ?? { promises: nodeFs.promises };
  const gitDir = join(distGitDir, '.git');
  progress({ phase: 'write' });
  const applied = await applyTreeChanges({ fs, dir: distGitDir, gitDir, changes: update.changes });
  if (write.kind === 'files') {
    let commitMessageFile: string | undefined;
    try {
      if (write.handCommitMessage !== undefined) {
        commitMessageFile = await writeCommitMessageFile({ fs, gitDir, message: write.handCommitMessage });
      }
    } catch (error) {
      await applied.rollback();
      throw error;
    }
    await applied.commit();
    return {
      outcome: 'written',
      plan,
      commitSha: undefined,
      ...(commitMessageFile === undefined ? {} : { commitMessageFile }),
      summary: `changed ${counts} in ${distGitDir} (not committed)`,
      conversion,
    };
  }
  progress({ phase: 'commit' });
  let commitSha: string;
  try {
    commitSha = await commitDistGit({
      git: options.git ?? createGitRunner(),
      dir: distGitDir,
      parent: update.distGitHead,
      changes: update.changes,
      message: write.message,
      author: write.author,
      committer: write.committer,
    });
  } catch (error) {
    await applied.rollback();
    throw error;
  }
  await applied.commit();
  if (update.record !== undefined) await writeConversionRecord(sourceGitDir, update.record, commitSha);
  return {
    outcome: 'committed',
    plan,
    commitSha,
    summary: `committed ${commitSha.slice(0, 12)} to ${distGitDir}: ${counts}`,
    conversion,
  };
}

function summarizeFiles(files: readonly UpdateDistGitPlanFile[]): string {
  const count = (change: UpdateDistGitPlanFile['change']) =>
    files.filter((file) => file.change === change).length;
  const parts = [`${count('added')} added`, `${count('changed')} changed`, `${count('deleted')} deleted`];
  return `${files.length} file${files.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}
