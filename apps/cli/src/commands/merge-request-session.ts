/**
 * @module
 * What `srcgit mr sync` and `srcgit mr status` share: from a source-git MR URL and the token and
 * mapping flags to the bot's workflow dependencies and the MR as it is now on GitLab, in a
 * temporary work directory that is removed afterwards. GitLab and configuration failures reach the
 * CLI's error boundary as they are (exit 3 and 2).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createConverter,
  createGitWorkspace,
  parseServiceConfig,
  toMergeRequestSnapshot,
} from '@srcgit/core';
import type { CoreLogger, EventWorkflowDeps, MergeRequestSnapshot } from '@srcgit/core';
import { createGitLabForge } from '@srcgit/gitlab-adapter';
import { CliError } from '../cli-error';

/** The flags every `srcgit mr …` command takes. */
export interface MergeRequestSessionFlags {
  readonly tokenFile?: string;
  readonly token?: string;
  readonly config?: string;
  readonly distGitNamespace?: string;
  readonly authorName?: string;
  readonly authorEmail?: string;
}

/** A source-git MR URL split into its instance, project path and iid. */
export interface MergeRequestUrl {
  readonly instance: string;
  readonly projectPath: string;
  readonly iid: number;
}

export interface MergeRequestSession {
  /** The MR as it is now on GitLab. */
  readonly mergeRequest: MergeRequestSnapshot;
  readonly sourceProjectId: number;
  readonly deps: EventWorkflowDeps;
}

const silentLogger: CoreLogger = { debug() {}, info() {}, warn() {}, error() {} };

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
export async function readToken(
  flags: Pick<MergeRequestSessionFlags, 'tokenFile' | 'token'>,
): Promise<string> {
  if (flags.tokenFile !== undefined) {
    const text = (await readOptionFile('--token-file', flags.tokenFile)).trim();
    if (text === '') {
      throw new CliError(`--token-file ${flags.tokenFile} is empty`, { details: { option: '--token-file' } });
    }
    return text;
  }
  if (flags.token !== undefined && flags.token !== '') return flags.token;
  throw new CliError('a GitLab token is needed: set GITLAB_TOKEN or pass --token-file <path>');
}

/** The file an option names, or an error naming the option when it cannot be read. */
async function readOptionFile(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${option} ${path}: ${(error as Error).message}`, {
      code: 'PATH_NOT_FOUND',
      details: { option, path },
    });
  }
}

/**
 * Opens a session for the MR at `url`, runs `run` with it, and cleans up. The configuration is
 * the service YAML of `--config`, else (or with `--dist-git-namespace`) one mapping from the
 * MR's namespace to the dist-git namespace; commits are authored by `--author-*`, else `srcgit`
 * with the token user's no-reply address.
 */
export async function withMergeRequestSession<T>(
  url: string,
  flags: MergeRequestSessionFlags,
  run: (session: MergeRequestSession) => Promise<T>,
): Promise<T> {
  const target = parseMergeRequestUrl(url);
  const token = await readToken(flags);
  const forge = createGitLabForge({ url: target.instance, token });
  const work = await mkdtemp(join(tmpdir(), 'srcgit-mr-'));
  try {
    const user = await forge.getCurrentUser();
    const sourceGitNamespace = target.projectPath.slice(0, target.projectPath.lastIndexOf('/'));
    const yamlText = flags.config === undefined ? undefined : await readOptionFile('--config', flags.config);
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
    if (current.headSha === null) throw new CliError(`${url} has no head commit yet`);
    const mergeRequest = await toMergeRequestSnapshot(forge, { ...current, headSha: current.headSha });
    const deps: EventWorkflowDeps = {
      forge,
      workspace: createGitWorkspace({ workDir: work }),
      converter: createConverter(),
      config,
      clock: () => new Date(),
      logger: silentLogger,
    };
    return await run({ mergeRequest, sourceProjectId: current.sourceProjectId, deps });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
