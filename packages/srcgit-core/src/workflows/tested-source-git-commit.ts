/**
 * @module
 * Which source-git commit a dist-git pipeline tested (docs/bot-behaviour.md §1.D step 2).
 */
import { FROM_SOURCE_GIT_COMMIT, parseTrailers } from '@srcgit/dist-git-converter';
import type { Forge } from '../forge/forge';
import { isForgeError } from '../forge/forge-error';
import type { ForgeCommit } from '../forge/forge-types';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The `From-source-git-commit` trailer of a dist-git commit message (the last one), or `null`. */
export function sourceGitCommitOf(message: string): string | null {
  const values = parseTrailers(message)
    .filter((trailer) => trailer.token.toLowerCase() === FROM_SOURCE_GIT_COMMIT.toLowerCase())
    .map((trailer) => trailer.unfoldedValue);
  const value = values.at(-1);
  return value !== undefined && SHA.test(value) ? value : null;
}

/** Reads commits once per project and sha. */
export class CommitReader {
  readonly #forge: Forge;
  readonly #cache = new Map<string, Promise<ForgeCommit | null>>();

  constructor(forge: Forge) {
    this.#forge = forge;
  }

  /** The commit, or `null` when `project` does not have it. */
  read(project: number, sha: string): Promise<ForgeCommit | null> {
    const key = `${project}:${sha}`;
    let found = this.#cache.get(key);
    if (found === undefined) {
      found = this.#forge.getCommit(project, sha).catch((error: unknown) => {
        if (isForgeError(error, 'not-found')) return null;
        throw error;
      });
      this.#cache.set(key, found);
    }
    return found;
  }
}

/**
 * The source-git commit that a pipeline on dist-git commit `sha` (in `projects[0]`, also looked
 * up in the others) tested: the `From-source-git-commit` trailer of that commit — or, for a
 * merged-results pipeline (a merge commit without the trailer), of its merged-in parent — or
 * `null` when there is none.
 */
export async function testedSourceGitCommit(
  reader: CommitReader,
  projects: readonly number[],
  sha: string,
  knownMessage?: string,
): Promise<string | null> {
  if (knownMessage !== undefined) {
    const fromMessage = sourceGitCommitOf(knownMessage);
    if (fromMessage !== null) return fromMessage;
  }
  const commit = await readAnywhere(reader, projects, sha);
  if (commit === null) return null;
  const own = sourceGitCommitOf(commit.message);
  if (own !== null) return own;
  for (const parent of commit.parentShas.slice(1)) {
    const merged = await readAnywhere(reader, projects, parent);
    const fromParent = merged === null ? null : sourceGitCommitOf(merged.message);
    if (fromParent !== null) return fromParent;
  }
  return null;
}

async function readAnywhere(
  reader: CommitReader,
  projects: readonly number[],
  sha: string,
): Promise<ForgeCommit | null> {
  for (const project of projects) {
    const commit = await reader.read(project, sha);
    if (commit !== null) return commit;
  }
  return null;
}
