import { formatSyncStatus, isConverterError, syncStatus } from '@srcgit/dist-git-converter';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';
import { addLimitOptions, limitsFromFlags, type LimitFlags } from './limit-options';

interface StatusFlags extends LimitFlags {
  readonly json?: boolean;
  readonly confirm: boolean;
}

/**
 * `srcgit status [--json] [--no-confirm] SOURCE_GIT DIST_GIT`: whether the two repositories are in
 * sync, which one is ahead and by how many commits, and what to run next. Exit 0 in every state.
 */
export function registerStatusCommand(program: Command, io: CliIo): void {
  const command = program
    .command('status')
    .description(
      'Tell whether source-git and dist-git are in sync: from the sync trailers, confirmed by converting source-git.',
    )
    .argument('<source-git>', 'the source-git repository')
    .argument('<dist-git>', 'the dist-git repository')
    .option('--json', 'print the status as JSON (state, counts, first commits to sync)')
    .option('--no-confirm', 'trust the trailers: skip the conversion that confirms "in sync"');
  addLimitOptions(command).action(async (sourceGit: string, distGit: string, flags: StatusFlags) => {
    try {
      const report = await syncStatus({
        sourceGitDir: sourceGit,
        distGitDir: distGit,
        confirm: flags.confirm,
        limits: limitsFromFlags(flags),
      });
      io.stdout.write(
        flags.json === true
          ? `${JSON.stringify(report, null, 2)}\n`
          : `${formatSyncStatus(report, { sourceGitLabel: sourceGit, distGitLabel: distGit })}\n`,
      );
    } catch (error) {
      if (isConverterError(error)) throw new CliError(error.message);
      throw error;
    }
  });
}
