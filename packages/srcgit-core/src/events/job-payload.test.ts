import { describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import type { DomainEvent } from './domain-event';
import { parseDomainEvent } from './domain-event';
import {
  JOB_PAYLOAD_VERSION,
  PREVIOUS_JOB_PAYLOAD_VERSION,
  createJobPayload,
  parseJobPayload,
} from './job-payload';

const project = {
  id: 42,
  path: 'redhat/centos-stream/src/make',
  webUrl: 'https://gitlab.com/redhat/centos-stream/src/make',
};
const fork = { id: 77, path: 'alice/make', webUrl: 'https://gitlab.com/alice/make' };
const updated: DomainEvent = {
  kind: 'source-git-mr-updated',
  actor: { username: 'alice', id: 7 },
  mergeRequest: {
    id: 1001,
    iid: 5,
    url: `${project.webUrl}/-/merge_requests/5`,
    title: 'Fix the build',
    description: 'Bugzilla: 123',
    state: 'opened',
    draft: false,
    project,
    sourceProject: fork,
    sourceBranch: 'fix-build',
    targetBranch: 'c9s',
    headSha: 'a'.repeat(40),
  },
  oldrev: 'b'.repeat(40),
  changes: { title: { previous: 'WIP', current: 'Fix the build' } },
  otherChangedFields: ['labels'],
};

describe('createJobPayload', () => {
  it('stamps the version and an ISO receivedAt, and survives a JSON round trip', () => {
    const job = createJobPayload({
      deliveryId: '3f1c0e6a-5b7d-4a57-9d7c-0c6a1b2e9f10',
      receivedAt: new Date('2024-05-06T07:08:09.000Z'),
      instance: 'https://gitlab.com',
      receivedBy: 'webhook-1-7',
      event: updated,
    });
    expect(job.version).toBe(JOB_PAYLOAD_VERSION);
    expect(job.receivedAt).toBe('2024-05-06T07:08:09.000Z');
    expect(parseJobPayload(JSON.parse(JSON.stringify(job)))).toEqual(job);
  });

  it('rejects an empty delivery id, naming the field', () => {
    expect(() =>
      createJobPayload({
        deliveryId: '',
        receivedAt: new Date(0),
        instance: 'https://gitlab.com',
        receivedBy: 'webhook-1-7',
        event: updated,
      }),
    ).toThrow(/deliveryId/);
  });
});

describe('parseJobPayload', () => {
  it('accepts a payload of the previous version, upgraded to the current one', () => {
    expect(PREVIOUS_JOB_PAYLOAD_VERSION).toBe(JOB_PAYLOAD_VERSION - 1);
    const old = {
      version: PREVIOUS_JOB_PAYLOAD_VERSION,
      deliveryId: 'x',
      receivedAt: '2024-05-06T07:08:09Z',
      instance: 'https://gitlab.com',
      event: updated,
    };
    expect(parseJobPayload(old)).toEqual({ ...old, version: JOB_PAYLOAD_VERSION, receivedBy: 'unknown' });
  });

  it('rejects a payload of another version with JOB_INVALID', () => {
    const error = (() => {
      try {
        parseJobPayload({
          version: JOB_PAYLOAD_VERSION + 1,
          deliveryId: 'x',
          receivedAt: '2024-05-06T07:08:09Z',
          instance: 'i',
          event: updated,
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('JOB_INVALID');
    expect((error as CoreError).message).toMatch(/^Invalid job payload: version:/);
  });

  it('rejects a timestamp that is not ISO-8601', () => {
    expect(() =>
      parseJobPayload({
        version: JOB_PAYLOAD_VERSION,
        deliveryId: 'x',
        receivedAt: 'yesterday',
        receivedBy: 'webhook-1-7',
        instance: 'i',
        event: updated,
      }),
    ).toThrow(/receivedAt/);
  });
});

describe('parseDomainEvent', () => {
  it('accepts a valid event unchanged', () => {
    expect(parseDomainEvent(updated)).toEqual(updated);
  });

  it('rejects an unknown kind', () => {
    expect(() => parseDomainEvent({ ...updated, kind: 'source-git-mr-approved' })).toThrow(CoreError);
  });

  it('names the field that is wrong', () => {
    const bad = { ...updated, mergeRequest: { ...updated.mergeRequest, headSha: 'not-a-sha' } };
    expect(() => parseDomainEvent(bad)).toThrow(
      'Invalid domain event: mergeRequest.headSha: a full hex commit id',
    );
  });
});
