/**
 * @module
 * `readMergeRequestStatus`: where a source-git MR stands — its pairing, whether its dist-git MR
 * carries its head, and the dist-git CI result (for `srcgit mr status`).
 */
import type { MergeRequestSnapshot } from '../events/event-refs';
import type { PairingSource } from '../pairing/find-pairing';
import { endsWithMarker } from '../templates/markers';
import { DIST_GIT_CI_NOTE_MARKER, parseDistGitCiNoteState } from './dist-git-ci-note';
import type { EventWorkflowDeps } from './event-outcome';
import { mapPipelineStatus } from './map-pipeline-status';
import { resolvePairedMergeRequest } from './resolve-paired-merge-request';
import { CommitReader, testedSourceGitCommit } from './tested-source-git-commit';

/** The status of a source-git MR. Plain JSON data; fields are only ever added. */
export interface MergeRequestStatus {
  readonly schemaVersion: 1;
  readonly sourceGitMr: {
    readonly projectPath: string;
    readonly iid: number;
    readonly webUrl: string;
    readonly title: string;
    readonly state: string;
    readonly headSha: string;
  };
  /** `null` when the bot handles the MR; else why not (`loop-guard`, `not-handled`). */
  readonly notHandled: { readonly reason: string; readonly detail: string } | null;
  /** The paired dist-git MR, or `null` when there is none (yet). */
  readonly distGitMr: {
    readonly projectPath: string;
    readonly iid: number;
    readonly webUrl: string;
    readonly state: string;
    readonly sourceBranch: string;
    readonly headSha: string | null;
    readonly foundBy: PairingSource;
  } | null;
  /**
   * `in-sync`: the dist-git MR's commit was converted from the source-git head; `behind`: from an
   * older commit (`syncedSourceGitSha`); `unknown`: its commit names no source-git commit;
   * `no-dist-git-mr`: nothing is paired.
   */
  readonly sync: {
    readonly state: 'in-sync' | 'behind' | 'unknown' | 'no-dist-git-mr';
    readonly syncedSourceGitSha: string | null;
  };
  /** The dist-git MR's newest pipeline, or `null`. */
  readonly pipeline: {
    readonly id: number;
    readonly status: string;
    /** The commit-status state it maps to (`pending`, `running`, `success`, `failed`), or `null`. */
    readonly state: string | null;
    readonly webUrl: string;
    readonly testedSourceGitSha: string | null;
  } | null;
  /** What the bot reported on the source-git head: a commit status, its note, or nothing. */
  readonly reported:
    | { readonly kind: 'commit-status'; readonly state: string; readonly targetUrl: string | null }
    | { readonly kind: 'note'; readonly state: string; readonly pipelineId: number }
    | null;
}

/**
 * Reads the status of `mr` from the forge (nothing is written): its dist-git MR (found as the
 * workflows find it), whether the dist-git commit's `From-source-git-commit` trailer names the MR
 * head, the newest dist-git pipeline and the source-git commit it tested, and the commit status or
 * CI note the bot left on the head.
 *
 * @example
 * ```ts
 * const status = await readMergeRequestStatus(snapshot, sourceProjectId, deps);
 * status.sync.state; // 'in-sync'
 * ```
 */
export async function readMergeRequestStatus(
  mr: MergeRequestSnapshot,
  sourceProjectId: number,
  deps: EventWorkflowDeps,
): Promise<MergeRequestStatus> {
  const { forge } = deps;
  const sourceGitMr = {
    projectPath: mr.project.path,
    iid: mr.iid,
    webUrl: mr.url,
    title: mr.title,
    state: mr.state,
    headSha: mr.headSha,
  };
  const reported = await readReported(deps, mr, sourceProjectId);
  const paired = await resolvePairedMergeRequest(mr, sourceProjectId, deps);
  if (!paired.handled || paired.pairing === null || paired.distGit === null) {
    return {
      schemaVersion: 1,
      sourceGitMr,
      notHandled: paired.handled ? null : { reason: paired.reason, detail: paired.detail },
      distGitMr: null,
      sync: { state: 'no-dist-git-mr', syncedSourceGitSha: null },
      pipeline: null,
      reported,
    };
  }
  const dg = paired.pairing.distGitMr;
  const reader = new CommitReader(forge);
  const lookIn = [dg.sourceProjectId, dg.projectId];
  const synced = dg.headSha === null ? null : await testedSourceGitCommit(reader, lookIn, dg.headSha);
  const [newest] = await forge.listMergeRequestPipelines(dg.projectId, dg.iid);
  let pipeline: MergeRequestStatus['pipeline'] = null;
  if (newest !== undefined) {
    const mapped = mapPipelineStatus(newest.status);
    pipeline = {
      id: newest.id,
      status: newest.status,
      state: mapped.kind === 'report' ? mapped.state : null,
      webUrl: newest.webUrl,
      testedSourceGitSha: await testedSourceGitCommit(
        reader,
        [newest.projectId, ...lookIn.filter((id) => id !== newest.projectId)],
        newest.sha,
      ),
    };
  }
  return {
    schemaVersion: 1,
    sourceGitMr,
    notHandled: null,
    distGitMr: {
      projectPath: paired.distGit.path,
      iid: dg.iid,
      webUrl: dg.webUrl,
      state: dg.state,
      sourceBranch: dg.sourceBranch,
      headSha: dg.headSha,
      foundBy: paired.pairing.source,
    },
    sync: {
      state: synced === null ? 'unknown' : synced === mr.headSha ? 'in-sync' : 'behind',
      syncedSourceGitSha: synced,
    },
    pipeline,
    reported,
  };
}

/** The commit status on the head, else the bot's CI note, else `null`. */
async function readReported(
  deps: EventWorkflowDeps,
  mr: MergeRequestSnapshot,
  sourceProjectId: number,
): Promise<MergeRequestStatus['reported']> {
  const { forge, config } = deps;
  const statuses = await forge
    .listCommitStatuses(sourceProjectId, mr.headSha, { ref: mr.sourceBranch, name: config.statusCheckName })
    .catch(() => []);
  const [status] = statuses;
  if (status !== undefined)
    return { kind: 'commit-status', state: status.status, targetUrl: status.targetUrl };
  const bot = await forge.getCurrentUser();
  const note = (await forge.listNotes(mr.project.id, mr.iid)).find(
    (entry) =>
      !entry.system &&
      entry.authorUsername === bot.username &&
      endsWithMarker(entry.body, DIST_GIT_CI_NOTE_MARKER),
  );
  const state = note === undefined ? null : parseDistGitCiNoteState(note.body);
  return state === null || state.sourceGitSha !== mr.headSha
    ? null
    : { kind: 'note', state: state.state, pipelineId: state.pipelineId };
}
