/**
 * @module
 * `srcgit mr status <source-git MR URL> [--json]`: the pairing, whether dist-git carries the MR
 * head, and the last dist-git pipeline result.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreError,
  createConverter,
  createGitWorkspace,
  isForgeError,
  parseServiceConfig,
  readMergeRequestStatus,
} from '@srcgit/core';
import type { CoreLogger, MergeRequestSnapshot, MergeRequestStatus } from '@srcgit/core';
import { createGitLabForge } from '@srcgit/gitlab-adapter';
import { Option } from 'commander';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';
import { defaultDistGitNamespace, parseMergeRequestUrl, readToken } from './mr-sync';

interface MrStatusFlags {
  readonly tokenFile?: string;
  readonly token?: string;
  readonly config?: string;
  readonly distGitNamespace?: string;
  readonly json?: boolean;
}

const silentLogger: CoreLogger = { debug() {}, info() {}, warn() {}, error() {} };

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
      const target = parseMergeRequestUrl(url);
      const token = await readToken(flags);
      const forge = createGitLabForge({ url: target.instance, token });
      const work = await mkdtemp(join(tmpdir(), 'srcgit-mr-status-'));
      try {
        const user = await forge.getCurrentUser();
        const sourceGitNamespace = target.projectPath.slice(0, target.projectPath.lastIndexOf('/'));
        const yamlText = flags.config === undefined ? undefined : await readFile(flags.config, 'utf8');
        const config = parseServiceConfig(
          {
            GITLAB_URL: target.instance,
            GITLAB_TOKEN: token,
            SRCGIT_VALIDATE_WEBHOOKS: 'false',
            SRCGIT_WORK_DIR: work,
            SRCGIT_GIT_AUTHOR_EMAIL: `${user.username}@users.noreply.${new URL(target.instance).hostname}`,
            ...(yamlText === undefined || flags.distGitNamespace !== undefined
              ? {
                  SRCGIT_SOURCE_GIT_NAMESPACE: sourceGitNamespace,
                  SRCGIT_DIST_GIT_NAMESPACE:
                    flags.distGitNamespace ?? defaultDistGitNamespace(sourceGitNamespace),
                }
              : {}),
          },
          yamlText,
          flags.config === undefined ? {} : { yamlPath: flags.config },
        );
        const current = await forge.getMergeRequest(target.projectPath, target.iid);
        if (current.headSha === null) throw new CliError(`${url} has no head commit yet`);
        const [project, sourceProject] = await Promise.all([
          forge.getProject(current.projectId),
          forge.getProject(current.sourceProjectId),
        ]);
        const snapshot: MergeRequestSnapshot = {
          id: current.id,
          iid: current.iid,
          url: current.webUrl,
          title: current.title,
          description: current.description,
          state: current.state,
          draft: current.draft,
          project: { id: project.id, path: project.path, webUrl: project.webUrl },
          sourceProject: { id: sourceProject.id, path: sourceProject.path, webUrl: sourceProject.webUrl },
          sourceBranch: current.sourceBranch,
          targetBranch: current.targetBranch,
          headSha: current.headSha,
        };
        const status = await readMergeRequestStatus(snapshot, current.sourceProjectId, {
          forge,
          workspace: createGitWorkspace({ workDir: work }),
          converter: createConverter(),
          config,
          clock: () => new Date(),
          logger: silentLogger,
        });
        io.stdout.write(
          flags.json === true ? `${JSON.stringify(status, null, 2)}\n` : formatMergeRequestStatus(status),
        );
      } catch (error) {
        if (error instanceof CliError) throw error;
        if (isForgeError(error)) throw new CliError(`GitLab: ${error.message}`, 3);
        if (error instanceof CoreError) throw new CliError(error.message);
        throw error;
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
}
