/**
 * @module
 * The dist-git MR description and the dist-git commit message (docs/bot-behaviour.md §1.A templates).
 */
import { stripSrcgitMarkers } from './markers';
import { rewriteBugzillaRefs } from './rewrite-bugzilla-refs';

/** What the dist-git texts are made of. */
export interface DistGitTextInput {
  /** The source-git MR's title. */
  readonly title: string;
  /** The source-git MR's description (Bugzilla lines are rewritten). */
  readonly description: string;
  /** The source-git MR's web URL. */
  readonly sourceGitMrUrl: string;
  /** Ask the maintainer to start the dist-git CI (CentOS Stream). */
  readonly addRunPipelineHint: boolean;
}

/** The "Info for package maintainer" block that ends both texts. */
function maintainerInfo(input: DistGitTextInput): string {
  const lines = [
    '---',
    '###### Info for package maintainer',
    'This MR was opened automatically from',
    `[this source-git MR](${input.sourceGitMrUrl}).`,
  ];
  if (input.addRunPipelineHint) {
    lines.push(
      'Please review the contribution and, once you are happy with it, start the CI pipeline',
      'yourself with `Pipelines → Run pipeline`.',
    );
  }
  return lines.join('\n');
}

/**
 * The dist-git MR description: the source-git MR description (Bugzilla lines rewritten), a blank
 * line and the maintainer info block, without any srcgit marker (a contributor's copy of one
 * never reaches dist-git). The pairing marker is appended by the forge, after all of it, as the
 * last line: the one place a pairing is read from (`parseSourceGitMrMarker`).
 */
export function renderDistGitMrDescription(input: DistGitTextInput): string {
  const description = rewriteBugzillaRefs(input.description.replace(/\r\n/g, '\n')).trim();
  const text = description === '' ? maintainerInfo(input) : `${description}\n\n${maintainerInfo(input)}`;
  return stripSrcgitMarkers(text).trim();
}

/** The dist-git MR title: the source-git MR title on one line, without any srcgit marker. */
export function renderDistGitMrTitle(input: Pick<DistGitTextInput, 'title'>): string {
  return stripSrcgitMarkers(input.title)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/**
 * The dist-git commit message given to the converter: title, blank line, then the description
 * body. The converter adds the `From-source-git-commit` trailer (before the `---` line, as git's
 * trailer rules put it).
 */
export function renderDistGitCommitMessage(input: DistGitTextInput): string {
  return `${renderDistGitMrTitle(input)}\n\n${renderDistGitMrDescription(input)}\n`;
}
