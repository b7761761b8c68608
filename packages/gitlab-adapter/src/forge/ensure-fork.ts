/**
 * @module
 * `Forge.ensureFork` on GitLab.
 */
import type { EnsureForkOptions, ForgeProject, ProjectKey } from '@srcgit/core';
import { z } from 'zod';
import { GitLabError } from '../gitlab-error';
import { restProjectSchema } from '../schemas/rest-project';
import type { RestProject } from '../schemas/rest-project';
import type { ForgeContext } from './forge-context';
import { decode, orNull } from './forge-context';
import { toForgeProject } from './to-forge-records';

const DEFAULT_TIMEOUT_MS = 60_000;

/** The bot's fork of `upstream` in `namespace`, if it exists (by path, then among the forks). */
async function findFork(
  context: ForgeContext,
  upstream: RestProject,
  namespace: string,
  path: string | undefined,
): Promise<RestProject | null> {
  const name = path ?? upstream.path_with_namespace.slice(upstream.path_with_namespace.lastIndexOf('/') + 1);
  const byPath = await orNull(context.project(`${namespace}/${name}`));
  if (byPath !== null) {
    if (byPath.forked_from_project?.id === upstream.id) return byPath;
    throw new GitLabError(
      'conflict',
      `Cannot fork ${upstream.path_with_namespace} into ${namespace}: ${byPath.path_with_namespace} exists and is not its fork.`,
    );
  }
  const forks = decode(
    z.array(restProjectSchema),
    await context.api.projects.allForks(upstream.id),
    `GET /projects/${upstream.id}/forks`,
  );
  return (
    forks.find(
      (fork) =>
        fork.namespace.full_path === namespace &&
        (path === undefined || fork.path_with_namespace === `${namespace}/${path}`),
    ) ?? null
  );
}

/** Polls the fork until its repository import is finished. */
async function waitUntilReady(
  context: ForgeContext,
  fork: RestProject,
  timeoutMs: number,
): Promise<RestProject> {
  const polls = Math.max(1, Math.ceil(timeoutMs / context.forkPollIntervalMs));
  let current = fork;
  for (let poll = 0; ; poll += 1) {
    const status = current.import_status ?? 'none';
    if (status === 'finished' || status === 'none') return current;
    if (status === 'failed') {
      throw new GitLabError('permanent', `GitLab failed to import the fork ${current.path_with_namespace}.`);
    }
    if (poll >= polls) {
      throw new GitLabError(
        'transient',
        `The fork ${current.path_with_namespace} was not ready within ${timeoutMs} ms (import status "${status}").`,
      );
    }
    await context.sleep(context.forkPollIntervalMs);
    current = await context.project(current.id);
  }
}

/** See `Forge.ensureFork`. */
export async function ensureFork(
  context: ForgeContext,
  project: ProjectKey,
  options: EnsureForkOptions = {},
): Promise<ForgeProject> {
  const upstream = await context.project(project);
  const namespace = options.namespace ?? (await context.currentUser()).username;
  let fork = await findFork(context, upstream, namespace, options.path);
  if (fork === null) {
    try {
      const created = await context.api.projects.fork(upstream.id, {
        namespacePath: namespace,
        ...(options.path === undefined ? {} : { path: options.path, name: options.path }),
      });
      fork = decode(restProjectSchema, created, `POST /projects/${upstream.id}/fork`);
    } catch (error) {
      // Forked concurrently by another job: adopt that fork.
      if (!(error instanceof GitLabError && error.kind === 'conflict')) throw error;
      fork = await findFork(context, upstream, namespace, options.path);
      if (fork === null) throw error;
    }
  }
  return toForgeProject(await waitUntilReady(context, fork, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
}
