/**
 * @module
 * What the `Forge` operations share: the gitbeaker resources, the bot identity and helpers to
 * validate GitLab's answers.
 */
import type { ForgeUser, ProjectKey } from '@srcgit/core';
import type { z } from 'zod';
import type { GitLabApi } from '../client/gitlab-api';
import type { GitLabLogger } from '../client/create-request-handler';
import { GitLabError } from '../gitlab-error';
import type { RestProject } from '../schemas/rest-project';

/** Shared state and helpers of one `createGitLabForge` instance. */
export interface ForgeContext {
  api: GitLabApi;
  sleep: (ms: number) => Promise<void>;
  logger: GitLabLogger | undefined;
  /** Poll interval while waiting for a fork's import. */
  forkPollIntervalMs: number;
  currentUser(): Promise<ForgeUser>;
  project(key: ProjectKey): Promise<RestProject>;
}

/**
 * Validates a GitLab answer against `schema`.
 * @throws {GitLabError} `permanent`, naming the request and the unexpected field.
 */
export function decode<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  throw new GitLabError(
    'permanent',
    `GitLab answered ${what} with an unexpected shape: ${field}: ${issue?.message ?? 'invalid'}.`,
    { cause: parsed.error },
  );
}

/** Runs `request`; a `not-found` GitLab error becomes `null`. */
export async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof GitLabError && error.kind === 'not-found') return null;
    throw error;
  }
}
