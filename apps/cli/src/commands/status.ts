import { formatSyncStatus, syncStatus } from '@srcgit/dist-git-converter';
import type { Command } from 'commander';
import type { CliIo, CommandOutcome } from '../create-program';
import { STATUS_EXIT_CODES } from '../exit-codes';
import { writeJson } from '../json-output';
import { createTerminalProgress, withActivity } from '../terminal-progress';
import { checkRepositoryArgument } from './check-repository-argument';
import { addLimitOptions, limitsFromFlags, type LimitFlags } from './limit-options';

interface StatusFlags extends LimitFlags {
  readonly json?: boolean;
  readonly confirm: boolean;
  readonly exitCode?: boolean;
}

/**
 * `srcgit status [--json] [--no-confirm] [--exit-code] SOURCE_GIT DIST_GIT`: whether the two
 * repositories are in sync, which one is ahead and by how many commits, and what to run next.
 * Exits 0 in every state, unless `--exit-code`: then 0 in sync, 10 source-git ahead, 11 dist-git
 * ahead, 12 diverged (`STATUS_EXIT_CODES`).
 */
export function registerStatusCommand(program: Command, io: CliIo, outcome: CommandOutcome): void {
  const command = program
    .command('status')
    .description(
      'Tell whether source-git and dist-git are in sync: from the sync trailers, confirmed by converting source-git.',
    )
    .argument('<source-git>', 'the source-git repository')
    .argument('<dist-git>', 'the dist-git repository')
    .option('--json', 'print the status as JSON (state, counts, first commits to sync)')
    .option('--no-confirm', 'trust the trailers: skip the conversion that confirms "in sync"')
    .option(
      '--exit-code',
      `exit ${STATUS_EXIT_CODES['source-git-ahead']} when source-git is ahead, ${STATUS_EXIT_CODES['dist-git-ahead']} when dist-git is ahead, ${STATUS_EXIT_CODES.diverged} when diverged (0 in sync)`,
    );
  addLimitOptions(command).action(async (sourceGit: string, distGit: string, flags: StatusFlags) => {
    await checkRepositoryArgument('source-git', sourceGit);
    await checkRepositoryArgument('dist-git', distGit);
    const report = await withActivity(createTerminalProgress(io, 'status'), 'reading history', () =>
      syncStatus({
        sourceGitDir: sourceGit,
        distGitDir: distGit,
        confirm: flags.confirm,
        limits: limitsFromFlags(flags),
      }),
    );
    if (flags.json === true) writeJson(io, report);
    else
      io.stdout.write(`${formatSyncStatus(report, { sourceGitLabel: sourceGit, distGitLabel: distGit })}\n`);
    if (flags.exitCode === true) outcome.exitCode = STATUS_EXIT_CODES[report.state];
  });
}
