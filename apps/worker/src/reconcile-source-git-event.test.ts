import type { MergeRequestSnapshot, SourceGitMrEvent } from '@srcgit/core';
import { describe, expect, it } from 'vitest';
import { reconcileSourceGitEvent } from './reconcile-source-git-event';

const project = { id: 3001, path: 'src/beer', webUrl: 'https://gitlab.example/src/beer' };
const seen: MergeRequestSnapshot = {
  id: 40001,
  iid: 5,
  url: 'https://gitlab.example/src/beer/-/merge_requests/5',
  title: 'Pour',
  description: 'A pint',
  state: 'opened',
  draft: false,
  project,
  sourceProject: { id: 3003, path: 'contributor/beer', webUrl: 'https://gitlab.example/contributor/beer' },
  sourceBranch: 'fix',
  targetBranch: 'c10s',
  headSha: 'a'.repeat(40),
};
const actor = { username: 'contributor', id: 102 };
const opened: SourceGitMrEvent = { kind: 'source-git-mr-opened', actor, mergeRequest: seen };

describe('reconcileSourceGitEvent', () => {
  it('runs the event as it is when nothing changed since', () => {
    expect(reconcileSourceGitEvent(opened, seen)).toEqual([opened]);
  });

  it('closes when the MR was closed after the (collapsed) event', () => {
    const now = { ...seen, state: 'closed' as const };
    expect(reconcileSourceGitEvent(opened, now)).toEqual([
      { kind: 'source-git-mr-closed', actor, mergeRequest: now },
    ]);
  });

  it('notes the merge when the MR was merged after the event', () => {
    const now = { ...seen, state: 'merged' as const };
    expect(reconcileSourceGitEvent(opened, now)).toEqual([
      { kind: 'source-git-mr-merged', actor, mergeRequest: now, mergeCommitSha: null },
    ]);
  });

  it('reopens when a "closed" event finds the MR open again', () => {
    const closed: SourceGitMrEvent = {
      kind: 'source-git-mr-closed',
      actor,
      mergeRequest: { ...seen, state: 'closed' },
    };
    expect(reconcileSourceGitEvent(closed, seen)).toEqual([
      { kind: 'source-git-mr-reopened', actor, mergeRequest: seen },
    ]);
  });

  it('adds a code sync after a metadata update when the head moved since', () => {
    const labels: SourceGitMrEvent = {
      kind: 'source-git-mr-updated',
      actor,
      mergeRequest: seen,
      oldrev: null,
      changes: {},
      otherChangedFields: ['labels'],
    };
    const now = { ...seen, headSha: 'b'.repeat(40) };
    expect(reconcileSourceGitEvent(labels, now)).toEqual([
      labels,
      {
        kind: 'source-git-mr-updated',
        actor,
        mergeRequest: now,
        oldrev: 'a'.repeat(40),
        changes: {},
        otherChangedFields: [],
      },
    ]);
  });

  it('adds a metadata update after a sync when the title changed since', () => {
    const now = { ...seen, title: 'Pour two' };
    expect(reconcileSourceGitEvent(opened, now)).toEqual([
      opened,
      {
        kind: 'source-git-mr-updated',
        actor,
        mergeRequest: now,
        oldrev: null,
        changes: { title: { previous: 'Pour', current: 'Pour two' } },
        otherChangedFields: [],
      },
    ]);
  });
});
