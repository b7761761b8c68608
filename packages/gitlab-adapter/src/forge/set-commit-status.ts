/**
 * @module
 * `Forge.setCommitStatus` on GitLab.
 */
import type { SetCommitStatusInput, SetCommitStatusResult } from '@srcgit/core';
import { GitLabError } from '../gitlab-error';
import type { ForgeContext } from './forge-context';

/** GitLab's limit on a status description, applied by packit too. */
export const STATUS_DESCRIPTION_LIMIT = 140;
/** GitLab's limit on a status name. */
export const STATUS_NAME_LIMIT = 255;

/** `text` cut to `limit` characters, ending with an ellipsis when cut. */
export function truncate(text: string, limit: number): string {
  const characters = Array.from(text);
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join('')}…`;
}

/**
 * See `Forge.setCommitStatus`. GitLab answers 400 "Cannot transition status via :run from
 * :running" when a pending/running status is posted again with the same state; that refusal is
 * its only signal, so it is recognised by status and that phrase, and reported as `unchanged`.
 */
export async function setCommitStatus(
  context: ForgeContext,
  input: SetCommitStatusInput,
): Promise<SetCommitStatusResult> {
  try {
    await context.api.commits.editStatus(input.project, input.sha, input.state, {
      name: truncate(input.name, STATUS_NAME_LIMIT),
      ...(input.ref === undefined ? {} : { ref: input.ref }),
      ...(input.targetUrl === undefined ? {} : { targetUrl: input.targetUrl }),
      ...(input.description === undefined
        ? {}
        : { description: truncate(input.description, STATUS_DESCRIPTION_LIMIT) }),
    });
    return { outcome: 'set' };
  } catch (error) {
    if (
      error instanceof GitLabError &&
      error.status === 400 &&
      error.message.includes('Cannot transition status')
    ) {
      return { outcome: 'unchanged' };
    }
    throw error;
  }
}
