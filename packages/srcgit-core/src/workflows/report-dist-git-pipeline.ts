/**
 * @module
 * `reportDistGitPipeline`: a dist-git MR pipeline changed → the CI result on the source-git MR
 * (docs/bot-behaviour.md §1.D, §6.4–6.9; docs/architecture.md decision 6).
 */
import { findMapping } from '../config/find-mapping';
import type { DistGitMrPipelineChanged } from '../events/dist-git-pipeline-event';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ForgePipeline } from '../forge/forge-types';
import { readBotPairing } from '../pairing/read-bot-pairing';
import { endsWithMarker } from '../templates/markers';
import { DIST_GIT_CI_NOTE_MARKER, parseDistGitCiNoteState, renderDistGitCiNote } from './dist-git-ci-note';
import type { EventOutcome, EventWorkflowDeps } from './event-outcome';
import { EventOutcomeBuilder } from './event-outcome-builder';
import { mapPipelineStatus, pipelineIdFromUrl, stateRank } from './map-pipeline-status';
import { CommitReader, testedSourceGitCommit } from './tested-source-git-commit';
import type { WorkflowOptions } from './workflow-deps';

/** How many of a dist-git MR's newest pipelines are reconciled along with the event's own. */
const RECONCILED_PIPELINES = 5;

/** A pipeline to report, with where its status comes from. */
interface Candidate {
  readonly id: number;
  readonly projectId: number;
  readonly sha: string;
  readonly status: string;
  readonly detailedStatus: string | null;
  readonly webUrl: string;
  /** The commit message the webhook carried (detached pipelines: the trailer is there). */
  readonly message: string | undefined;
  /** `true` when the status was read from the forge just now, `false` when it is the event's. */
  readonly current: boolean;
}

/**
 * Reports a dist-git MR pipeline on its source-git MR. The dist-git MR is the event's (or, when
 * the forge omitted it, the bot's MR from the pipeline's `…-src-<iid>` branch); its source-git MR
 * is the one its pairing names, read by the same rule as every pairing lookup (`readBotPairing`:
 * opened by the bot from a fork branch of its fork, the bot's marker as the description's last
 * line), so a marker a contributor copied into their MR text never routes a result. The tested source-git commit is the `From-source-git-commit`
 * trailer of the pipeline's commit — or of the merged-in dist-git commit for merged-results
 * pipelines in the parent project.
 *
 * Statuses are read from the forge, not taken from the event: the event's pipeline and the MR's
 * newest pipelines are reconciled, the newest pipeline per tested commit wins, so events that
 * arrive late, twice or not at all never leave a status behind or move it backwards. The result
 * becomes the commit status `statusCheckName` on the source-git MR's source project (with the
 * source branch as `ref`); where the bot may not set one (403/404), one sticky note on the
 * source-git MR is edited in place instead — created only on the first final state. GitLab's
 * "Cannot transition status" is a no-op; unknown statuses are logged and skipped; `canceling`
 * waits for `canceled`.
 *
 * Ignored: pipelines that are not merge request pipelines, pipelines of MRs that are not the
 * bot's paired dist-git MRs, and source-git MRs no mapping handles.
 *
 * @example
 * ```ts
 * const outcome = await reportDistGitPipeline(event, deps);
 * outcome.actions; // [{ kind: 'commit-status', outcome: 'created', target: 'contributor/beer@1a2b3c4d5e6f', … }]
 * ```
 */
export async function reportDistGitPipeline(
  event: DistGitMrPipelineChanged,
  deps: EventWorkflowDeps,
  options: WorkflowOptions = {},
): Promise<EventOutcome> {
  const { forge, config, logger } = deps;
  const dryRun = options.dryRun === true;
  const { pipeline } = event;
  const out = new EventOutcomeBuilder(
    'report-dist-git-pipeline',
    `${pipeline.project.path} pipeline ${pipeline.id} (${pipeline.status})`,
  );
  if (pipeline.source !== 'merge_request_event') {
    return out.ignored(
      'not-merge-request-pipeline',
      `a "${pipeline.source}" pipeline, not a merge request pipeline`,
    );
  }

  const bot = await forge.getCurrentUser();
  const distGitMr = await findDistGitMergeRequest(event, deps, bot.username);
  if (distGitMr === null) {
    return out.ignored('no-merge-request', `no merge request of the bot's runs from ${pipeline.ref}`);
  }
  const distGitPath = (await forge.getProject(distGitMr.projectId)).path;
  out.setDistGitMr({
    projectPath: distGitPath,
    iid: distGitMr.iid,
    webUrl: distGitMr.webUrl,
    state: distGitMr.state,
  });
  const marker = await readBotPairing(distGitMr, {
    forge,
    bot,
    forkBranchTemplate: config.forkBranchTemplate,
    forkNamespace: config.forkNamespace,
  });
  if (marker === null) {
    return out.ignored(
      'not-paired',
      `dist-git MR !${distGitMr.iid} is not a pairing of the bot (opened by the bot from its fork branch, with its marker last)`,
    );
  }
  let sourceGitMr: ForgeMergeRequest;
  try {
    sourceGitMr = await forge.getMergeRequest(marker.projectId, marker.iid);
  } catch (error) {
    if (!isForgeError(error, 'not-found', 'permission')) throw error;
    return out.ignored('not-paired', `the source-git MR ${marker.projectId}!${marker.iid} does not exist`);
  }
  const sourceGitPath = (await forge.getProject(sourceGitMr.projectId)).path;
  out.setSourceGitMr({
    projectPath: sourceGitPath,
    iid: sourceGitMr.iid,
    webUrl: sourceGitMr.webUrl,
    state: sourceGitMr.state,
  });
  if (findMapping(config, sourceGitPath, sourceGitMr.targetBranch) === null) {
    return out.ignored('not-handled', `no mapping handles ${sourceGitPath} → ${sourceGitMr.targetBranch}`);
  }

  // The pipelines to report: the event's and the MR's newest, with their current statuses.
  const listed = await forge.listMergeRequestPipelines(distGitMr.projectId, distGitMr.iid);
  const own = listed.find((entry) => entry.id === pipeline.id);
  const candidates: Candidate[] = [
    own === undefined
      ? {
          id: pipeline.id,
          projectId: pipeline.project.id,
          sha: pipeline.sha,
          status: pipeline.status,
          detailedStatus: pipeline.detailedStatus,
          webUrl: pipeline.url,
          message: event.commit?.sha === pipeline.sha ? event.commit.message : undefined,
          current: false,
        }
      : {
          ...fromForge(own),
          detailedStatus: own.status === pipeline.status ? pipeline.detailedStatus : null,
          message: event.commit?.sha === own.sha ? event.commit.message : undefined,
        },
    ...listed
      .slice(0, RECONCILED_PIPELINES)
      .filter((entry) => entry.id !== pipeline.id)
      .map((entry) => ({ ...fromForge(entry), detailedStatus: null, message: undefined })),
  ];

  // The newest pipeline per tested source-git commit.
  const reader = new CommitReader(forge);
  const lookIn = [...new Set([distGitMr.sourceProjectId, distGitMr.projectId])];
  const newest = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const tested = await testedSourceGitCommit(
      reader,
      [candidate.projectId, ...lookIn.filter((id) => id !== candidate.projectId)],
      candidate.sha,
      candidate.message,
    );
    if (tested === null) {
      logger.warn('cannot tell which source-git commit a dist-git pipeline tested; not reported', {
        pipelineId: candidate.id,
        sha: candidate.sha,
      });
      continue;
    }
    const known = newest.get(tested);
    if (known === undefined || known.id < candidate.id) newest.set(tested, candidate);
  }
  if (newest.size === 0) {
    return out.ignored('no-trailer', `the commit of pipeline ${pipeline.id} names no source-git commit`);
  }

  for (const [sourceGitSha, candidate] of newest) {
    const mapped = mapPipelineStatus(candidate.status);
    if (mapped.kind === 'unknown') {
      logger.warn('unknown pipeline status; not reported', {
        pipelineId: candidate.id,
        status: candidate.status,
      });
      continue;
    }
    if (mapped.kind === 'wait') continue;
    const report = {
      sourceGitSha,
      pipeline: candidate,
      state: mapped.state,
      final: mapped.final,
      description: `Changed status to ${candidate.detailedStatus ?? candidate.status}`,
    };
    const target = `${sourceGitPath}!${sourceGitMr.iid}@${sourceGitSha.slice(0, 12)}`;
    const status = await reportAsCommitStatus(deps, sourceGitMr, report, dryRun);
    if (status.kind !== 'fallback') {
      out.action({
        kind: 'commit-status',
        outcome: status.outcome,
        target,
        url: candidate.webUrl,
        detail: status.detail,
      });
      continue;
    }
    if (sourceGitSha !== sourceGitMr.headSha) {
      out.action({
        kind: 'note',
        outcome: 'skipped',
        target,
        url: candidate.webUrl,
        detail: 'the tested commit is no longer the head of the source-git MR',
      });
      continue;
    }
    const note = await reportAsNote(deps, sourceGitMr, distGitMr, report, dryRun);
    out.action({ kind: 'note', outcome: note.outcome, target, url: candidate.webUrl, detail: note.detail });
  }
  const reported = out.actions.map((action) => `${action.detail ?? action.outcome}`).join('; ');
  return out.done(
    `dist-git MR ${distGitPath}!${distGitMr.iid}: ${reported === '' ? 'nothing to report' : reported}`,
  );
}

/** What one report is. */
interface Report {
  readonly sourceGitSha: string;
  readonly pipeline: Candidate;
  readonly state: 'pending' | 'running' | 'success' | 'failed';
  readonly final: boolean;
  readonly description: string;
}

type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'planned';

/** Whether `report` may replace what was reported before (pipeline `previousId` in `previousState`). */
function supersedes(
  report: Report,
  previousId: number | null,
  previousState: string,
): 'write' | 'same' | 'stale' {
  if (previousId === null) return 'write';
  if (previousId > report.pipeline.id) return 'stale';
  if (previousId < report.pipeline.id) return 'write';
  if (previousState === report.state) return 'same';
  // The same pipeline: a status read from the forge is its truth (a retried pipeline runs
  // again); a status taken from a late event must not move the report backwards.
  if (!report.pipeline.current && stateRank(report.state) < stateRank(previousState)) return 'stale';
  return 'write';
}

/** Sets the commit status, or says the bot may not (`fallback`). */
async function reportAsCommitStatus(
  deps: EventWorkflowDeps,
  sourceGitMr: ForgeMergeRequest,
  report: Report,
  dryRun: boolean,
): Promise<{ kind: 'done'; outcome: WriteOutcome; detail: string } | { kind: 'fallback' }> {
  const { forge, config } = deps;
  const where = { ref: sourceGitMr.sourceBranch, name: config.statusCheckName };
  try {
    const existing = (
      await forge.listCommitStatuses(sourceGitMr.sourceProjectId, report.sourceGitSha, where)
    )[0];
    const verdict =
      existing === undefined
        ? 'write'
        : supersedes(report, pipelineIdFromUrl(existing.targetUrl), existing.status);
    if (verdict === 'same')
      return { kind: 'done', outcome: 'unchanged', detail: `${report.state} (already)` };
    if (verdict === 'stale') {
      return { kind: 'done', outcome: 'skipped', detail: `${report.state} (older than the status reported)` };
    }
    if (dryRun) return { kind: 'done', outcome: 'planned', detail: report.state };
    const set = await forge.setCommitStatus({
      project: sourceGitMr.sourceProjectId,
      sha: report.sourceGitSha,
      state: report.state,
      name: config.statusCheckName,
      ref: sourceGitMr.sourceBranch,
      targetUrl: report.pipeline.webUrl,
      description: report.description,
    });
    return {
      kind: 'done',
      outcome: set.outcome === 'set' ? (existing === undefined ? 'created' : 'updated') : 'unchanged',
      detail: report.state,
    };
  } catch (error) {
    if (isForgeError(error, 'permission', 'not-found')) return { kind: 'fallback' };
    throw error;
  }
}

/** Ensures the one CI note on the source-git MR (created only on a final state). */
async function reportAsNote(
  deps: EventWorkflowDeps,
  sourceGitMr: ForgeMergeRequest,
  distGitMr: ForgeMergeRequest,
  report: Report,
  dryRun: boolean,
): Promise<{ outcome: WriteOutcome; detail: string }> {
  const { forge, config } = deps;
  const bot = await forge.getCurrentUser();
  const notes = await forge.listNotes(sourceGitMr.projectId, sourceGitMr.iid);
  const mine = notes.find(
    (note) =>
      !note.system &&
      note.authorUsername === bot.username &&
      endsWithMarker(note.body, DIST_GIT_CI_NOTE_MARKER),
  );
  const previous = mine === undefined ? null : parseDistGitCiNoteState(mine.body);
  if (previous !== null && previous.sourceGitSha === report.sourceGitSha) {
    const verdict = supersedes(report, previous.pipelineId, previous.state);
    if (verdict === 'same') return { outcome: 'unchanged', detail: `${report.state} (already, in the note)` };
    if (verdict === 'stale') return { outcome: 'skipped', detail: `${report.state} (older than the note)` };
  }
  if (mine === undefined && !report.final) {
    return { outcome: 'skipped', detail: `${report.state} (the note is created on a final state)` };
  }
  if (dryRun) return { outcome: 'planned', detail: `${report.state} (note)` };
  const ensured = await forge.ensureStickyNote({
    project: sourceGitMr.projectId,
    mrIid: sourceGitMr.iid,
    marker: DIST_GIT_CI_NOTE_MARKER,
    body: renderDistGitCiNote({
      checkName: config.statusCheckName,
      pipelineId: report.pipeline.id,
      pipelineUrl: report.pipeline.webUrl,
      state: report.state,
      sourceGitSha: report.sourceGitSha,
      distGitMr: { iid: distGitMr.iid, webUrl: distGitMr.webUrl },
      description: report.description,
      updatedAt: deps.clock(),
    }),
    createOnlyIf: report.final,
  });
  return { outcome: ensured.outcome, detail: `${report.state} (note)` };
}

/** The dist-git MR a pipeline ran for, or `null` when it ran for none the bot can find. */
async function findDistGitMergeRequest(
  event: DistGitMrPipelineChanged,
  deps: EventWorkflowDeps,
  botUsername: string,
): Promise<ForgeMergeRequest | null> {
  const { forge } = deps;
  if (event.mergeRequest !== null) {
    try {
      return await forge.getMergeRequest(event.mergeRequest.targetProjectId, event.mergeRequest.iid);
    } catch (error) {
      if (isForgeError(error, 'not-found', 'permission')) return null;
      throw error;
    }
  }
  // The forge omitted the MR (docs/bot-behaviour.md §6.8): the bot's MRs come from `…-src-<iid>` branches.
  if (!/-src-\d+$/.test(event.pipeline.ref)) return null;
  const project = await forge.getProject(event.pipeline.project.id);
  const target = project.forkedFrom?.id ?? project.id;
  const candidates = await forge.findMergeRequests(target, {
    state: 'all',
    sourceBranch: event.pipeline.ref,
    authorUsername: botUsername,
    sourceProjectId: project.id,
  });
  return candidates.find((mr) => mr.state === 'opened') ?? candidates[0] ?? null;
}

function fromForge(pipeline: ForgePipeline): Omit<Candidate, 'detailedStatus' | 'message'> {
  return {
    id: pipeline.id,
    projectId: pipeline.projectId,
    sha: pipeline.sha,
    status: pipeline.status,
    webUrl: pipeline.webUrl,
    current: true,
  };
}
