/**
 * GitLab's documented example payloads (test-fixtures/recorded/gitlab-docs): every hook the bot
 * may be sent parses to the event a workflow needs or to "not interested", never "unusable" or
 * "invalid" — and the fields GitLab leaves out (a comment's merge request has no `url`) are
 * derived, while an absent field is never taken for a disagreement.
 */
import { readFileSync } from 'node:fs';
import { parseDomainEvent } from '@srcgit/core';
import { describe, expect, it } from 'vitest';
import { parseGitLabWebhook, webhookProjectDisagreement } from '../src/index';

const documented = new URL('../../../test-fixtures/recorded/gitlab-docs/', import.meta.url);
const read = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, documented), 'utf8')) as Record<string, unknown>;
const eventNames = read('events.json') as Record<string, string>;

/** What each documented payload becomes (the comment on the MR: with and without a command prefix). */
const expected: Record<string, string> = {
  'merge-request.json': 'source-git-mr-opened',
  'note-merge-request.json': 'comment-command-issued',
  'note-commit.json': 'not-interested',
  'note-issue.json': 'not-interested',
  'note-snippet.json': 'not-interested',
  'issue.json': 'not-interested',
  'push.json': 'dist-git-pushed',
  'tag-push.json': 'not-interested',
  'pipeline.json': 'dist-git-mr-pipeline-changed',
  'job.json': 'not-interested',
};

describe("GitLab's documented webhook payloads", () => {
  it('cover every hook the bot may be sent', () => {
    expect(Object.keys(eventNames).sort()).toEqual(Object.keys(expected).sort());
    expect(new Set(Object.values(eventNames))).toEqual(
      new Set([
        'Merge Request Hook',
        'Note Hook',
        'Issue Hook',
        'Push Hook',
        'Tag Push Hook',
        'Pipeline Hook',
        'Job Hook',
      ]),
    );
  });

  it.each(Object.entries(expected))('%s becomes %s', (name, outcome) => {
    const eventName = eventNames[name];
    const body = read(name);
    const result = parseGitLabWebhook({ eventName, body });
    if (outcome === 'not-interested') {
      expect(result.kind).toBe('not-interested');
    } else {
      expect(result.kind === 'event' ? result.event.kind : result).toBe(outcome);
      // The event is one core accepts as a job payload.
      if (result.kind === 'event') expect(parseDomainEvent(result.event)).toEqual(result.event);
    }
    expect(webhookProjectDisagreement(eventName ?? '', body)).toBeNull();
  });

  it("derives the URL of a comment's merge request from the project's web_url and the iid", () => {
    const body = read('note-merge-request.json');
    expect((body['merge_request'] as Record<string, unknown>)['url']).toBeUndefined();
    const result = parseGitLabWebhook({ eventName: 'Note Hook', body });
    expect(result).toMatchObject({
      kind: 'event',
      event: {
        kind: 'comment-command-issued',
        note: { id: 1244, body: 'This MR needs work.' },
        mergeRequest: {
          iid: 1,
          url: 'https://gitlab.example.com/gitlab-org/gitlab-test/-/merge_requests/1',
          headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        },
      },
    });
    // With a command prefix, a comment without a command is ignored; one with a command is an event.
    expect(parseGitLabWebhook({ eventName: 'Note Hook', body, commandPrefix: '/srcgit' }).kind).toBe(
      'not-interested',
    );
    (body['object_attributes'] as Record<string, unknown>)['note'] = '/srcgit update-dist-git';
    expect(parseGitLabWebhook({ eventName: 'Note Hook', body, commandPrefix: '/srcgit' }).kind).toBe('event');
  });

  it("derives a pipeline's merge request URL when it targets the hook's project, and says which field is missing otherwise", () => {
    const body = read('pipeline.json');
    const mr = body['merge_request'] as Record<string, unknown>;
    delete mr['url'];
    expect(parseGitLabWebhook({ eventName: 'Pipeline Hook', body })).toMatchObject({
      kind: 'event',
      event: {
        mergeRequest: { url: 'https://gitlab.example.com/gitlab-org/gitlab-test/-/merge_requests/1' },
      },
    });
    mr['target_project_id'] = 6;
    expect(parseGitLabWebhook({ eventName: 'Pipeline Hook', body })).toMatchObject({
      kind: 'unusable',
      issues: [{ path: 'merge_request.url' }],
    });
  });

  it('takes no absent project field for a disagreement', () => {
    const body = read('note-merge-request.json');
    const mr = body['merge_request'] as Record<string, unknown>;
    for (const key of ['url', 'target', 'source', 'target_project_id']) delete mr[key];
    delete body['repository'];
    delete body['project_id'];
    const project = body['project'] as Record<string, unknown>;
    for (const key of ['homepage', 'url', 'ssh_url', 'http_url', 'git_ssh_url', 'git_http_url'])
      delete project[key];
    expect(webhookProjectDisagreement('Note Hook', body)).toBeNull();
  });

  it('answers "unusable", naming the field, for a payload without a field a workflow needs', () => {
    const body = read('note-merge-request.json');
    delete (body['merge_request'] as Record<string, unknown>)['last_commit'];
    const result = parseGitLabWebhook({ eventName: 'Note Hook', body });
    expect(result).toMatchObject({ kind: 'unusable', issues: [{ path: 'merge_request.last_commit' }] });
    expect(result.kind === 'unusable' && result.message).toMatch(
      /^Note Hook payload: merge_request\.last_commit: /,
    );
  });
});
