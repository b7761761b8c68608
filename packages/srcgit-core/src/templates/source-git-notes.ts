/**
 * @module
 * Bodies of the notes the bot writes on source-git and dist-git MRs.
 */
import type { UpdateDistGitPlan } from '@srcgit/dist-git-converter';
import { stripSrcgitMarkers } from './markers';

/** Input of {@link renderDistGitMrNote}. */
export interface DistGitMrNoteInput {
  readonly distGitMr: { readonly iid: number; readonly webUrl: string; readonly state: string };
  /** The source-git head the dist-git MR was synced from. */
  readonly sourceGitHead: string;
  /** The conversion plan of that sync. */
  readonly plan: UpdateDistGitPlan;
}

const COMMIT_STATUS_TEXT: Record<UpdateDistGitPlan['commits'][number]['status'], string> = {
  new: 'new',
  changed: 'changed',
  unchanged: 'unchanged',
  squashed: 'squashed into the previous patch',
  ignored: 'ignored',
};

const IGNORE_REASON_TEXT: Record<NonNullable<UpdateDistGitPlan['commits'][number]['reason']>, string> = {
  'ignore-patch': 'marked `Ignore-patch`',
  'only-ignored-paths': 'changes only ignored paths',
  empty: 'empty',
  merge: 'merge commit',
  reverted: 'cancelled out by an exact revert',
};

/** Escapes text for a Markdown table cell (a contributor's srcgit marker removed). */
function cell(text: string): string {
  return stripSrcgitMarkers(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/**
 * The sticky note on a source-git MR: first line `[Dist-git MR #N](url)` (other tools key on it),
 * what the dist-git MR is for, and the conversion plan — each downstream commit with its patch
 * file, spec tag and whether the patch is new, changed, unchanged, squashed or ignored — and the
 * plan's warnings (e.g. a patch the spec's `%prep` does not apply).
 */
export function renderDistGitMrNote(input: DistGitMrNoteInput): string {
  const { distGitMr, plan } = input;
  const lines = [
    `[Dist-git MR #${distGitMr.iid}](${distGitMr.webUrl})`,
    '',
    'This dist-git merge request was opened to run the downstream checks of this contribution. ' +
      'Dist-git stays the authoritative source for the distribution, and the checks run only ' +
      'there, so they need not be duplicated in source-git.',
  ];
  if (distGitMr.state !== 'opened') {
    lines.push('', `The dist-git MR is currently **${distGitMr.state}**.`);
  }
  lines.push('', `Synced from source-git commit ${input.sourceGitHead}.`);
  if (plan.commits.length === 0) {
    lines.push('', 'There are no downstream commits, so there are no patch files.');
  } else {
    lines.push('', '| commit | patch file | spec tag | patch |', '| --- | --- | --- | --- |');
    for (const commit of plan.commits) {
      const status =
        commit.status === 'ignored' && commit.reason !== null
          ? `ignored (${IGNORE_REASON_TEXT[commit.reason]})`
          : COMMIT_STATUS_TEXT[commit.status];
      lines.push(
        `| ${commit.sha.slice(0, 12)} ${cell(commit.subject)} | ${commit.patchFile === null ? '—' : `\`${cell(commit.patchFile)}\``} | ${commit.tag ?? '—'} | ${status} |`,
      );
    }
  }
  const otherFiles = plan.files.filter((file) => file.origin !== 'patch');
  if (otherFiles.length > 0) {
    lines.push(
      '',
      `Other dist-git files: ${otherFiles.map((file) => `\`${file.path}\` (${file.change})`).join(', ')}.`,
    );
  }
  if (plan.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...plan.warnings.map((warning) => `- ${cell(warning)}`));
  }
  return lines.join('\n');
}

/** The note on a source-git MR whose head lacks a valid source-git configuration. */
export function renderConfigProblemNote(input: {
  readonly configPath: string;
  readonly headSha: string;
  readonly problem: 'missing' | 'invalid';
  readonly detail: string;
}): string {
  const lead =
    input.problem === 'missing'
      ? `No dist-git merge request was created: the source-git configuration \`${input.configPath}\` does not exist in commit ${input.headSha}, the head of this merge request.`
      : `No dist-git merge request was created: the source-git configuration \`${input.configPath}\` in commit ${input.headSha}, the head of this merge request, is not valid.`;
  return [
    lead,
    '',
    '```',
    stripSrcgitMarkers(input.detail),
    '```',
    '',
    'Fix the configuration and push again; the bot retries on the next push.',
  ].join('\n');
}

/** The note on a source-git MR whose dist-git branch does not exist. */
export function renderMissingBranchNote(input: {
  readonly distGitBranch: string;
  readonly distGitProject: string;
  readonly distGitProjectUrl: string | null;
}): string {
  const repo =
    input.distGitProjectUrl === null
      ? `\`${input.distGitProject}\``
      : `[\`${input.distGitProject}\`](${input.distGitProjectUrl})`;
  return `Can't create a dist-git MR for this contribution: branch \`${input.distGitBranch}\` does not exist in dist-git repo ${repo}.`;
}

/** The note on a source-git MR whose conversion failed for a reason the contributor can fix. */
export function renderSyncFailedNote(input: {
  readonly headSha: string;
  readonly code: string;
  readonly message: string;
}): string {
  return [
    `The dist-git merge request could not be updated from commit ${input.headSha} (\`${input.code}\`):`,
    '',
    '```',
    stripSrcgitMarkers(input.message),
    '```',
    '',
    'Fix the problem and push again; the bot retries on the next push.',
  ].join('\n');
}

/**
 * The note on a source-git MR whose sync the worker gave up after its last attempt (a push
 * rejected every time, GitLab unreachable, …): what failed, and the command that retries. Posted
 * once per head commit (`problemNoteMarker('sync-gave-up', headSha)`).
 *
 * @example
 * renderSyncGaveUpNote({ headSha: 'abc', attempts: 3, message: 'push rejected', retryCommand: '/srcgit update-dist-git' })
 */
export function renderSyncGaveUpNote(input: {
  readonly headSha: string;
  readonly attempts: number;
  readonly message: string;
  readonly retryCommand: string;
}): string {
  const tries = input.attempts === 1 ? '1 attempt' : `${input.attempts} attempts`;
  return [
    `The dist-git merge request could not be updated from commit ${input.headSha}: the bot gave up after ${tries}.`,
    '',
    '```',
    stripSrcgitMarkers(input.message),
    '```',
    '',
    `This looks like a problem on the bot's side (GitLab or git unreachable, a push refused), not in this merge request. Once it is solved, comment \`${input.retryCommand}\` to retry; the next push retries too.`,
  ].join('\n');
}

/** The note on a dist-git MR about its source-git MR: `[Source-git MR](url) has been <event>.` */
export function renderLifecycleNote(input: {
  readonly sourceGitMrUrl: string;
  readonly event: 'closed' | 'reopened' | 'merged';
}): string {
  const line = `[Source-git MR](${input.sourceGitMrUrl}) has been ${input.event}.`;
  if (input.event !== 'merged') return line;
  return `${line}\n\nDist-git stays authoritative: this merge request is left for the package maintainers to merge or close.`;
}
