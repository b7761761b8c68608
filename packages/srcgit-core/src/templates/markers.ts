/**
 * @module
 * The hidden markers (HTML comments) by which the bot recognises its own merge requests and notes
 * on GitLab — the record of pairings (architecture.md decision 1).
 */

/** The source-git MR a dist-git MR mirrors; stable across renames (numeric project id). */
export function sourceGitMrMarker(sourceGitProjectId: number, iid: number): string {
  return `<!-- srcgit: source-git-mr ${sourceGitProjectId}!${iid} -->`;
}

/** The sticky note on a source-git MR that links its dist-git MR and shows the conversion plan. */
export const DIST_GIT_MR_NOTE_MARKER = '<!-- srcgit: dist-git-mr -->';

/** A problem note on a source-git MR, once per `topic` (e.g. a head sha or a branch). */
export function problemNoteMarker(kind: string, topic: string): string {
  return `<!-- srcgit: problem ${kind} ${topic} -->`;
}

/** A note on a dist-git MR about a lifecycle event of its source-git MR (closed, reopened, merged). */
export function lifecycleNoteMarker(event: 'closed' | 'reopened' | 'merged'): string {
  return `<!-- srcgit: source-git-mr-${event} -->`;
}

/** Reads the source-git MR a dist-git MR description names, from its marker. */
export function parseSourceGitMrMarker(description: string): { projectId: number; iid: number } | null {
  const match = /<!-- srcgit: source-git-mr (\d+)!(\d+) -->/.exec(description);
  if (match === null) return null;
  return { projectId: Number(match[1]), iid: Number(match[2]) };
}

/**
 * `body` ending with `marker` (after a blank line) unless it already carries it — the form the
 * forge's `ensureMergeRequest` and `ensureStickyNote` store, so texts compare equal.
 */
export function appendMarker(body: string, marker: string): string {
  return body.includes(marker) ? body : `${body.replace(/\s+$/, '')}\n\n${marker}`;
}
