import type { CommitInfo } from '../git-store';
import { restCommitTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { SimProject } from '../sim-model';
import { projectUrls } from './project-json';

/** Git trailers of a commit message (`Key: value` lines of its last paragraph). */
export function commitTrailers(message: string): Map<string, string[]> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const trailers = new Map<string, string[]>();
  if (paragraphs.length < 2) return trailers;
  const last = paragraphs[paragraphs.length - 1] ?? '';
  const lines = last.split('\n');
  if (!lines.every((line) => /^[A-Za-z0-9][A-Za-z0-9-]*:\s/.test(line) || /^\s/.test(line))) return trailers;
  for (const line of lines) {
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, key = '', value = ''] = match;
    trailers.set(key, [...(trailers.get(key) ?? []), value]);
  }
  return trailers;
}

/** A commit as `GET …/repository/commits/:sha` and lists show it. */
export function commitJson(
  ctx: SimContext,
  project: SimProject,
  commit: CommitInfo,
): Record<string, unknown> {
  const trailers = commitTrailers(commit.message);
  return {
    id: commit.id,
    short_id: commit.id.slice(0, 8),
    created_at: restCommitTime(commit.committedDate),
    parent_ids: [...commit.parentIds],
    title: commit.title,
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: restCommitTime(commit.authoredDate),
    committer_name: commit.committerName,
    committer_email: commit.committerEmail,
    committed_date: restCommitTime(commit.committedDate),
    trailers: Object.fromEntries(
      [...trailers].map(([key, values]) => [key, values[values.length - 1] ?? '']),
    ),
    extended_trailers: Object.fromEntries(trailers),
    web_url: `${projectUrls(ctx, project).webUrl}/-/commit/${commit.id}`,
  };
}
