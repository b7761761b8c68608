import { describe, expect, it } from 'vitest';
import { parseGitLabWebhook } from './parse-gitlab-webhook';
import { webhookProjectDisagreement } from './webhook-project-disagreement';

const SHA = 'a'.repeat(40);

interface Block {
  [key: string]: unknown;
  id: number;
  path_with_namespace: string;
  web_url: string;
  git_ssh_url: string;
  homepage: unknown;
}
interface EmbeddedMr {
  [key: string]: unknown;
  iid: number;
  url: string;
  target_project_id: number;
  source: Block;
  target: Block;
}
interface TestNoteHook {
  [key: string]: unknown;
  project_id: number;
  project: Block;
  repository: { homepage: string; url: string };
  object_attributes: { [key: string]: unknown; project_id: number; noteable_type: string };
  merge_request: EmbeddedMr;
}
interface TestMergeRequestHook {
  [key: string]: unknown;
  object_attributes: EmbeddedMr;
}

function projectBlock(id: number, path: string): Block {
  return {
    id,
    path_with_namespace: path,
    web_url: `https://gitlab.example.org/${path}`,
    homepage: `https://gitlab.example.org/${path}`,
    url: `git@gitlab.example.org:${path}.git`,
    git_http_url: `https://gitlab.example.org/${path}.git`,
    git_ssh_url: `git@gitlab.example.org:${path}.git`,
    http_url: `https://gitlab.example.org/${path}.git`,
    ssh_url: `git@gitlab.example.org:${path}.git`,
  };
}

/** A comment on merge request !3 of `src/bash` (id 7) from a fork `alice/bash` (id 9), as GitLab sends it. */
function noteHook(): TestNoteHook {
  return {
    object_kind: 'note',
    project_id: 7,
    user: { id: 1, username: 'alice' },
    project: projectBlock(7, 'src/bash'),
    repository: {
      homepage: 'https://gitlab.example.org/src/bash',
      url: 'git@gitlab.example.org:src/bash.git',
    },
    object_attributes: {
      id: 100,
      note: '/srcgit retest',
      noteable_type: 'MergeRequest',
      project_id: 7,
      action: 'create',
      url: 'https://gitlab.example.org/src/bash/-/merge_requests/3#note_100',
    },
    merge_request: {
      id: 50,
      iid: 3,
      url: 'https://gitlab.example.org/src/bash/-/merge_requests/3',
      title: 'Fix',
      state: 'opened',
      source_branch: 'fix',
      source_project_id: 9,
      target_branch: 'c10s',
      target_project_id: 7,
      source: projectBlock(9, 'alice/bash'),
      target: projectBlock(7, 'src/bash'),
      last_commit: { id: SHA },
    },
  };
}

function mergeRequestHook(): TestMergeRequestHook {
  const note = noteHook();
  return {
    object_kind: 'merge_request',
    user: note.user,
    project: note.project,
    repository: note.repository,
    object_attributes: { ...note.merge_request, action: 'open' },
  };
}

describe('webhookProjectDisagreement', () => {
  it('finds nothing in a genuine payload, also under a relative URL root or with an old MR URL', () => {
    expect(webhookProjectDisagreement('Note Hook', noteHook())).toBeNull();
    expect(webhookProjectDisagreement('Merge Request Hook', mergeRequestHook())).toBeNull();
    const relative = noteHook();
    relative.project = { ...projectBlock(7, 'src/bash'), web_url: 'https://example.org/gitlab/src/bash' };
    relative.merge_request.url = 'https://example.org/gitlab/src/bash/merge_requests/3';
    expect(webhookProjectDisagreement('Note Hook', relative)).toBeNull();
  });

  it.each([
    [
      'project.web_url',
      (b: TestNoteHook) => (b.project.web_url = 'https://gitlab.example.org/attacker/bash'),
    ],
    [
      'project.git_ssh_url',
      (b: TestNoteHook) => (b.project.git_ssh_url = 'git@gitlab.example.org:attacker/bash.git'),
    ],
    ['project.homepage', (b: TestNoteHook) => (b.project.homepage = 42)],
    ['repository.url', (b: TestNoteHook) => (b.repository.url = 'git@gitlab.example.org:attacker/bash.git')],
    ['project_id', (b: TestNoteHook) => (b.project_id = 8)],
    ['object_attributes.project_id', (b: TestNoteHook) => (b.object_attributes.project_id = 8)],
    ['merge_request.target_project_id', (b: TestNoteHook) => (b.merge_request.target_project_id = 8)],
    ['merge_request.target.id', (b: TestNoteHook) => (b.merge_request.target.id = 8)],
    [
      'merge_request.target.path_with_namespace',
      (b: TestNoteHook) => (b.merge_request.target = projectBlock(7, 'rpms/bash')),
    ],
    [
      'merge_request.target.web_url',
      (b: TestNoteHook) => (b.merge_request.target.web_url = 'https://x/rpms/bash'),
    ],
    ['merge_request.source.id', (b: TestNoteHook) => (b.merge_request.source.id = 7)],
    [
      'merge_request.source.web_url',
      (b: TestNoteHook) => (b.merge_request.source.web_url = 'https://x/bob/bash'),
    ],
    [
      'merge_request.url',
      (b: TestNoteHook) => (b.merge_request.url = 'https://gitlab.example.org/rpms/bash/-/merge_requests/3'),
    ],
    [
      'merge_request.url',
      (b: TestNoteHook) => (b.merge_request.url = 'https://gitlab.example.org/src/bash/-/merge_requests/4'),
    ],
  ])('names %s when it contradicts the project of a note', (field, change) => {
    const body = noteHook();
    change(body);
    expect(webhookProjectDisagreement('Note Hook', body)).toMatchObject({ path: field });
  });

  it("checks a merge request hook's object_attributes against the project", () => {
    const body = mergeRequestHook();
    body.object_attributes.target_project_id = 8;
    expect(webhookProjectDisagreement('Merge Request Hook', body)).toEqual({
      path: 'object_attributes.target_project_id',
      message: 'is 8, but project.id is 7',
    });
  });
});

describe('parseGitLabWebhook on a payload whose project fields disagree', () => {
  it('answers invalid, naming the field, instead of an event', () => {
    const body = noteHook();
    body.merge_request.target_project_id = 8;
    const result = parseGitLabWebhook({ eventName: 'Note Hook', body, commandPrefix: '/srcgit' });
    expect(result).toMatchObject({
      kind: 'invalid',
      message:
        'Note Hook payload: merge_request.target_project_id: is 8, but project.id is 7 (the project fields must agree)',
    });
    expect(parseGitLabWebhook({ eventName: 'Note Hook', body: noteHook() })).toMatchObject({ kind: 'event' });
  });

  it('leaves an ignored delivery ignored whatever its fields say', () => {
    const body = noteHook();
    body.object_attributes.noteable_type = 'Issue';
    body.project_id = 8;
    expect(parseGitLabWebhook({ eventName: 'Note Hook', body })).toMatchObject({ kind: 'not-interested' });
  });
});
