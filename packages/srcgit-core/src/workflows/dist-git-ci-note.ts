/**
 * @module
 * The one sticky note on a source-git MR that shows its dist-git MR's CI result when the bot may
 * not set commit statuses (docs/bot-behaviour.md §1.D fallback, docs/architecture.md decision 6).
 */

/** The note's topic marker (how the bot finds its one CI note on an MR). */
export const DIST_GIT_CI_NOTE_MARKER = '<!-- srcgit: dist-git-ci -->';

/** What the note reports; also recorded, hidden, in the note so that later events can compare. */
export interface DistGitCiNoteState {
  readonly pipelineId: number;
  /** The commit-status state (`pending`, `running`, `success`, `failed`). */
  readonly state: string;
  /** The source-git commit the pipeline tested. */
  readonly sourceGitSha: string;
}

/** Input of {@link renderDistGitCiNote}. */
export interface DistGitCiNoteInput extends DistGitCiNoteState {
  readonly checkName: string;
  readonly pipelineUrl: string;
  readonly distGitMr: { readonly iid: number; readonly webUrl: string };
  readonly description: string;
  readonly updatedAt: Date;
}

const STATE_PATTERN = /<!-- srcgit: dist-git-ci-state (\d+) (\S+) ([0-9a-f]{40,64}) -->/;

/**
 * The note body: a one-row table (check, state, pipeline, dist-git MR, source-git commit,
 * updated) and the hidden state line.
 */
export function renderDistGitCiNote(input: DistGitCiNoteInput): string {
  return [
    `**${input.checkName}**: ${input.state} — ${input.description}`,
    '',
    '| check | state | pipeline | dist-git MR | source-git commit | updated |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${input.checkName} | ${input.state} | [#${input.pipelineId}](${input.pipelineUrl}) | [!${input.distGitMr.iid}](${input.distGitMr.webUrl}) | ${input.sourceGitSha.slice(0, 12)} | ${input.updatedAt.toISOString()} |`,
    '',
    'The bot may not set commit statuses on this merge request’s source project, so the dist-git CI result is shown here and this note is edited in place.',
    '',
    `<!-- srcgit: dist-git-ci-state ${input.pipelineId} ${input.state} ${input.sourceGitSha} -->`,
  ].join('\n');
}

/** The state recorded in a CI note body, or `null` when it has none. */
export function parseDistGitCiNoteState(body: string): DistGitCiNoteState | null {
  const match = STATE_PATTERN.exec(body);
  if (match === null) return null;
  return { pipelineId: Number(match[1]), state: match[2] ?? '', sourceGitSha: match[3] ?? '' };
}
