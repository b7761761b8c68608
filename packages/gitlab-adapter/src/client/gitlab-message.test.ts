import { describe, expect, it } from 'vitest';
import { failureKindForStatus } from './failure-kind';
import { gitlabMessage } from './gitlab-message';

describe('gitlabMessage', () => {
  it("takes GitLab's message, flattening validation errors", () => {
    expect(gitlabMessage('{"message":"404 Project Not Found"}')).toBe('404 Project Not Found');
    expect(
      gitlabMessage('{"message":["Another open merge request already exists for this source branch: !3"]}'),
    ).toBe('["Another open merge request already exists for this source branch: !3"]');
    expect(gitlabMessage('{"error":"invalid_token"}')).toBe('invalid_token');
    expect(gitlabMessage('{"message":{"base":["Cannot transition status."]}}')).toBe(
      '{"base":["Cannot transition status."]}',
    );
  });

  it('takes the title of an HTML error page', () => {
    expect(
      gitlabMessage(
        '<!DOCTYPE html>\n<html><head><title>GitLab is not responding (502)</title></head><body>…</body></html>',
      ),
    ).toBe('GitLab is not responding (502)');
  });

  it('falls back to the text, without a final period, cut to 300 characters', () => {
    expect(gitlabMessage('Bad gateway.')).toBe('Bad gateway');
    expect(gitlabMessage('x'.repeat(500))).toHaveLength(300);
  });
});

describe('failureKindForStatus', () => {
  it('classifies the statuses GitLab uses', () => {
    expect(
      [400, 401, 403, 404, 405, 408, 409, 422, 429, 500, 502, 503].map((status) => [
        status,
        failureKindForStatus(status),
      ]),
    ).toEqual([
      [400, 'permanent'],
      [401, 'permission'],
      [403, 'permission'],
      [404, 'not-found'],
      [405, 'permanent'],
      [408, 'transient'],
      [409, 'conflict'],
      [422, 'permanent'],
      [429, 'transient'],
      [500, 'transient'],
      [502, 'transient'],
      [503, 'transient'],
    ]);
  });
});
