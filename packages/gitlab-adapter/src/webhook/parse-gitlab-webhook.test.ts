import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDomainEvent } from '@srcgit/core';
import { describe, expect, it } from 'vitest';
import { parseGitLabWebhook } from './parse-gitlab-webhook';
import type { WebhookParseResult } from './webhook-parse-result';

const fixtures = new URL('../../../../test-fixtures/recorded/gitlab-webhooks/', import.meta.url);

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;
}

/** The `X-Gitlab-Event` header GitLab sends with each recorded payload. */
const eventNames: Record<string, string> = {
  'hardly__mr_event.json': 'Merge Request Hook',
  'hardly__pipeline.json': 'Pipeline Hook',
  'hardly__push.json': 'Push Hook',
  'packit-service__commit_comment.json': 'Note Hook',
  'packit-service__issue_comment.json': 'Note Hook',
  'packit-service__mr_closed.json': 'Merge Request Hook',
  'packit-service__mr_comment.json': 'Note Hook',
  'packit-service__mr_event.json': 'Merge Request Hook',
  'packit-service__mr_pipeline.json': 'Pipeline Hook',
  'packit-service__mr_update_event.json': 'Merge Request Hook',
  'packit-service__push_branch.json': 'Push Hook',
  'packit-service__push_with_many_commits.json': 'Push Hook',
  'packit-service__push_with_one_commit.json': 'Push Hook',
  'packit-service__tag_push.json': 'Tag Push Hook',
};

/** What each recorded payload must become: an event kind, or "not-interested". */
const expected: Record<string, string> = {
  'hardly__mr_event.json': 'source-git-mr-opened',
  'hardly__pipeline.json': 'dist-git-mr-pipeline-changed',
  'hardly__push.json': 'dist-git-pushed',
  'packit-service__commit_comment.json': 'not-interested',
  'packit-service__issue_comment.json': 'not-interested',
  'packit-service__mr_closed.json': 'source-git-mr-closed',
  'packit-service__mr_comment.json': 'comment-command-issued',
  'packit-service__mr_event.json': 'source-git-mr-opened',
  'packit-service__mr_pipeline.json': 'dist-git-mr-pipeline-changed',
  'packit-service__mr_update_event.json': 'source-git-mr-updated',
  'packit-service__push_branch.json': 'dist-git-pushed',
  'packit-service__push_with_many_commits.json': 'dist-git-pushed',
  'packit-service__push_with_one_commit.json': 'dist-git-pushed',
  'packit-service__tag_push.json': 'not-interested',
};

function parse(name: string, commandPrefix?: string): WebhookParseResult {
  return parseGitLabWebhook({
    eventName: eventNames[name],
    body: fixture(name),
    ...(commandPrefix === undefined ? {} : { commandPrefix }),
  });
}

function eventOf(name: string) {
  const result = parse(name);
  if (result.kind !== 'event')
    throw new Error(`${name} did not parse into an event: ${JSON.stringify(result)}`);
  return result.event;
}

describe('parseGitLabWebhook with the recorded payloads', () => {
  const files = readdirSync(fileURLToPath(fixtures)).filter((file) => file.endsWith('.json'));

  it('knows every recorded payload', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('classifies %s', (name) => {
    const result = parse(name);
    const classification = result.kind === 'event' ? result.event.kind : result.kind;
    expect(classification).toBe(expected[name]);
    // Every produced event satisfies core's own schema (what the worker will re-validate).
    if (result.kind === 'event')
      expect(parseDomainEvent(JSON.parse(JSON.stringify(result.event)))).toEqual(result.event);
  });

  it('maps an MR opened from a contributor fork', () => {
    expect(eventOf('hardly__mr_event.json')).toEqual({
      kind: 'source-git-mr-opened',
      actor: { username: 'jpopelka', id: 2952463 },
      mergeRequest: {
        id: 110651803,
        iid: 5,
        url: 'https://gitlab.com/packit-service/src/open-vm-tools/-/merge_requests/5',
        title: 'Yet another testing MR',
        description:
          'DnD RpcV3: A corrupted packet received may result in an OOB\nmemory access if the length of the message received is less than the size\nof the expected packet header.',
        state: 'opened',
        draft: false,
        project: {
          id: 25495423,
          path: 'packit-service/src/open-vm-tools',
          webUrl: 'https://gitlab.com/packit-service/src/open-vm-tools',
        },
        sourceProject: {
          id: 28555414,
          path: 'jpopelka/src-open-vm-tools',
          webUrl: 'https://gitlab.com/jpopelka/src-open-vm-tools',
        },
        sourceBranch: 'DnD-RpcV3-OOB',
        targetBranch: 'c9s',
        headSha: '82f9b8108e06a90e9cd0b43e8aafa6b991f981d9',
      },
    });
  });

  it('infers "opened" for an old MR payload without an action, as packit did', () => {
    const event = eventOf('packit-service__mr_event.json');
    expect(event.kind).toBe('source-git-mr-opened');
    expect(event.kind === 'source-git-mr-opened' && event.mergeRequest.headSha).toBe(
      '1f6a716aa7a618a9ffe56970d77177d99d100022',
    );
  });

  it('carries oldrev for an update that changed code, and no metadata changes', () => {
    const event = eventOf('packit-service__mr_update_event.json');
    expect(event).toMatchObject({
      kind: 'source-git-mr-updated',
      oldrev: '94ccba9f986629e24b432c11d9c7fd20bb2ea51d',
      changes: {},
      otherChangedFields: ['total_time_spent'],
      mergeRequest: { iid: 2, headSha: '45e272a57335e4e308f3176df6e9226a9e7805a9' },
    });
  });

  it('maps a closed MR', () => {
    expect(eventOf('packit-service__mr_closed.json')).toMatchObject({
      kind: 'source-git-mr-closed',
      actor: { username: 'jpopelka' },
      mergeRequest: {
        iid: 19,
        state: 'closed',
        sourceProject: { id: 35945041, path: 'jpopelka/hello-world' },
      },
    });
  });

  it('maps a detached pipeline in the bot fork, with the commit message holding the trailer', () => {
    const event = eventOf('hardly__pipeline.json');
    expect(event).toMatchObject({
      kind: 'dist-git-mr-pipeline-changed',
      actor: { username: 'packit-as-a-service-stg', id: 6307839 },
      pipeline: {
        id: 497396723,
        iid: null,
        project: { id: 30219532, path: 'packit-as-a-service-stg/open-vm-tools' },
        url: 'https://gitlab.com/packit-as-a-service-stg/open-vm-tools/-/pipelines/497396723',
        status: 'failed',
        detailedStatus: 'failed',
        source: 'merge_request_event',
        ref: '11.3.0-c9s-src-15',
        sha: '5e8406e38c0bc7bc105e291c408913971126fe40',
      },
      mergeRequest: {
        iid: 25,
        sourceProjectId: 30219532,
        targetProjectId: 28084873,
        sourceBranch: '11.3.0-c9s-src-15',
      },
      inFork: true,
    });
    expect(event.kind === 'dist-git-mr-pipeline-changed' && event.commit?.message).toContain(
      'From-source-git-commit: 06f212c897c62ec08fc6c6ee2cf6df8789cd3218',
    );
  });

  it('maps a merged-results pipeline run in the parent project', () => {
    expect(eventOf('packit-service__mr_pipeline.json')).toMatchObject({
      kind: 'dist-git-mr-pipeline-changed',
      pipeline: { id: 384095584, project: { id: 23680558 }, sha: 'ee58e259da263ecb4c1f0129be7aef8cfd4dedd6' },
      mergeRequest: { iid: 4, targetProjectId: 23680558, sourceProjectId: 28917856 },
      inFork: false,
      actor: { username: 'jpopelka' },
    });
  });

  it('maps a push with the head from checkout_sha and every listed commit', () => {
    const event = eventOf('hardly__push.json');
    expect(event).toMatchObject({
      kind: 'dist-git-pushed',
      pusher: { username: 'jpopelka', id: 2952463 },
      project: { id: 28084873, path: 'packit-service/rpms/open-vm-tools' },
      branch: 'c9s',
      before: '8c349949521e5c3fcd5c1811d1acbc5a752b385e',
      after: '15af92227f9e965b392e85ba2f08a41a5aeb278a',
      headSha: '15af92227f9e965b392e85ba2f08a41a5aeb278a',
      branchCreated: false,
      totalCommits: 3,
    });
    expect(event.kind === 'dist-git-pushed' && event.commits[1]).toEqual({
      sha: '83e47a3fc19f49723a5ad52f362521a9a6da949f',
      title: 'Rebuilt for IMA sigs, glibc 2.34, aarch64 flags',
      authorName: 'Mohan Boddu',
      authorEmail: '[REDACTED]',
    });
    const many = eventOf('packit-service__push_branch.json');
    expect(many.kind === 'dist-git-pushed' && [many.commits.length, many.totalCommits]).toEqual([9, 9]);
  });

  it('maps a comment on an MR, defaulting the action of old payloads to "create"', () => {
    expect(eventOf('packit-service__mr_comment.json')).toMatchObject({
      kind: 'comment-command-issued',
      author: { username: 'shreyaspapi', id: null },
      note: {
        id: 355648957,
        body: 'must be reopened',
        action: 'create',
        system: false,
        url: 'https://gitlab.com/testing/packit/hello-there/-/merge_requests/2#note_355648957',
      },
      mergeRequest: { iid: 2, project: { id: 18032222 } },
    });
  });

  it('says why it is not interested in comments on commits and issues, and in tag pushes', () => {
    expect(parse('packit-service__commit_comment.json')).toEqual({
      kind: 'not-interested',
      reason: 'the comment is on a "Commit", not on a merge request',
    });
    expect(parse('packit-service__issue_comment.json')).toEqual({
      kind: 'not-interested',
      reason: 'the comment is on a "Issue", not on a merge request',
    });
    expect(parse('packit-service__tag_push.json')).toEqual({
      kind: 'not-interested',
      reason: 'the bot does not handle "Tag Push Hook" events',
    });
  });

  it('drops comments without a command when a command prefix is given', () => {
    expect(parse('packit-service__mr_comment.json', '/packit')).toEqual({
      kind: 'not-interested',
      reason: 'comment without a /packit command',
    });
  });
});

describe('parseGitLabWebhook with edited payloads', () => {
  const mrHook = () =>
    fixture('hardly__mr_event.json') as { object_attributes: Record<string, unknown> } & Record<
      string,
      unknown
    >;

  it('reports the field that is missing', () => {
    const body = mrHook();
    delete body.object_attributes.last_commit;
    const result = parseGitLabWebhook({ eventName: 'Merge Request Hook', body });
    expect(result).toMatchObject({ kind: 'unusable', issues: [{ path: 'object_attributes.last_commit' }] });
    expect(result.kind === 'unusable' && result.message).toMatch(
      /^Merge Request Hook payload: object_attributes\.last_commit: /,
    );
  });

  it('rejects a body whose object_kind does not match the header', () => {
    const result = parseGitLabWebhook({ eventName: 'Pipeline Hook', body: mrHook() });
    expect(result.kind).toBe('unusable');
    expect(result.kind === 'unusable' && result.message).toContain('object_kind');
  });

  it('ignores approvals, and maps reopen and merge', () => {
    const withAction = (action: string, extra: Record<string, unknown> = {}) => {
      const body = mrHook();
      Object.assign(body.object_attributes, { action, ...extra });
      return parseGitLabWebhook({ eventName: 'Merge Request Hook', body });
    };
    expect(withAction('approved')).toEqual({
      kind: 'not-interested',
      reason: 'merge request action "approved" does not concern the bot',
    });
    expect(withAction('reopen')).toMatchObject({ kind: 'event', event: { kind: 'source-git-mr-reopened' } });
    const merged = withAction('merge', { state: 'merged', merge_commit_sha: 'c'.repeat(40) });
    expect(merged).toMatchObject({
      kind: 'event',
      event: { kind: 'source-git-mr-merged', mergeCommitSha: 'c'.repeat(40) },
    });
  });

  it('lists metadata changes of an update and treats an oldrev equal to the head as no code change', () => {
    const body = mrHook();
    Object.assign(body.object_attributes, {
      action: 'update',
      oldrev: '82f9b8108e06a90e9cd0b43e8aafa6b991f981d9',
    });
    body.changes = {
      title: { previous: 'Draft: Fix', current: 'Fix' },
      description: { previous: null, current: 'Bugzilla: 1' },
      draft: { previous: true, current: false },
      labels: { previous: [], current: [{ title: 'x' }] },
      updated_at: { previous: '2021-08-02 14:36:37 UTC', current: '2021-08-02 14:40:00 UTC' },
    };
    expect(parseGitLabWebhook({ eventName: 'Merge Request Hook', body })).toMatchObject({
      kind: 'event',
      event: {
        kind: 'source-git-mr-updated',
        oldrev: null,
        changes: {
          title: { previous: 'Draft: Fix', current: 'Fix' },
          description: { previous: '', current: 'Bugzilla: 1' },
          draft: { previous: true, current: false },
        },
        otherChangedFields: ['labels'],
      },
    });
  });

  it('is not interested in branch deletions, and marks branch creations', () => {
    const body = fixture('packit-service__push_with_one_commit.json');
    expect(
      parseGitLabWebhook({
        eventName: 'Push Hook',
        body: { ...body, after: '0'.repeat(40), checkout_sha: null },
      }),
    ).toEqual({
      kind: 'not-interested',
      reason: 'branch test2 was deleted',
    });
    expect(
      parseGitLabWebhook({ eventName: 'Push Hook', body: { ...body, before: '0'.repeat(40) } }),
    ).toMatchObject({
      kind: 'event',
      event: { branchCreated: true },
    });
  });

  it('maps a pipeline without a merge request to an event with mergeRequest null', () => {
    const body = { ...fixture('hardly__pipeline.json'), merge_request: null };
    expect(parseGitLabWebhook({ eventName: 'Pipeline Hook', body })).toMatchObject({
      kind: 'event',
      event: { mergeRequest: null, inFork: false },
    });
  });

  it('is not interested in Job Hooks or deliveries without an event name', () => {
    expect(parseGitLabWebhook({ eventName: 'Job Hook', body: {} })).toEqual({
      kind: 'not-interested',
      reason: 'the bot does not handle "Job Hook" events',
    });
    expect(parseGitLabWebhook({ eventName: undefined, body: {} })).toEqual({
      kind: 'not-interested',
      reason: 'no X-Gitlab-Event header',
    });
  });
});
