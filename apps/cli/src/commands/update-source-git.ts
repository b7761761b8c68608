import { createGitRunner, updateSourceGit } from '@srcgit/dist-git-converter';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';
import { writeJson } from '../json-output';
import { createTerminalProgress, withActivity } from '../terminal-progress';
import { checkRepositoryArgument } from './check-repository-argument';

interface UpdateSourceGitFlags {
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/**
 * `srcgit update-source-git [-f] [--dry-run] [--json] DIST_GIT SOURCE_GIT [RANGE]` (packit's
 * argument order): every dist-git commit after the last sync becomes source-git commits.
 */
export function registerUpdateSourceGitCommand(program: Command, io: CliIo): void {
  program
    .command('update-source-git')
    .description(
      'Bring dist-git commits into source-git: .distro/ changes, and patch changes as code commits (added, updated, reverted).',
    )
    .argument('<dist-git>', 'the dist-git repository')
    .argument('<source-git>', 'the source-git repository')
    .argument(
      '[range]',
      'dist-git commits to bring over (git rev-list syntax, e.g. abc123~..); default: all after the last sync',
    )
    .option('-f, --force', 'skip the sync-status check (then RANGE is required)')
    .option('--dry-run', 'build the commits but leave the source-git branch where it is')
    .option('--json', 'print the result as JSON')
    .action(
      async (distGit: string, sourceGit: string, range: string | undefined, flags: UpdateSourceGitFlags) => {
        if (flags.force === true && range === undefined) {
          throw new CliError('argument [range] is required with -f/--force', {
            details: { argument: 'range' },
          });
        }
        const git = createGitRunner({ userEnvironment: true });
        await checkRepositoryArgument('dist-git', distGit, git);
        await checkRepositoryArgument('source-git', sourceGit, git);
        const result = await withActivity(
          createTerminalProgress(io, 'update-source-git'),
          'converting dist-git commits',
          () =>
            updateSourceGit({
              git,
              distGitDir: distGit,
              sourceGitDir: sourceGit,
              ...(range === undefined ? {} : { range }),
              force: flags.force === true,
              dryRun: flags.dryRun === true,
            }),
        );
        if (flags.json === true) {
          writeJson(io, result);
          return;
        }
        const lines = [result.message];
        for (const commit of result.commits) {
          const made = commit.sourceGitCommits;
          lines.push(
            made.length === 0
              ? `${commit.distGitCommit.slice(0, 8)} ${commit.subject}: skipped (${commit.skipped ?? 'no changes'})`
              : `${commit.distGitCommit.slice(0, 8)} ${commit.subject}:`,
            ...made.map((entry) => `  ${entry.sha.slice(0, 8)} ${entry.subject} [${entry.kind}]`),
          );
        }
        io.stdout.write(`${lines.join('\n')}\n`);
      },
    );
}
