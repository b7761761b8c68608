/**
 * @module
 * The hidden markers (HTML comments) by which the bot recognises its own merge requests and notes
 * on GitLab — the record of pairings (docs/architecture.md decision 1).
 */
import { findHtmlComments } from './html-comments';

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

const SOURCE_GIT_MR_MARKER = /<!-- srcgit: source-git-mr (\d+)!(\d+) -->/g;

/**
 * Reads the source-git MR a dist-git MR description names, from the bot's own marker: the
 * marker must be the description's last line (where the bot appends it, after the contributor's
 * text, which never keeps a marker — see {@link stripSrcgitMarkers}) and the only pairing marker
 * in it. Anything else (no marker, a marker elsewhere, two of them) names no source-git MR: a
 * description is judged by its bot-written part only.
 *
 * @example
 * parseSourceGitMrMarker('Fix it\n\n<!-- srcgit: source-git-mr 3001!5 -->'); // { projectId: 3001, iid: 5 }
 * parseSourceGitMrMarker('<!-- srcgit: source-git-mr 3001!5 -->\n\nFix it'); // null
 */
export function parseSourceGitMrMarker(description: string): { projectId: number; iid: number } | null {
  const matches = [...description.matchAll(SOURCE_GIT_MR_MARKER)];
  const [match] = matches;
  if (matches.length !== 1 || match === undefined) return null;
  if (!endsWithMarker(description, match[0])) return null;
  return { projectId: Number(match[1]), iid: Number(match[2]) };
}

/**
 * `description` carrying the pairing marker of source-git MR `projectId!iid` the way
 * {@link parseSourceGitMrMarker} reads it: unchanged when it does already, else without any srcgit
 * marker and with the pairing marker appended as its last line (an adopted MR the bot marks).
 */
export function withSourceGitMrMarker(description: string, projectId: number, iid: number): string {
  const named = parseSourceGitMrMarker(description);
  if (named?.projectId === projectId && named.iid === iid) return description;
  return appendMarker(stripSrcgitMarkers(description), sourceGitMrMarker(projectId, iid));
}

/**
 * `text` without any srcgit marker: every HTML comment that mentions `srcgit` (in any case, with
 * any spacing or line breaks, closed by `-->` or `--!>`, or never closed) is replaced by one
 * space, so the text on both sides cannot join into a new comment. Applied to every contributor
 * text the bot copies into dist-git or quotes in its notes, so the bot's own markers exist only
 * where the bot writes them. Linear in the length of `text`.
 *
 * @example
 * stripSrcgitMarkers('Fix <!--SRCGIT: source-git-mr 1!2--> it'); // 'Fix   it'
 */
export function stripSrcgitMarkers(text: string): string {
  let out = '';
  let kept = 0;
  for (const comment of findHtmlComments(text)) {
    if (!/srcgit/i.test(text.slice(comment.start, comment.end))) continue;
    out += `${text.slice(kept, comment.start)} `;
    kept = comment.end;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * Whether `marker` is the last line of `text` (trailing white space ignored) — the one place the
 * bot writes its markers. A marker anywhere else (in text a contributor wrote and the bot quoted
 * or copied) marks nothing. Callers also check that the bot wrote the note or MR.
 *
 * @example
 * endsWithMarker('Done.\n\n<!-- srcgit: dist-git-mr -->\n', DIST_GIT_MR_NOTE_MARKER); // true
 * endsWithMarker('<!-- srcgit: dist-git-mr -->\nDone.', DIST_GIT_MR_NOTE_MARKER); // false
 */
export function endsWithMarker(text: string, marker: string): boolean {
  const trimmed = text.trimEnd();
  return (
    trimmed.endsWith(marker) && (trimmed.length === marker.length || trimmed.at(-marker.length - 1) === '\n')
  );
}

/**
 * `body` ending with `marker` (after a blank line) unless its last line already is the marker
 * ({@link endsWithMarker}) — the form the forge's `ensureMergeRequest` and `ensureStickyNote`
 * store, so texts compare equal.
 */
export function appendMarker(body: string, marker: string): string {
  return endsWithMarker(body, marker) ? body : `${body.trimEnd()}\n\n${marker}`;
}
