/**
 * A `Note Hook` payload shaped as GitLab sends it for a comment on a merge request, built in the
 * test (no recorded file): every project field names the same project.
 */

/** The project fields of a hook payload for project `id` at `path`. */
export function hookProject(id: number, path: string, host = 'gitlab.com'): Record<string, unknown> {
  return {
    id,
    name: path.slice(path.lastIndexOf('/') + 1),
    path_with_namespace: path,
    web_url: `https://${host}/${path}`,
    homepage: `https://${host}/${path}`,
    url: `git@${host}:${path}.git`,
    git_http_url: `https://${host}/${path}.git`,
    git_ssh_url: `git@${host}:${path}.git`,
    http_url: `https://${host}/${path}.git`,
    ssh_url: `git@${host}:${path}.git`,
  };
}

/** Options of {@link noteHookPayload}. */
export interface NoteHookOptions {
  /** The project commented in (the merge request's target). Default `packit-service/src/bash`, id 7. */
  readonly project?: { id: number; path: string };
  readonly noteId?: number;
  readonly note?: string;
  readonly iid?: number;
}

/** A comment `note` on merge request `iid` of `project`, from a contributor's fork. */
export function noteHookPayload(options: NoteHookOptions = {}): Record<string, unknown> {
  const { id, path } = options.project ?? { id: 7, path: 'packit-service/src/bash' };
  const iid = options.iid ?? 3;
  const noteId = options.noteId ?? 1001;
  const mrUrl = `https://gitlab.com/${path}/-/merge_requests/${iid}`;
  return {
    object_kind: 'note',
    event_type: 'note',
    user: { id: 42, name: 'Alice', username: 'alice', email: '[REDACTED]' },
    project_id: id,
    project: hookProject(id, path),
    repository: { name: 'bash', url: `git@gitlab.com:${path}.git`, homepage: `https://gitlab.com/${path}` },
    object_attributes: {
      id: noteId,
      note: options.note ?? '/packit retest',
      noteable_type: 'MergeRequest',
      project_id: id,
      system: false,
      action: 'create',
      updated_at: '2024-05-01 12:00:00 UTC',
      url: `${mrUrl}#note_${noteId}`,
    },
    merge_request: {
      id: 5000 + iid,
      iid,
      url: mrUrl,
      title: 'Fix the build',
      description: '',
      state: 'opened',
      source_branch: 'fix',
      source_project_id: 99,
      target_branch: 'c10s',
      target_project_id: id,
      source: hookProject(99, 'alice/bash'),
      target: hookProject(id, path),
      last_commit: { id: 'a'.repeat(40) },
    },
  };
}
