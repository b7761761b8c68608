/**
 * @module
 * `syncSourceGitMergeRequest`: a source-git MR (opened, updated with new commits, reopened, or
 * found unpaired) → its dist-git MR (docs/bot-behaviour.md §1.A, §1.B code updates).
 */
import type { SourceGitConfig, UpdateDistGitPlan, UpdateDistGitResult } from '@srcgit/dist-git-converter';
import { distGitProjectPath, findMapping } from '../config/find-mapping';
import type { MergeRequestSnapshot } from '../events/event-refs';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ForgeProject } from '../forge/forge-types';
import { findPairing } from '../pairing/find-pairing';
import { forkBranchName } from '../pairing/fork-branch-name';
import {
  renderDistGitCommitMessage,
  renderDistGitMrDescription,
  renderDistGitMrTitle,
} from '../templates/dist-git-texts';
import {
  DIST_GIT_MR_NOTE_MARKER,
  problemNoteMarker,
  sourceGitMrMarker,
  withSourceGitMrMarker,
} from '../templates/markers';
import {
  renderConfigProblemNote,
  renderDistGitMrNote,
  renderMissingBranchNote,
  renderSyncFailedNote,
} from '../templates/source-git-notes';
import { isUserActionableError } from './classify-workflow-error';
import { findNewerDistGitVersion } from './find-newer-dist-git-version';
import { readPackageConfig } from './read-package-config';
import { OutcomeBuilder } from './outcome-builder';
import { LOOP_GUARD_PREFIX } from './loop-guard';
import type { WorkflowDeps, WorkflowOptions } from './workflow-deps';
import type { WorkflowOutcome } from './workflow-outcome';
import { refreshMergeRequest } from './refresh-merge-request';

/** The events that ask for a sync: any event carrying the source-git MR as it was. */
export interface SyncTrigger {
  readonly mergeRequest: MergeRequestSnapshot;
}

/**
 * Brings the dist-git MR of a source-git MR in line with the MR's current head: reads
 * `.distro/source-git.yaml` at the head, converts it with the converter on top of the dist-git
 * branch, force-pushes the one resulting commit to the bot's fork branch `<dg-branch>-src-<iid>`,
 * ensures the dist-git MR (adopting an existing one: never two) and the one sticky note on the
 * source-git MR that links it and shows the conversion plan. Every step is an "ensure": running
 * it again for the same head writes nothing, and a run interrupted anywhere heals on the next run.
 *
 * Ignored (no writes): the bot's own `Sync from dist-git` MRs, MRs no mapping handles, MRs no
 * longer open, and MRs whose dist-git MR is already merged. User-fixable problems (missing or
 * invalid configuration, missing dist-git repository or branch, a conversion the converter
 * refuses) end as a `user-error` outcome with one explanatory note per head (or branch), never a
 * retry. Forge and git transport failures are thrown for the caller to retry.
 *
 * @example
 * ```ts
 * const outcome = await syncSourceGitMergeRequest(event, { forge, workspace, converter, config, clock, logger });
 * outcome.result; // 'created'
 * outcome.distGitMr?.webUrl; // 'https://gitlab.com/redhat/centos-stream/rpms/beer/-/merge_requests/7'
 * ```
 */
export async function syncSourceGitMergeRequest(
  event: SyncTrigger,
  deps: WorkflowDeps,
  options: WorkflowOptions = {},
): Promise<WorkflowOutcome> {
  const { forge, config, logger } = deps;
  const dryRun = options.dryRun === true;
  const snapshot = event.mergeRequest;
  const out = new OutcomeBuilder('sync-source-git-merge-request', snapshot, dryRun);

  if (snapshot.title.startsWith(LOOP_GUARD_PREFIX)) {
    return out.ignored('loop-guard', `the bot's own "${LOOP_GUARD_PREFIX}" merge request`);
  }
  const mapping = findMapping(config, snapshot.project.path, snapshot.targetBranch);
  if (mapping === null) {
    return out.ignored(
      'not-handled',
      `no mapping handles ${snapshot.project.path} → ${snapshot.targetBranch}`,
    );
  }

  // The event may be old (queued behind others): act on the MR as it is now.
  const { mr, current } = await refreshMergeRequest(forge, snapshot);
  out.setSourceGitMr(mr);
  if (mr.state !== 'opened') return out.ignored('not-open', `the source-git MR is ${mr.state}`);
  if (mr.title.startsWith(LOOP_GUARD_PREFIX)) {
    return out.ignored('loop-guard', `the bot's own "${LOOP_GUARD_PREFIX}" merge request`);
  }
  const currentMapping = findMapping(config, mr.project.path, mr.targetBranch);
  if (currentMapping === null) {
    return out.ignored('not-handled', `no mapping handles ${mr.project.path} → ${mr.targetBranch}`);
  }

  const notes = problemNotes(deps, out, mr, dryRun);

  // Preconditions that the contributor or the packagers must fix.
  const lookup = await readPackageConfig(forge, {
    sourceProjectId: current.sourceProjectId,
    targetProjectId: mr.project.id,
    headSha: mr.headSha,
    configPath: config.packageConfigPath,
  });
  if (!lookup.ok) {
    const code = lookup.problem === 'missing' ? 'CONFIG_MISSING' : 'CONFIG_INVALID';
    await notes.ensure(
      problemNoteMarker('config', mr.headSha),
      renderConfigProblemNote({
        configPath: config.packageConfigPath,
        headSha: mr.headSha,
        problem: lookup.problem,
        detail: lookup.detail,
      }),
    );
    return out.userError(code, lookup.detail);
  }

  const distGitBranch = mr.targetBranch;
  const distGitPath = distGitProjectPath(currentMapping, lookup.packageName);
  let distGit: ForgeProject;
  try {
    distGit = await forge.getProject(distGitPath);
  } catch (error) {
    if (!isForgeError(error, 'not-found')) throw error;
    await notes.ensure(
      problemNoteMarker('dist-git-missing', distGitPath),
      `Can't create a dist-git MR for this contribution: the dist-git repo \`${distGitPath}\` does not exist (or the bot cannot see it).`,
    );
    return out.userError('DIST_GIT_PROJECT_MISSING', `dist-git repository ${distGitPath} does not exist`);
  }
  if ((await forge.getBranch(distGit.id, distGitBranch)) === null) {
    await notes.ensure(
      problemNoteMarker('dist-git-branch-missing', `${distGit.id}:${distGitBranch}`),
      renderMissingBranchNote({
        distGitBranch,
        distGitProject: distGit.path,
        distGitProjectUrl: distGit.webUrl,
      }),
    );
    return out.userError(
      'DIST_GIT_BRANCH_MISSING',
      `branch ${distGitBranch} does not exist in dist-git repo ${distGit.path}`,
    );
  }

  const forkBranch = forkBranchName(config.forkBranchTemplate, distGitBranch, mr.iid);
  const pairing = await findPairing(
    {
      sourceGit: { projectId: mr.project.id, iid: mr.iid, webUrl: mr.url },
      distGitProject: distGit.id,
      forkBranch,
    },
    deps,
  );
  if (pairing !== null) out.setDistGitMr(pairing.distGitMr, distGit.path);
  if (pairing?.distGitMr.state === 'merged') {
    return out.ignored('dist-git-mr-merged', `dist-git MR !${pairing.distGitMr.iid} is already merged`);
  }

  const texts = {
    title: mr.title,
    description: mr.description,
    sourceGitMrUrl: mr.url,
    addRunPipelineHint: currentMapping.addRunPipelineHint,
  };
  const job = await deps.workspace.openJob(
    `sg-${mr.project.id}-${mr.iid}`,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  try {
    const sourceGitProject = await forge.getProject(mr.project.id);
    const sourceGit = await job.checkoutSourceGit({
      cacheKey: `sg-${mr.project.id}`,
      remote: { url: await forge.gitRemoteUrl(sourceGitProject) },
      ref: `refs/merge-requests/${mr.iid}/head`,
      tags: true,
      ...sparseCheckout(lookup.config, config.packageConfigPath, mr.headSha),
    });
    if (sourceGit.headSha !== mr.headSha) {
      logger.info('the source-git MR moved on since it was read; converting its newest head', {
        expected: mr.headSha,
        fetched: sourceGit.headSha,
      });
    }
    const headSha = sourceGit.headSha;
    out.setHeadSha(headSha);
    logger.debug('source-git checked out', { headSha, sparse: sourceGit.sparse, dir: sourceGit.dir });
    const distGitCheckout = await job.checkoutDistGit({
      cacheKey: `dg-${distGit.id}`,
      remote: { url: await forge.gitRemoteUrl(distGit) },
      branch: distGitBranch,
      identity: { name: config.git.authorName, email: config.git.authorEmail },
    });

    const newer = await findNewerDistGitVersion({
      git: job.git,
      sourceGit: { dir: sourceGit.dir, commit: headSha, path: lookup.config.specfilePath },
      distGit: {
        dir: distGitCheckout.dir,
        commit: distGitCheckout.headSha,
        path: `${lookup.packageName}.spec`,
      },
      ...(config.limits === undefined ? {} : { maxSpecBytes: config.limits.maxSpecBytes }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (newer.kind === 'unchecked') {
      logger.info('dist-git and source-git versions not compared; the conversion checks the spec', {
        reason: newer.reason,
      });
    }
    if (newer.kind === 'newer') {
      const message = `dist-git branch ${distGitBranch} of ${distGit.path} has version ${newer.distGitVersion}, newer than ${newer.sourceGitVersion} in ${lookup.config.specfilePath} of this merge request: rebase the source-git branch onto the newer version first`;
      await notes.ensure(
        problemNoteMarker('dist-git-newer', `${headSha}:${distGitCheckout.headSha}`),
        `Can't update the dist-git MR: ${message}.`,
      );
      return out.userError('DIST_GIT_NEWER', message);
    }

    let result: UpdateDistGitResult;
    try {
      result = await deps.converter.updateDistGit({
        sourceGitDir: sourceGit.dir,
        distGitDir: distGitCheckout.dir,
        message: renderDistGitCommitMessage(texts),
        configPath: config.packageConfigPath,
        git: job.git,
        now: deps.clock,
        ...(config.limits === undefined ? {} : { limits: config.limits }),
        ...(dryRun ? { dryRun: true } : {}),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      if (!isUserActionableError(error)) throw error;
      await notes.ensure(
        problemNoteMarker('sync-failed', headSha),
        renderSyncFailedNote({ headSha, code: error.code, message: error.message }),
      );
      return out.userError(error.code, error.message);
    }
    const plan: UpdateDistGitPlan = result.plan;
    out.setPlan(plan);

    const title = renderDistGitMrTitle(texts);
    const description = renderDistGitMrDescription(texts);
    const marker = sourceGitMrMarker(mr.project.id, mr.iid);

    if (dryRun) {
      const branch = pairing?.distGitMr.sourceBranch ?? forkBranch;
      out.action({
        kind: 'fork',
        outcome: 'planned',
        target: `fork of ${distGit.path}`,
        url: null,
        detail: null,
      });
      out.action({
        kind: 'push',
        outcome: 'planned',
        target: `fork:${branch}`,
        url: null,
        detail: result.summary,
      });
      out.action({
        kind: 'merge-request',
        outcome: pairing === null ? 'planned' : 'unchanged',
        target: pairing === null ? `${distGit.path} ← ${branch}` : `${distGit.path}!${pairing.distGitMr.iid}`,
        url: pairing?.distGitMr.webUrl ?? null,
        detail: pairing === null ? `would create "${title}"` : null,
      });
      out.action({
        kind: 'note',
        outcome: 'planned',
        target: `${mr.project.path}!${mr.iid}`,
        url: null,
        detail: 'dist-git MR note',
      });
      return out.done(result.summary);
    }

    // The fork branch: the paired MR's own branch when there is one (never recomputed, so a
    // changed template or a legacy versioned branch keeps its MR), else `<dg-branch>-src-<iid>`.
    let fork: ForgeProject;
    let branch: string;
    if (pairing !== null) {
      fork = await forge.getProject(pairing.distGitMr.sourceProjectId);
      branch = pairing.distGitMr.sourceBranch;
    } else {
      fork = await forge.ensureFork(
        distGit.id,
        config.forkNamespace === undefined ? {} : { namespace: config.forkNamespace },
      );
      out.action({ kind: 'fork', outcome: 'ensured', target: fork.path, url: fork.webUrl, detail: null });
      branch = forkBranch;
    }
    const pushed = await job.pushBranch({
      dir: distGitCheckout.dir,
      remote: { url: await forge.gitRemoteUrl(fork) },
      branch,
    });
    out.action({
      kind: 'push',
      outcome: pushed.outcome === 'pushed' ? 'updated' : 'unchanged',
      target: `${fork.path}:${branch}`,
      url: null,
      detail: pushed.sha,
    });

    let distGitMr: ForgeMergeRequest;
    if (pairing !== null) {
      distGitMr = pairing.distGitMr;
      if (distGitMr.targetBranch !== distGitBranch) {
        distGitMr = await forge.updateMergeRequest(distGit.id, distGitMr.iid, {
          targetBranch: distGitBranch,
        });
        out.action({
          kind: 'merge-request-metadata',
          outcome: 'updated',
          target: `${distGit.path}!${distGitMr.iid}`,
          url: distGitMr.webUrl,
          detail: `target branch ${distGitBranch}`,
        });
      }
    } else {
      const ensured = await forge.ensureMergeRequest({
        sourceProject: fork.id,
        sourceBranch: branch,
        targetProject: distGit.id,
        targetBranch: distGitBranch,
        title,
        description,
        marker,
      });
      distGitMr = ensured.mergeRequest;
      out.action({
        kind: 'merge-request',
        outcome: ensured.outcome === 'created' ? 'created' : 'unchanged',
        target: `${distGit.path}!${distGitMr.iid}`,
        url: distGitMr.webUrl,
        detail: null,
      });
      const marked = withSourceGitMrMarker(distGitMr.description, mr.project.id, mr.iid);
      if (ensured.outcome === 'found' && marked !== distGitMr.description) {
        // An adopted MR without the marker as its last line: mark it, so that later lookups find it.
        distGitMr = await forge.updateMergeRequest(distGit.id, distGitMr.iid, { description: marked });
      }
      await deps.pairingCache?.set(mr.project.id, mr.iid, {
        distGitProjectId: distGitMr.projectId,
        distGitMrIid: distGitMr.iid,
      });
    }
    out.setDistGitMr(distGitMr, distGit.path);

    const note = await forge.ensureStickyNote({
      project: mr.project.id,
      mrIid: mr.iid,
      marker: DIST_GIT_MR_NOTE_MARKER,
      body: renderDistGitMrNote({
        distGitMr: { iid: distGitMr.iid, webUrl: distGitMr.webUrl, state: distGitMr.state },
        sourceGitHead: headSha,
        plan,
      }),
    });
    out.action({
      kind: 'note',
      outcome: note.outcome === 'skipped' ? 'skipped' : note.outcome,
      target: `${mr.project.path}!${mr.iid}`,
      url: null,
      detail: 'dist-git MR note',
    });
    return out.done(`dist-git MR ${distGit.path}!${distGitMr.iid}: ${result.summary}`);
  } finally {
    await job.dispose();
  }
}

/** Writes problem notes on the source-git MR (once per marker), or records them in a dry run. */
function problemNotes(deps: WorkflowDeps, out: OutcomeBuilder, mr: MergeRequestSnapshot, dryRun: boolean) {
  return {
    async ensure(marker: string, body: string): Promise<void> {
      if (dryRun) {
        out.action({
          kind: 'note',
          outcome: 'planned',
          target: `${mr.project.path}!${mr.iid}`,
          url: null,
          detail: body,
        });
        return;
      }
      const note = await deps.forge.ensureStickyNote({ project: mr.project.id, mrIid: mr.iid, marker, body });
      out.action({
        kind: 'note',
        outcome: note.outcome === 'skipped' ? 'skipped' : note.outcome,
        target: `${mr.project.path}!${mr.iid}`,
        url: null,
        detail: body.split('\n')[0] ?? null,
      });
    },
  };
}

/**
 * What the converter reads from the source-git working tree — the configuration, the spec and the
 * `files_to_sync` sources — so that only those are checked out (patches come from git objects).
 * A monorepo configuration (`paths`) gets a full checkout.
 */
function sparseCheckout(
  packageConfig: SourceGitConfig,
  configPath: string,
  headSha: string,
): { sparsePaths?: readonly string[]; sparseFor?: string } {
  if (!packageConfig.paths.every((path) => path === './' || path === '.')) return {};
  return {
    sparsePaths: [
      configPath,
      packageConfig.specfilePath,
      ...packageConfig.filesToSync.flatMap((item) => item.src),
    ],
    sparseFor: headSha,
  };
}
