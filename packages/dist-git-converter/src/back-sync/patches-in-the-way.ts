import type { GitRunner } from '../git/git-runner';
import { parseTrailers } from '../patches/parse-trailers';

export interface PatchesInTheWayInput {
  readonly git: GitRunner;
  readonly repoDir: string;
  /** The last commit of the edited patch. */
  readonly after: string;
  /** The end of source-git (a commit of the running back-sync, perhaps not on any branch yet). */
  readonly head: string;
  /** The files the patch's change touches. */
  readonly paths: readonly string[];
  readonly signal?: AbortSignal;
}

/** A later patch that changes a file an edited patch changes. */
export interface PatchInTheWay {
  /** Its `Patch-name`, else the commit (`<sha> ("subject")`). */
  readonly name: string;
  readonly paths: readonly string[];
}

/**
 * The patches after an edited patch that change the files its change touches, oldest first, by
 * `Patch-name` (one `git log` of `after..head` limited to those files): what an edit that cannot
 * be carried to the end of source-git conflicts with.
 */
export async function findPatchesInTheWay(input: PatchesInTheWayInput): Promise<PatchInTheWay[]> {
  if (input.paths.length === 0) return [];
  const out = await input.git.text(
    [
      'log',
      '--reverse',
      '-z',
      '--no-renames',
      '--name-only',
      '--format=%x01%H%x00%s%x00%B%x00',
      `${input.after}..${input.head}`,
      '--',
      ...input.paths.map((path) => `:(literal)${path}`),
    ],
    { cwd: input.repoDir, isolated: true, ...(input.signal === undefined ? {} : { signal: input.signal }) },
  );
  const found: { name: string; paths: string[] }[] = [];
  for (const record of out.split('\x01').slice(1)) {
    const [sha = '', subject = '', message = '', ...paths] = record.split('\0');
    const named = parseTrailers(message).findLast((trailer) => trailer.token.toLowerCase() === 'patch-name');
    const name = named?.unfoldedValue ?? `${sha.slice(0, 12)} ("${subject}")`;
    const touched = paths.map((path) => path.replace(/^\n/, '')).filter((path) => path !== '');
    const known = found.find((patch) => patch.name === name);
    if (known === undefined) found.push({ name, paths: touched });
    else known.paths.push(...touched.filter((path) => !known.paths.includes(path)));
  }
  return found;
}
