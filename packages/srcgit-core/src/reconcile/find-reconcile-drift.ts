/**
 * @module
 * `findReconcileDrift`: how a source-git MR and its dist-git partner disagree, as the periodic
 * reconciliation sees them (docs/bot-behaviour.md §1.H). Pure: the worker reads the forge, this
 * decides.
 */
import type { ForgeMergeRequest } from '../forge/forge-types';
import { renderDistGitMrDescription, renderDistGitMrTitle } from '../templates/dist-git-texts';
import { appendMarker, sourceGitMrMarker } from '../templates/markers';
import { LOOP_GUARD_PREFIX } from '../workflows/loop-guard';

/**
 * The kinds of drift a reconciliation finds, each one repaired by the workflow a webhook would
 * have started:
 * - `missing-dist-git-mr`: an open, handled source-git MR has no dist-git MR (the `open` hook was
 *   missed) → sync;
 * - `head`: the dist-git MR's head was not converted from the source-git MR's head (its
 *   `From-source-git-commit` trailer names another commit, or none) → sync;
 * - `metadata`: the dist-git MR's title or description is not the rendering of the source-git
 *   MR's → metadata update;
 * - `dist-git-mr-closed`: the source-git MR is open but the bot closed its dist-git MR (the
 *   source-git MR was reopened while the bot was away) → reopen;
 * - `source-git-closed`: the dist-git MR is open but its source-git MR was closed → close it;
 * - `source-git-merged`: the source-git MR was merged and its open dist-git MR lacks the bot's
 *   "has been merged" note → the note (dist-git stays open: its maintainers decide).
 */
export type ReconcileDriftKind =
  | 'missing-dist-git-mr'
  | 'head'
  | 'metadata'
  | 'dist-git-mr-closed'
  | 'source-git-closed'
  | 'source-git-merged';

/** Every drift kind, in the order {@link findReconcileDrift} reports them (metric labels). */
export const RECONCILE_DRIFT_KINDS: readonly ReconcileDriftKind[] = [
  'missing-dist-git-mr',
  'head',
  'metadata',
  'dist-git-mr-closed',
  'source-git-closed',
  'source-git-merged',
];

/** The dist-git side of a pair, as read from the forge. */
export type DistGitPartner =
  /** The bot has no dist-git MR for the source-git MR, in any state. */
  | { readonly kind: 'none' }
  | {
      readonly kind: 'found';
      readonly mergeRequest: ForgeMergeRequest;
      /**
       * The `From-source-git-commit` trailer of the dist-git MR's head commit, `null` when it has
       * none; `undefined` when not read (only needed for an open pair).
       */
      readonly syncedSourceGitSha?: string | null | undefined;
      /**
       * The lifecycle notes (`closed`, `reopened`, `merged`) the bot wrote on the dist-git MR;
       * `undefined` when not read (only needed when one side is closed or merged).
       */
      readonly lifecycleNotes?: ReadonlySet<'closed' | 'reopened' | 'merged'> | undefined;
    };

/** A source-git MR and its dist-git partner. */
export interface ReconcilePair {
  /** The source-git MR as the forge has it now. */
  readonly sourceGit: ForgeMergeRequest;
  readonly distGit: DistGitPartner;
  /** The mapping's `addRunPipelineHint` (part of the rendered dist-git description). */
  readonly addRunPipelineHint: boolean;
}

/**
 * The drift between a source-git MR and its dist-git partner, empty when they agree (or when the
 * difference is none of the bot's business: the bot's own `Sync from dist-git` MR, a merged
 * dist-git MR, a dist-git MR a maintainer closed, a closed source-git MR whose dist-git MR is
 * closed already). Facts that were not read
 * (`undefined`) never count as drift.
 *
 * @example
 * findReconcileDrift({ sourceGit, distGit: { kind: 'none' }, addRunPipelineHint: false }); // ['missing-dist-git-mr']
 */
export function findReconcileDrift(pair: ReconcilePair): ReconcileDriftKind[] {
  const { sourceGit, distGit } = pair;
  if (sourceGit.state === 'locked' || sourceGit.title.startsWith(LOOP_GUARD_PREFIX)) return [];
  if (distGit.kind === 'none') return sourceGit.state === 'opened' ? ['missing-dist-git-mr'] : [];
  const partner = distGit.mergeRequest;
  if (partner.state === 'merged' || partner.state === 'locked') return [];

  if (sourceGit.state === 'closed') return partner.state === 'opened' ? ['source-git-closed'] : [];
  if (sourceGit.state === 'merged') {
    const noted = distGit.lifecycleNotes?.has('merged') ?? true;
    return partner.state === 'opened' && !noted ? ['source-git-merged'] : [];
  }

  const drift: ReconcileDriftKind[] = [];
  if (partner.state === 'closed') {
    // Only a dist-git MR the bot closed is the bot's to reopen; a maintainer's close stands.
    if (distGit.lifecycleNotes?.has('closed') !== true) return [];
    drift.push('dist-git-mr-closed');
  }
  if (distGit.syncedSourceGitSha !== undefined && distGit.syncedSourceGitSha !== sourceGit.headSha) {
    drift.push('head');
  }
  if (!metadataMatches(pair)) drift.push('metadata');
  return drift;
}

/** Whether the dist-git MR's title and description are the rendering of the source-git MR's. */
function metadataMatches(pair: ReconcilePair): boolean {
  const { sourceGit } = pair;
  const partner = pair.distGit.kind === 'found' ? pair.distGit.mergeRequest : null;
  if (partner === null) return true;
  const texts = {
    title: sourceGit.title,
    description: sourceGit.description,
    sourceGitMrUrl: sourceGit.webUrl,
    addRunPipelineHint: pair.addRunPipelineHint,
  };
  const description = appendMarker(
    renderDistGitMrDescription(texts),
    sourceGitMrMarker(sourceGit.projectId, sourceGit.iid),
  );
  return partner.title === renderDistGitMrTitle(texts) && partner.description === description;
}
