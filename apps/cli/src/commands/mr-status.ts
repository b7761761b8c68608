/**
 * @module
 * `srcgit mr status <source-git MR URL> [--json]`: the pairing, whether dist-git carries the MR
 * head, and the last dist-git pipeline result.
 */
import { readMergeRequestStatus } from '@srcgit/core';
import type { MergeRequestStatus } from '@srcgit/core';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from '../create-program';
import { writeJson } from '../json-output';
import { createTerminalProgress, withActivity } from '../terminal-progress';
import { withMergeRequestSession, type MergeRequestSessionFlags } from './merge-request-session';

interface MrStatusFlags extends MergeRequestSessionFlags {
  readonly json?: boolean;
}

/** The status for a terminal: one line per aspect. */
export function formatMergeRequestStatus(status: MergeRequestStatus): string {
  const short = (sha: string | null) => (sha === null ? 'unknown' : sha.slice(0, 12));
  const { sourceGitMr, distGitMr, sync, pipeline, reported } = status;
  const lines = [`source-git MR: ${sourceGitMr.webUrl} (${sourceGitMr.state}), head ${sourceGitMr.headSha}`];
  if (status.notHandled !== null) lines.push(`not handled:   ${status.notHandled.detail}`);
  lines.push(
    distGitMr === null
      ? 'dist-git MR:   none'
      : `dist-git MR:   ${distGitMr.webUrl} (${distGitMr.state}), from ${distGitMr.sourceBranch}, found by ${distGitMr.foundBy}`,
  );
  const syncText = {
    'in-sync': 'in sync: the dist-git MR carries the head',
    behind: `behind: the dist-git MR carries ${short(sync.syncedSourceGitSha)}, not the head`,
    unknown: 'unknown: the dist-git commit names no source-git commit',
    'no-dist-git-mr': 'no dist-git MR',
  }[sync.state];
  lines.push(`sync:          ${syncText}`);
  if (pipeline === null) {
    lines.push(`pipeline:      ${distGitMr === null ? '—' : 'none yet'}`);
  } else {
    const tested =
      pipeline.testedSourceGitSha === null
        ? 'tested commit unknown'
        : pipeline.testedSourceGitSha === sourceGitMr.headSha
          ? 'tested the head'
          : `tested ${short(pipeline.testedSourceGitSha)}`;
    lines.push(`pipeline:      #${pipeline.id} ${pipeline.status} (${tested}) ${pipeline.webUrl}`);
  }
  lines.push(
    `reported:      ${
      reported === null
        ? 'nothing on the head yet'
        : reported.kind === 'commit-status'
          ? `commit status ${reported.state}`
          : `note ${reported.state} (pipeline #${reported.pipelineId})`
    }`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `srcgit mr status <url> [--json]`: reads (never writes) where a source-git MR stands, as the bot
 * sees it. Token and mapping options as for `srcgit mr sync`.
 */
export function registerMrStatusCommand(program: Command, io: CliIo): void {
  const mr = program.commands.find((command) => command.name() === 'mr') ?? program.command('mr');
  mr.command('status')
    .description(
      "Show a source-git MR's dist-git MR, whether it is in sync, and its last dist-git CI result.",
    )
    .argument(
      '<url>',
      'the source-git merge request, e.g. https://gitlab.com/group/src/pkg/-/merge_requests/5',
    )
    .option('--token-file <path>', 'read the GitLab token from this file (default: $GITLAB_TOKEN)')
    .addOption(new Option('--token <token>').env('GITLAB_TOKEN').hideHelp())
    .option('--config <path>', 'the service configuration YAML (mappings, fork branch template, check name)')
    .option('--dist-git-namespace <namespace>', 'where the dist-git projects live (default: src → rpms)')
    .option('--json', 'print the status as JSON')
    .action(async (url: string, flags: MrStatusFlags) => {
      const status = await withActivity(createTerminalProgress(io, 'mr status'), 'reading GitLab', () =>
        withMergeRequestSession(url, flags, ({ mergeRequest, sourceProjectId, deps }) =>
          readMergeRequestStatus(mergeRequest, sourceProjectId, deps),
        ),
      );
      if (flags.json === true) writeJson(io, status);
      else io.stdout.write(formatMergeRequestStatus(status));
    });
}
