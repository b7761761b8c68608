/**
 * @module
 * `syncDistGitPush`: a push to a dist-git branch → one "Sync from dist-git" MR on source-git
 * (docs/bot-behaviour.md §1.E, §6.20).
 */
import { isConverterError } from '@srcgit/dist-git-converter';
import type { UpdateSourceGitResult } from '@srcgit/dist-git-converter';
import type { NamespaceMapping } from '../config/service-config';
import type { DistGitPushed } from '../events/dist-git-push-event';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ForgeProject } from '../forge/forge-types';
import { appendMarker, endsWithMarker, problemNoteMarker } from '../templates/markers';
import type { EventOutcome, EventWorkflowDeps } from './event-outcome';
import { EventOutcomeBuilder } from './event-outcome-builder';
import { LOOP_GUARD_PREFIX } from './loop-guard';
import type { WorkflowOptions } from './workflow-deps';
import { withGitIdentity } from './with-git-identity';

/** The branch of the bot's source-git fork that carries the commits brought over from `branch`. */
export function distGitSyncBranch(branch: string): string {
  return `dist-git-sync/${branch}`;
}

/** The hidden identity of the "Sync from dist-git" MR of a dist-git project's branch. */
export function distGitSyncMarker(distGitProjectId: number, branch: string): string {
  return `<!-- srcgit: dist-git-sync ${distGitProjectId}:${branch} -->`;
}

/** Path of the bot's source-git fork inside its namespace (apart from its dist-git fork of the same name). */
export function sourceGitForkPath(packageName: string): string {
  return `${packageName}-source-git`;
}

/** Converter failures that a dist-git change itself causes: explained on source-git, not retried. */
const REFUSALS = new Set([
  'OUT_OF_SYNC',
  'UNSUPPORTED_CHANGE',
  'PATCH_APPLY_FAILED',
  'SYNC_MARKER_MISSING',
  'SYNC_MARKER_INVALID',
  'CONFIG_MISSING',
  'CONFIG_INVALID',
  'SPEC_INVALID',
]);

/**
 * Brings a dist-git branch's new commits into source-git. Runs when a push to a branch of a
 * dist-git project in a mapping's `distGitNamespace` (and matching its `branches`) has a
 * source-git counterpart — the project of the same name in the mapping's `sourceGitNamespace`,
 * with the same branch. The converter's `updateSourceGit` rebuilds the unsynced dist-git commits
 * on top of the source-git branch (patch-aware: an edited patch file becomes a fix-up of its
 * source-git commit, an added one a code commit, a removed one a revert); the result is pushed to
 * the bot's source-git fork branch `dist-git-sync/<branch>` and offered in one "Sync from
 * dist-git" MR, reused (and its description refreshed) across pushes. Re-running for the same
 * dist-git head writes nothing (commits are dated by that head).
 *
 * What stops a sync loop is git, not the payload: a dist-git commit the converter made carries
 * `From-source-git-commit` trailers, so `updateSourceGit` (which reads both histories from git)
 * finds nothing to bring back from it, whoever the payload says pushed it. The `pusher` check
 * below is only a shortcut: a forged `pusher` can make the bot skip one push (the next push brings
 * its commits too), never make it loop — and the bot never pushes to a mapped dist-git branch
 * itself (only to its forks, which no mapping handles).
 *
 * Ignored: the bot's own pushes, projects outside the mappings (e.g. forks), branches without a
 * source-git counterpart, and a dist-git branch already in sync. A change that cannot be brought
 * back (the converter refuses it) ends as `user-error`, explained once per dist-git head in a note
 * on the open sync MR — or, when there is none, in a comment on the source-git branch's head
 * commit. Repositories without any synchronisation point (no trailers) are ignored with a warning.
 *
 * @example
 * ```ts
 * const outcome = await syncDistGitPush(event, deps);
 * outcome.sourceGitMr?.webUrl; // 'https://gitlab.com/redhat/centos-stream/src/beer/-/merge_requests/12'
 * ```
 */
export async function syncDistGitPush(
  event: DistGitPushed,
  deps: EventWorkflowDeps,
  options: WorkflowOptions = {},
): Promise<EventOutcome> {
  const { forge, config, logger } = deps;
  const dryRun = options.dryRun === true;
  const out = new EventOutcomeBuilder('sync-dist-git-push', `${event.project.path}:${event.branch}`);

  const bot = await forge.getCurrentUser();
  if (event.pusher.username === bot.username) return out.ignored('own-push', "the bot's own push");
  const mapping = findDistGitMapping(config.mappings, event.project.path, event.branch);
  if (mapping === null) {
    return out.ignored('not-handled', `no mapping handles dist-git ${event.project.path} → ${event.branch}`);
  }
  const packageName = event.project.path.slice(event.project.path.lastIndexOf('/') + 1);
  const sourceGitPath = `${mapping.sourceGitNamespace}/${packageName}`;
  let sourceGit: ForgeProject;
  try {
    sourceGit = await forge.getProject(sourceGitPath);
  } catch (error) {
    if (!isForgeError(error, 'not-found')) throw error;
    return out.ignored('no-source-git', `source-git project ${sourceGitPath} does not exist`);
  }
  if ((await forge.getBranch(sourceGit.id, event.branch)) === null) {
    return out.ignored('no-source-git-branch', `source-git ${sourceGitPath} has no branch ${event.branch}`);
  }
  const distGit = await forge.getProject(event.project.id);
  const marker = distGitSyncMarker(distGit.id, event.branch);
  const openSyncMr = async (): Promise<ForgeMergeRequest | null> => {
    const found = await forge.findMergeRequests(sourceGit.id, {
      state: 'opened',
      targetBranch: event.branch,
      authorUsername: bot.username,
      descriptionContains: marker,
    });
    return found.find((mr) => endsWithMarker(mr.description, marker)) ?? null;
  };

  const job = await deps.workspace.openJob(`dg-${distGit.id}-${event.branch}`);
  try {
    const distGitCheckout = await job.checkoutDistGit({
      cacheKey: `dg-${distGit.id}`,
      remote: { url: await forge.gitRemoteUrl(distGit) },
      branch: event.branch,
      identity: { name: config.git.authorName, email: config.git.authorEmail },
    });
    const sourceGitCheckout = await job.checkoutSourceGit({
      cacheKey: `sg-${sourceGit.id}`,
      remote: { url: await forge.gitRemoteUrl(sourceGit) },
      ref: `refs/heads/${event.branch}`,
      // update-source-git may need the upstream ref: a patch edited in dist-git is found among the
      // source-git commits of the series, which starts at upstream_ref (usually a tag).
      tags: true,
    });
    // Commits are dated by the dist-git head, so that a re-run builds the very same commits.
    const headDate = (
      await job.git.text(['show', '-s', '--format=%cI', 'HEAD'], { cwd: distGitCheckout.dir })
    ).trim();

    let result: UpdateSourceGitResult;
    try {
      result = await deps.converter.updateSourceGit({
        distGitDir: distGitCheckout.dir,
        sourceGitDir: sourceGitCheckout.dir,
        git: withGitIdentity(job.git, { name: config.git.authorName, email: config.git.authorEmail }),
        clock: () => new Date(headDate),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      if (!isConverterError(error) || !REFUSALS.has(error.code)) throw error;
      if (error.code === 'SYNC_MARKER_MISSING') {
        // Never synchronised by srcgit (no trailers on either side): nothing to bring back from.
        logger.warn('dist-git and source-git have no synchronisation point; the push is not brought back', {
          distGit: distGit.path,
          branch: event.branch,
          message: error.message,
        });
        return out.ignored('no-sync-point', error.message.split('\n')[0] ?? error.code);
      }
      await explainRefusal(deps, out, {
        sourceGit,
        distGit,
        branch: event.branch,
        distGitHead: distGitCheckout.headSha,
        sourceGitHead: sourceGitCheckout.headSha,
        syncMr: await openSyncMr(),
        code: error.code,
        message: error.message,
        dryRun,
      });
      return out.userError(error.code, error.message);
    }
    if (result.outcome === 'up-to-date') {
      return out.ignored(
        'in-sync',
        `source-git ${sourceGit.path}:${event.branch} already has every dist-git commit`,
      );
    }
    const made = result.commits.flatMap((commit) => commit.sourceGitCommits);
    if (made.length === 0) {
      return out.ignored('nothing-to-bring', `the new dist-git commits change nothing source-git keeps`);
    }

    const branch = distGitSyncBranch(event.branch);
    const description = renderSyncDescription(distGit, event.branch, distGitCheckout.headSha, result);
    if (dryRun) {
      out.action({
        kind: 'push',
        outcome: 'planned',
        target: `fork:${branch}`,
        url: null,
        detail: result.message,
      });
      out.action({
        kind: 'merge-request',
        outcome: 'planned',
        target: `${sourceGit.path} ← ${branch}`,
        url: null,
        detail: LOOP_GUARD_PREFIX,
      });
      return out.done(result.message);
    }
    const fork = await forge.ensureFork(sourceGit.id, {
      ...(config.forkNamespace === undefined ? {} : { namespace: config.forkNamespace }),
      path: sourceGitForkPath(packageName),
    });
    out.action({ kind: 'fork', outcome: 'ensured', target: fork.path, url: fork.webUrl, detail: null });
    const pushed = await job.pushBranch({
      dir: sourceGitCheckout.dir,
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
    const ensured = await forge.ensureMergeRequest({
      sourceProject: fork.id,
      sourceBranch: branch,
      targetProject: sourceGit.id,
      targetBranch: event.branch,
      title: LOOP_GUARD_PREFIX,
      description,
      marker,
      adopt: 'open',
    });
    let mr = ensured.mergeRequest;
    if (ensured.outcome === 'found') {
      const wanted = appendMarker(description, marker);
      if (mr.description !== wanted)
        mr = await forge.updateMergeRequest(sourceGit.id, mr.iid, { description: wanted });
    }
    out.action({
      kind: 'merge-request',
      outcome: ensured.outcome === 'created' ? 'created' : 'unchanged',
      target: `${sourceGit.path}!${mr.iid}`,
      url: mr.webUrl,
      detail: LOOP_GUARD_PREFIX,
    });
    out.setSourceGitMr({ projectPath: sourceGit.path, iid: mr.iid, webUrl: mr.webUrl, state: mr.state });
    return out.done(`"${LOOP_GUARD_PREFIX}" MR ${sourceGit.path}!${mr.iid}: ${result.message}`);
  } finally {
    await job.dispose();
  }
}

/** The mapping whose dist-git namespace holds `distGitProjectPath` and whose branches match. */
function findDistGitMapping(
  mappings: readonly NamespaceMapping[],
  distGitProjectPath: string,
  branch: string,
): NamespaceMapping | null {
  const namespace = distGitProjectPath.slice(0, Math.max(0, distGitProjectPath.lastIndexOf('/')));
  return (
    mappings.find(
      (mapping) =>
        mapping.distGitNamespace === namespace && new RegExp(`^(?:${mapping.branches})$`).test(branch),
    ) ?? null
  );
}

/**
 * Explains a refused dist-git change on source-git, once per dist-git head: in a note on the open
 * "Sync from dist-git" MR, or — when there is none — in a comment on the source-git branch's head
 * commit.
 */
async function explainRefusal(
  deps: EventWorkflowDeps,
  out: EventOutcomeBuilder,
  input: {
    readonly sourceGit: ForgeProject;
    readonly distGit: ForgeProject;
    readonly branch: string;
    readonly distGitHead: string;
    readonly sourceGitHead: string;
    readonly syncMr: ForgeMergeRequest | null;
    readonly code: string;
    readonly message: string;
    readonly dryRun: boolean;
  },
): Promise<void> {
  const { forge } = deps;
  const { sourceGit, distGit, syncMr } = input;
  const body = [
    `The dist-git commits pushed to \`${input.branch}\` of [${distGit.path}](${distGit.webUrl}) (up to ${input.distGitHead}) cannot be brought into source-git automatically (\`${input.code}\`):`,
    '',
    '```',
    input.message,
    '```',
    '',
    'Bring the change over by hand (e.g. `srcgit update-source-git`), or fix dist-git.',
  ].join('\n');
  const marker = problemNoteMarker('dist-git-sync', input.distGitHead);
  const target =
    syncMr === null
      ? `${sourceGit.path}@${input.sourceGitHead.slice(0, 12)}`
      : `${sourceGit.path}!${syncMr.iid}`;
  if (input.dryRun) {
    out.action({ kind: 'note', outcome: 'planned', target, url: syncMr?.webUrl ?? null, detail: body });
    return;
  }
  const outcome =
    syncMr === null
      ? (await forge.ensureCommitComment({ project: sourceGit.id, sha: input.sourceGitHead, marker, body }))
          .outcome
      : (await forge.ensureStickyNote({ project: sourceGit.id, mrIid: syncMr.iid, marker, body })).outcome;
  out.action({
    kind: 'note',
    outcome,
    target,
    url: syncMr?.webUrl ?? null,
    detail: body.split('\n')[0] ?? null,
  });
}

/** The sync MR's description: what is brought over, then the newest dist-git commit's body. */
function renderSyncDescription(
  distGit: ForgeProject,
  branch: string,
  headSha: string,
  result: UpdateSourceGitResult,
): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const lines = [
    `Dist-git branch \`${branch}\` of [${distGit.path}](${distGit.webUrl}) has commits that source-git does not have yet (up to ${headSha}). This merge request brings them over; each source-git commit names its dist-git commit in a \`From-dist-git-commit\` trailer.`,
    '',
    '| dist-git commit | subject | source-git commits |',
    '| --- | --- | --- |',
    ...result.commits.map(
      (commit) =>
        `| ${commit.distGitCommit.slice(0, 12)} | ${cell(commit.subject)} | ${
          commit.sourceGitCommits.length === 0
            ? (commit.skipped ?? 'none')
            : commit.sourceGitCommits.map((made) => `${made.sha.slice(0, 12)} (${made.kind})`).join(', ')
        } |`,
    ),
  ];
  return lines.join('\n');
}
