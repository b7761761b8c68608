/**
 * @module
 * `srcgit mr sync <source-git MR URL> [--dry-run]`: the bot's main job from a terminal.
 */
import { syncSourceGitMergeRequest } from '@srcgit/core';
import type { WorkflowOutcome } from '@srcgit/core';
import { Option } from 'commander';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';
import { writeJson } from '../json-output';
import { createTerminalProgress, withActivity } from '../terminal-progress';
import { withMergeRequestSession, type MergeRequestSessionFlags } from './merge-request-session';

interface MrSyncFlags extends MergeRequestSessionFlags {
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** One line per write, then the conversion plan. */
export function formatOutcome(outcome: WorkflowOutcome): string {
  const lines = [outcome.summary];
  if (outcome.distGitMr !== null) {
    lines.push(`dist-git MR: ${outcome.distGitMr.webUrl} (${outcome.distGitMr.state})`);
  }
  if (outcome.actions.length > 0) {
    lines.push(outcome.dryRun ? 'would write:' : 'wrote:');
    for (const action of outcome.actions) {
      const detail = action.detail === null ? '' : ` — ${action.detail}`;
      lines.push(`  ${action.outcome.padEnd(9)} ${action.kind} ${action.target}${detail}`);
    }
  }
  const plan = outcome.plan;
  if (plan !== null) {
    lines.push(`conversion plan (${plan.status}):`);
    for (const commit of plan.commits) {
      const into = commit.patchFile === null ? `(${commit.reason ?? 'no patch'})` : commit.patchFile;
      const tag = commit.tag === null ? '' : ` [${commit.tag}]`;
      lines.push(`  ${commit.sha.slice(0, 12)} ${commit.status.padEnd(9)} ${into}${tag}  ${commit.subject}`);
    }
    for (const file of plan.files) lines.push(`  ${file.change.padEnd(9)} ${file.path}`);
  }
  if (outcome.error !== null) lines.push(`error ${outcome.error.code}: ${outcome.error.message}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `srcgit mr sync <url> [--dry-run]`: converts the source-git MR's head and creates or updates its
 * dist-git MR exactly as the bot does (same workflow); `--dry-run` prints the conversion plan and
 * what would be written, and writes nothing to GitLab. The token comes from `GITLAB_TOKEN` or
 * `--token-file`; the source-git → dist-git mapping from `--config` (the service YAML) or
 * `--dist-git-namespace` (default: the source-git namespace with its last `src` segment replaced
 * by `rpms`).
 */
export function registerMrSyncCommand(program: Command, io: CliIo): void {
  const mr = program.commands.find((command) => command.name() === 'mr') ?? program.command('mr');
  mr.description('Work with source-git merge requests on GitLab, as the bot does.');
  mr.command('sync')
    .description("Create or update the dist-git MR of a source-git MR (the bot's workflow, from a terminal).")
    .argument(
      '<url>',
      'the source-git merge request, e.g. https://gitlab.com/group/src/pkg/-/merge_requests/5',
    )
    .option('--dry-run', 'show the conversion plan and what would be created; write nothing to GitLab')
    .option('--token-file <path>', 'read the GitLab token from this file (default: $GITLAB_TOKEN)')
    .addOption(new Option('--token <token>').env('GITLAB_TOKEN').hideHelp())
    .option(
      '--config <path>',
      'the service configuration YAML (mappings, git identity, fork branch template)',
    )
    .option('--dist-git-namespace <namespace>', 'where the dist-git projects live (default: src → rpms)')
    .option('--author-name <name>', 'name of the dist-git commit author', 'srcgit')
    .option('--author-email <email>', 'e-mail of the dist-git commit author (default: the token user)')
    .option('--json', 'print the outcome as JSON')
    .action(async (url: string, flags: MrSyncFlags) => {
      const outcome = await withActivity(createTerminalProgress(io, 'mr sync'), 'working on GitLab', () =>
        withMergeRequestSession(url, flags, ({ mergeRequest, deps }) =>
          syncSourceGitMergeRequest({ mergeRequest }, deps, { dryRun: flags.dryRun === true }),
        ),
      );
      if (outcome.result === 'user-error') {
        // With --json the error document (carrying the outcome) is the one output.
        if (flags.json !== true) io.stdout.write(formatOutcome(outcome));
        throw new CliError(outcome.error?.message ?? outcome.summary, {
          code: outcome.error?.code ?? 'USER_ERROR',
          details: { outcome },
        });
      }
      if (flags.json === true) writeJson(io, outcome);
      else io.stdout.write(formatOutcome(outcome));
    });
}
