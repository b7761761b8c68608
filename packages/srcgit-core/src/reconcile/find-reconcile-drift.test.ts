import { describe, expect, it } from 'vitest';
import type { ForgeMergeRequest } from '../forge/forge-types';
import { renderDistGitMrDescription, renderDistGitMrTitle } from '../templates/dist-git-texts';
import { appendMarker, sourceGitMrMarker } from '../templates/markers';
import { findReconcileDrift } from './find-reconcile-drift';
import type { DistGitPartner, ReconcilePair } from './find-reconcile-drift';
import { reconcileRepairEvent } from './reconcile-repair-event';
import { requestBudgetVerdict } from './request-budget-verdict';

const HEAD = 'a'.repeat(40);
const OLD_HEAD = 'b'.repeat(40);
const DG_HEAD = 'c'.repeat(40);
const SG_URL = 'https://gitlab.example/src/beer/-/merge_requests/5';

const sourceGit: ForgeMergeRequest = {
  id: 105,
  iid: 5,
  projectId: 3001,
  title: 'Pour one more',
  description: 'Please pour.',
  state: 'opened',
  draft: false,
  sourceProjectId: 4001,
  sourceBranch: 'more-beer',
  targetProjectId: 3001,
  targetBranch: 'c10s',
  headSha: HEAD,
  authorUsername: 'contributor',
  webUrl: SG_URL,
};

/** The dist-git MR exactly as the bot renders it for `sourceGit`. */
function mirror(sg: ForgeMergeRequest, overrides: Partial<ForgeMergeRequest> = {}): ForgeMergeRequest {
  const texts = {
    title: sg.title,
    description: sg.description,
    sourceGitMrUrl: sg.webUrl,
    addRunPipelineHint: false,
  };
  return {
    id: 901,
    iid: 1,
    projectId: 3002,
    title: renderDistGitMrTitle(texts),
    description: appendMarker(renderDistGitMrDescription(texts), sourceGitMrMarker(sg.projectId, sg.iid)),
    state: 'opened',
    draft: false,
    sourceProjectId: 5001,
    sourceBranch: 'c10s-src-5',
    targetProjectId: 3002,
    targetBranch: 'c10s',
    headSha: DG_HEAD,
    authorUsername: 'srcgit-bot',
    webUrl: 'https://gitlab.example/rpms/beer/-/merge_requests/1',
    ...overrides,
  };
}

function pair(sg: Partial<ForgeMergeRequest>, distGit: DistGitPartner): ReconcilePair {
  return { sourceGit: { ...sourceGit, ...sg }, distGit, addRunPipelineHint: false };
}

const inSync: DistGitPartner = { kind: 'found', mergeRequest: mirror(sourceGit), syncedSourceGitSha: HEAD };
const projects = {
  project: { id: 3001, path: 'src/beer', webUrl: 'https://gitlab.example/src/beer' },
  sourceProject: { id: 4001, path: 'contributor/beer', webUrl: 'https://gitlab.example/contributor/beer' },
};
const bot = { username: 'srcgit-bot', id: 7 };

describe('findReconcileDrift', () => {
  it('finds nothing for a pair the bot mirrored exactly', () => {
    expect(findReconcileDrift(pair({}, inSync))).toEqual([]);
  });

  it('finds an open MR without a dist-git MR, and ignores closed and merged ones without one', () => {
    expect(findReconcileDrift(pair({}, { kind: 'none' }))).toEqual(['missing-dist-git-mr']);
    expect(findReconcileDrift(pair({ state: 'closed' }, { kind: 'none' }))).toEqual([]);
    expect(findReconcileDrift(pair({ state: 'merged' }, { kind: 'none' }))).toEqual([]);
  });

  it('finds a head the dist-git MR was not converted from (also a missing trailer)', () => {
    expect(findReconcileDrift(pair({}, { ...inSync, syncedSourceGitSha: OLD_HEAD }))).toEqual(['head']);
    expect(findReconcileDrift(pair({}, { ...inSync, syncedSourceGitSha: null }))).toEqual(['head']);
    // Not read: no judgement.
    expect(findReconcileDrift(pair({}, { ...inSync, syncedSourceGitSha: undefined }))).toEqual([]);
  });

  it('finds a retitled or re-described source-git MR, judged by the rendering (Bugzilla lines, marker)', () => {
    expect(findReconcileDrift(pair({ title: 'Pour two' }, inSync))).toEqual(['metadata']);
    expect(findReconcileDrift(pair({ description: 'Bugzilla: 12' }, inSync))).toEqual(['metadata']);
    const bugzilla = { ...sourceGit, description: 'Bugzilla: 12' };
    expect(
      findReconcileDrift(
        pair(bugzilla, { kind: 'found', mergeRequest: mirror(bugzilla), syncedSourceGitSha: HEAD }),
      ),
    ).toEqual([]);
    expect(
      findReconcileDrift(pair({ title: 'Pour two' }, { ...inSync, syncedSourceGitSha: OLD_HEAD })),
    ).toEqual(['head', 'metadata']);
  });

  it('finds a dist-git MR the bot closed while its source-git MR is open, not one a maintainer closed', () => {
    const closed = mirror(sourceGit, { state: 'closed' });
    expect(
      findReconcileDrift(
        pair(
          {},
          {
            kind: 'found',
            mergeRequest: closed,
            syncedSourceGitSha: HEAD,
            lifecycleNotes: new Set(['closed']),
          },
        ),
      ),
    ).toEqual(['dist-git-mr-closed']);
    expect(
      findReconcileDrift(
        pair(
          {},
          { kind: 'found', mergeRequest: closed, syncedSourceGitSha: HEAD, lifecycleNotes: new Set() },
        ),
      ),
    ).toEqual([]);
  });

  it('finds an open dist-git MR whose source-git MR was closed, and nothing once it is closed too', () => {
    expect(findReconcileDrift(pair({ state: 'closed' }, inSync))).toEqual(['source-git-closed']);
    const closed = { kind: 'found', mergeRequest: mirror(sourceGit, { state: 'closed' }) } as const;
    expect(findReconcileDrift(pair({ state: 'closed' }, closed))).toEqual([]);
  });

  it('finds a merged source-git MR whose open dist-git MR lacks the merged note', () => {
    const open = mirror(sourceGit);
    expect(
      findReconcileDrift(
        pair({ state: 'merged' }, { kind: 'found', mergeRequest: open, lifecycleNotes: new Set() }),
      ),
    ).toEqual(['source-git-merged']);
    expect(
      findReconcileDrift(
        pair({ state: 'merged' }, { kind: 'found', mergeRequest: open, lifecycleNotes: new Set(['merged']) }),
      ),
    ).toEqual([]);
  });

  it("leaves the bot's own Sync from dist-git MRs alone", () => {
    expect(findReconcileDrift(pair({ title: 'Sync from dist-git' }, { kind: 'none' }))).toEqual([]);
  });

  it('leaves merged dist-git MRs and locked MRs alone', () => {
    const merged = {
      kind: 'found',
      mergeRequest: mirror(sourceGit, { state: 'merged' }),
      syncedSourceGitSha: OLD_HEAD,
    } as const;
    expect(findReconcileDrift(pair({ title: 'Pour two' }, merged))).toEqual([]);
    expect(findReconcileDrift(pair({ state: 'locked' }, { kind: 'none' }))).toEqual([]);
  });
});

describe('reconcileRepairEvent', () => {
  it('is null without drift', () => {
    expect(reconcileRepairEvent(pair({}, inSync), [], projects, bot)).toBeNull();
  });

  it('opens, closes and notes the merge with the MR as it is now', () => {
    const missing = pair({}, { kind: 'none' });
    expect(reconcileRepairEvent(missing, ['missing-dist-git-mr'], projects, bot)).toMatchObject({
      kind: 'source-git-mr-opened',
      actor: bot,
      mergeRequest: {
        iid: 5,
        headSha: HEAD,
        project: projects.project,
        sourceProject: projects.sourceProject,
      },
    });
    const closed = pair({ state: 'closed' }, inSync);
    expect(reconcileRepairEvent(closed, ['source-git-closed'], projects, bot)).toMatchObject({
      kind: 'source-git-mr-closed',
      mergeRequest: { state: 'closed' },
    });
    const merged = pair({ state: 'merged' }, inSync);
    expect(reconcileRepairEvent(merged, ['source-git-merged'], projects, bot)).toMatchObject({
      kind: 'source-git-mr-merged',
      mergeCommitSha: null,
    });
  });

  it('updates from the MR as dist-git mirrors it: its synced head and its texts', () => {
    const drifted = pair({ title: 'Pour two' }, { ...inSync, syncedSourceGitSha: OLD_HEAD });
    const event = reconcileRepairEvent(drifted, ['head', 'metadata'], projects, bot);
    expect(event).toMatchObject({
      kind: 'source-git-mr-updated',
      oldrev: null,
      changes: {},
      mergeRequest: { headSha: OLD_HEAD, title: 'Pour one more', url: SG_URL },
    });
    const headOnly = reconcileRepairEvent(
      pair({}, { ...inSync, syncedSourceGitSha: null }),
      ['head'],
      projects,
      bot,
    );
    expect(headOnly?.mergeRequest).toMatchObject({ headSha: DG_HEAD, title: 'Pour one more' });
  });

  it('reopens a dist-git MR the bot closed, from the mirrored MR', () => {
    const closed = mirror(sourceGit, { state: 'closed' });
    const event = reconcileRepairEvent(
      pair(
        {},
        {
          kind: 'found',
          mergeRequest: closed,
          syncedSourceGitSha: OLD_HEAD,
          lifecycleNotes: new Set(['closed']),
        },
      ),
      ['dist-git-mr-closed', 'head'],
      projects,
      bot,
    );
    expect(event).toMatchObject({ kind: 'source-git-mr-reopened', mergeRequest: { headSha: OLD_HEAD } });
  });

  it('is null when the forge reported no head for the source-git MR', () => {
    expect(
      reconcileRepairEvent(pair({ headSha: null }, { kind: 'none' }), ['missing-dist-git-mr'], projects, bot),
    ).toBeNull();
  });
});

describe('requestBudgetVerdict', () => {
  const budget = { maxRequests: 100, rateLimitReserve: 20 };
  const now = Date.parse('2026-01-01T00:00:30Z');
  const reset = Date.parse('2026-01-01T00:01:00Z');

  it('allows requests within the run budget and above the reserve', () => {
    expect(requestBudgetVerdict(0, null, budget, now)).toEqual({ ok: true });
    expect(requestBudgetVerdict(99, { remaining: 21, resetAtMs: reset }, budget, now)).toEqual({ ok: true });
  });

  it('stops at the run budget', () => {
    expect(requestBudgetVerdict(100, null, budget, now)).toMatchObject({ ok: false, reason: 'max-requests' });
  });

  it('stops at the rate-limit reserve until the window resets', () => {
    expect(requestBudgetVerdict(5, { remaining: 20, resetAtMs: reset }, budget, now)).toMatchObject({
      ok: false,
      reason: 'rate-limit',
      detail: 'GitLab allows 20 more requests until 2026-01-01T00:01:00.000Z; 20 are kept for webhook jobs',
    });
    expect(requestBudgetVerdict(5, { remaining: 0, resetAtMs: reset }, budget, reset)).toEqual({ ok: true });
  });
});
