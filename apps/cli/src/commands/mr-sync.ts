/**
 * @module
 * `srcgit mr sync <source-git MR URL> [--dry-run]`: the bot's main job from a terminal.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreError,
  createConverter,
  createGitWorkspace,
  isForgeError,
  parseServiceConfig,
  syncSourceGitMergeRequest,
} from '@srcgit/core';
import type { CoreLogger, MergeRequestSnapshot, WorkflowOutcome } from '@srcgit/core';
import { createGitLabForge } from '@srcgit/gitlab-adapter';
import { Option } from 'commander';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';

interface MrSyncFlags {
  readonly dryRun?: boolean;
  readonly tokenFile?: string;
  readonly token?: string;
  readonly config?: string;
  readonly distGitNamespace?: string;
  readonly authorName?: string;
  readonly authorEmail?: string;
  readonly json?: boolean;
}

/** A source-git MR URL split into its instance, project path and iid. */
export interface MergeRequestUrl {
  readonly instance: string;
  readonly projectPath: string;
  readonly iid: number;
}

/**
 * Parses `https://gitlab.com/redhat/centos-stream/src/beer/-/merge_requests/5`.
 *
 * @throws {CliError} naming the expected form when `url` is not an MR URL.
 */
export function parseMergeRequestUrl(url: string): MergeRequestUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  const match = /^\/(.+?)\/-\/merge_requests\/(\d+)\/?$/.exec(parsed.pathname);
  if (!/^https?:$/.test(parsed.protocol) || match === null) {
    throw new CliError(
      `expected a merge request URL like https://gitlab.com/group/project/-/merge_requests/5, got "${url}"`,
    );
  }
  return { instance: parsed.origin, projectPath: decodeURIComponent(match[1] ?? ''), iid: Number(match[2]) };
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

const silentLogger: CoreLogger = { debug() {}, info() {}, warn() {}, error() {} };

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
      const target = parseMergeRequestUrl(url);
      const token = await readToken(flags);
      const forge = createGitLabForge({ url: target.instance, token });
      const work = await mkdtemp(join(tmpdir(), 'srcgit-mr-sync-'));
      try {
        const user = await forge.getCurrentUser();
        const slash = target.projectPath.lastIndexOf('/');
        const sourceGitNamespace = target.projectPath.slice(0, slash);
        const yamlText = flags.config === undefined ? undefined : await readFile(flags.config, 'utf8');
        const config = parseServiceConfig(
          {
            GITLAB_URL: target.instance,
            GITLAB_TOKEN: token,
            SRCGIT_VALIDATE_WEBHOOKS: 'false',
            SRCGIT_WORK_DIR: work,
            SRCGIT_GIT_AUTHOR_NAME: flags.authorName,
            SRCGIT_GIT_AUTHOR_EMAIL:
              flags.authorEmail ?? `${user.username}@users.noreply.${new URL(target.instance).hostname}`,
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
        const [project, sourceProject] = await Promise.all([
          forge.getProject(current.projectId),
          forge.getProject(current.sourceProjectId),
        ]);
        if (current.headSha === null) throw new CliError(`${url} has no head commit yet`);
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
        const outcome = await syncSourceGitMergeRequest(
          { mergeRequest: snapshot },
          {
            forge,
            workspace: createGitWorkspace({ workDir: work }),
            converter: createConverter(),
            config,
            clock: () => new Date(),
            logger: silentLogger,
          },
          { dryRun: flags.dryRun === true },
        );
        io.stdout.write(
          flags.json === true ? `${JSON.stringify(outcome, null, 2)}\n` : formatOutcome(outcome),
        );
        if (outcome.result === 'user-error') {
          throw new CliError(outcome.error?.message ?? outcome.summary);
        }
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

/** The dist-git namespace next to a source-git one: its last `src` segment replaced by `rpms`. */
export function defaultDistGitNamespace(sourceGitNamespace: string): string {
  const segments = sourceGitNamespace.split('/');
  const last = segments.lastIndexOf('src');
  if (last < 0) {
    throw new CliError(
      `cannot guess the dist-git namespace of "${sourceGitNamespace}": pass --dist-git-namespace or --config`,
    );
  }
  segments[last] = 'rpms';
  return segments.join('/');
}

/** The GitLab token from `--token-file`, else `--token`/`$GITLAB_TOKEN`. */
export async function readToken(flags: Pick<MrSyncFlags, 'tokenFile' | 'token'>): Promise<string> {
  if (flags.tokenFile !== undefined) {
    const text = (await readFile(flags.tokenFile, 'utf8')).trim();
    if (text === '') throw new CliError(`--token-file ${flags.tokenFile} is empty`);
    return text;
  }
  if (flags.token !== undefined && flags.token !== '') return flags.token;
  throw new CliError('a GitLab token is needed: set GITLAB_TOKEN or pass --token-file <path>');
}
