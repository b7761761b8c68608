/**
 * @module
 * `runCommentCommand`: a comment command on a source-git MR (docs/bot-behaviour.md §1.G).
 */
import { parseCommentCommand, renderCommandUsage } from '../commands/comment-command';
import type { CommentCommand } from '../commands/comment-command';
import { findMapping } from '../config/find-mapping';
import type { CommentCommandIssued } from '../events/comment-command-event';
import type { MergeRequestSnapshot } from '../events/event-refs';
import { AccessLevel } from '../forge/access-level';
import { isForgeError } from '../forge/forge-error';
import type { ForgeMergeRequest, ForgeNote } from '../forge/forge-types';
import {
  appendMarker,
  DIST_GIT_MR_NOTE_MARKER,
  endsWithMarker,
  sourceGitMrMarker,
  stripSrcgitMarkers,
} from '../templates/markers';
import { renderDistGitMrNote } from '../templates/source-git-notes';
import type { EventOutcome, EventWorkflowDeps } from './event-outcome';
import { EventOutcomeBuilder } from './event-outcome-builder';
import { LOOP_GUARD_PREFIX } from './loop-guard';
import { resolvePairedMergeRequest } from './resolve-paired-merge-request';
import { syncSourceGitMergeRequest } from './sync-source-git-merge-request';
import { toMergeRequestSnapshot } from './to-merge-request-snapshot';
import type { WorkflowOptions } from './workflow-deps';

/** The marker of the bot's reply to the command in note `noteId` (one reply per command). */
export function commandReplyMarker(noteId: number): string {
  return `<!-- srcgit: command-reply ${noteId} -->`;
}

/** The marker a dist-git MR re-created by the command in note `noteId` carries. */
function recreatedMarker(noteId: number): string {
  return `<!-- srcgit: recreated-for-note ${noteId} -->`;
}

const SUPERSEDED_MARKER = '<!-- srcgit: superseded -->';

/**
 * Runs the command in a comment on a source-git MR: `help`, `update-dist-git` (re-sync now),
 * `update-dist-git --recreate` (close the dist-git MR with a "superseded by" note and open a fresh
 * one), `retest` (a new pipeline on the dist-git MR) and `retest-failed` (retry the newest
 * pipeline's failed jobs). A picked-up command gets the bot's `eyes` reaction and one reply
 * (found again by a hidden marker, so a redelivered or retried job does not run it twice).
 * `update-dist-git` needs the MR's author or a Developer of the source-git project; the CI
 * commands need a Developer of the dist-git project — others get a reply explaining why.
 * Unknown commands get the usage text. Commands are read only from plain lines of the comment
 * (never from code blocks, quotes or HTML comments: `markdownPlainLines`).
 *
 * The payload only names the note: the note (its body and author) and the MR (its project,
 * state, source project and branch, head) are read from the forge before anything is decided,
 * and every permission check is taken on the note's real author. A note the forge does not have
 * on that MR in that project is ignored (and logged).
 *
 * Ignored: edited notes, system notes, the bot's own notes, notes without a command, notes the
 * forge does not have on the MR, notes on MRs that are not open, the bot's own `Sync from
 * dist-git` MRs, and MRs no mapping handles.
 *
 * @example
 * ```ts
 * const outcome = await runCommentCommand(event, deps);
 * outcome.actions.map((action) => action.kind); // ['reaction', 'pipeline', 'note']
 * ```
 */
export async function runCommentCommand(
  event: CommentCommandIssued,
  deps: EventWorkflowDeps,
  options: WorkflowOptions = {},
): Promise<EventOutcome> {
  const { forge, config, logger } = deps;
  const snapshot = event.mergeRequest;
  const out = new EventOutcomeBuilder(
    'run-comment-command',
    `${snapshot.project.path}!${snapshot.iid} note ${event.note.id}`,
  );
  if (event.note.system) return out.ignored('system-note', 'a system note');
  if (event.note.action !== 'create') {
    return out.ignored('edited-note', 'an edited note never runs a command');
  }
  // The payload only says where to look: a note it claims has no command is not worth a lookup.
  if (parseCommentCommand(event.note.body, config.commentCommandPrefix) === null) {
    return out.ignored('no-command', `no ${config.commentCommandPrefix} command`);
  }

  // Who wrote what, on which MR: read from the forge, never taken from the payload.
  const verified = await readVerifiedComment(deps, snapshot.project.id, snapshot.iid, event.note.id);
  if (verified === null) {
    logger.warn('a comment command whose note the forge does not have on that merge request; ignored', {
      project: snapshot.project.id,
      mrIid: snapshot.iid,
      noteId: event.note.id,
      claimedAuthor: event.author.username,
    });
    return out.ignored(
      'unverified-note',
      `note ${event.note.id} is not a note of merge request ${snapshot.project.id}!${snapshot.iid}`,
    );
  }
  const { note, author, mr } = verified;
  if (note.system) return out.ignored('system-note', 'a system note');
  const bot = await forge.getCurrentUser();
  if (author.username === bot.username) return out.ignored('own-note', "the bot's own note");
  const parsed = parseCommentCommand(note.body, config.commentCommandPrefix);
  if (parsed === null) return out.ignored('no-command', `no ${config.commentCommandPrefix} command`);

  out.setSourceGitMr({ projectPath: mr.project.path, iid: mr.iid, webUrl: mr.url, state: mr.state });
  if (mr.state !== 'opened') return out.ignored('not-open', `the source-git MR is ${mr.state}`);
  if (mr.title.startsWith(LOOP_GUARD_PREFIX)) {
    return out.ignored('loop-guard', `the bot's own "${LOOP_GUARD_PREFIX}" merge request`);
  }
  if (findMapping(config, mr.project.path, mr.targetBranch) === null) {
    return out.ignored('not-handled', `no mapping handles ${mr.project.path} → ${mr.targetBranch}`);
  }
  const replyMarker = commandReplyMarker(note.id);
  const notes = await forge.listNotes(mr.project.id, mr.iid);
  if (
    notes.some((entry) => entry.authorUsername === bot.username && endsWithMarker(entry.body, replyMarker))
  ) {
    return out.ignored('already-handled', `the command in note ${note.id} was answered already`);
  }

  const reply = async (body: string): Promise<EventOutcome> => {
    // Contributor text (a quoted line, an error message) never carries a marker of the bot's.
    const quoted = stripSrcgitMarkers(`> ${parsed.line}\n\n${body}`);
    if (options.dryRun === true) {
      out.action({
        kind: 'note',
        outcome: 'planned',
        target: `${mr.project.path}!${mr.iid}`,
        url: null,
        detail: body,
      });
    } else {
      const written = await forge.ensureStickyNote({
        project: mr.project.id,
        mrIid: mr.iid,
        marker: replyMarker,
        body: quoted,
      });
      out.action({
        kind: 'note',
        outcome: written.outcome,
        target: `${mr.project.path}!${mr.iid}`,
        url: written.note === null ? null : `${mr.url}#note_${written.note.id}`,
        detail: body.split('\n')[0] ?? null,
      });
    }
    return out.done(`${parsed.line}: ${body.split('\n')[0] ?? ''}`);
  };

  if (parsed.kind === 'invalid') {
    return reply(
      `I did not understand this command (${parsed.problem}).\n\n${renderCommandUsage(config.commentCommandPrefix)}`,
    );
  }
  const { command } = parsed;
  if (options.dryRun !== true) {
    await forge.ensureAwardEmoji(mr.project.id, mr.iid, note.id, 'eyes');
    out.action({
      kind: 'reaction',
      outcome: 'ensured',
      target: `note ${note.id}`,
      url: verified.noteUrl,
      detail: 'eyes',
    });
  }

  switch (command.name) {
    case 'help':
      return reply(renderCommandUsage(config.commentCommandPrefix));
    case 'update-dist-git':
      return updateDistGit(verified, command, deps, options, out, reply);
    case 'retest':
    case 'retest-failed':
      return retest(verified, command, deps, out, reply);
  }
}

/** A comment and its merge request as the forge has them (see {@link readVerifiedComment}). */
interface VerifiedComment {
  readonly note: ForgeNote;
  /** The note's author: the forge's user id and username. */
  readonly author: { readonly id: number | null; readonly username: string };
  /** The merge request as the forge has it now. */
  readonly current: ForgeMergeRequest;
  /** The same, as a snapshot whose every field comes from the forge. */
  readonly mr: MergeRequestSnapshot;
  /** The note's web address, on that merge request. */
  readonly noteUrl: string;
}

/**
 * The note `noteId` of MR `projectId!iid` with its author, and the MR with its project, source
 * project, source branch and head, all read from the forge — what every permission decision of
 * a command is taken on. `null` when the forge has no such note on that MR in that project (a
 * forged or misdirected payload), or cannot tell the MR's head.
 */
async function readVerifiedComment(
  deps: EventWorkflowDeps,
  projectId: number,
  iid: number,
  noteId: number,
): Promise<VerifiedComment | null> {
  const { forge } = deps;
  let note: ForgeNote;
  let current: ForgeMergeRequest;
  try {
    current = await forge.getMergeRequest(projectId, iid);
    note = await forge.getMergeRequestNote(current.projectId, current.iid, noteId);
  } catch (error) {
    if (isForgeError(error, 'not-found', 'permission')) return null;
    throw error;
  }
  if (current.projectId !== projectId || current.iid !== iid || current.headSha === null) return null;
  const mr = await toMergeRequestSnapshot(forge, { ...current, headSha: current.headSha });
  return {
    note,
    author: { id: note.authorId ?? null, username: note.authorUsername },
    current,
    mr,
    noteUrl: `${current.webUrl}#note_${note.id}`,
  };
}

type Reply = (body: string) => Promise<EventOutcome>;

/** May the comment's author run source-git commands on its MR: its author or a Developer there. */
async function maySync(deps: EventWorkflowDeps, comment: VerifiedComment): Promise<boolean> {
  const { author, current } = comment;
  if (author.username === current.authorUsername) return true;
  const level = await deps.forge.getMemberAccessLevel(current.projectId, author.id ?? author.username);
  return level !== null && level >= AccessLevel.developer;
}

async function updateDistGit(
  comment: VerifiedComment,
  command: Extract<CommentCommand, { name: 'update-dist-git' }>,
  deps: EventWorkflowDeps,
  options: WorkflowOptions,
  out: EventOutcomeBuilder,
  reply: Reply,
): Promise<EventOutcome> {
  const { forge } = deps;
  const { mr, author } = comment;
  if (!(await maySync(deps, comment))) {
    return reply(
      `@${author.username}, only the author of this merge request and Developers of ${mr.project.path} may run \`update-dist-git\`.`,
    );
  }
  const synced = await syncSourceGitMergeRequest({ mergeRequest: mr }, deps, options);
  out.workflow(synced);
  if (synced.distGitMr !== null) out.setDistGitMr(synced.distGitMr);
  if (synced.result === 'user-error') {
    return reply(
      `The dist-git merge request could not be updated (\`${synced.error?.code ?? 'error'}\`): ${synced.error?.message.split('\n')[0] ?? ''}`,
    );
  }
  if (synced.result === 'ignored' || synced.distGitMr === null) {
    return reply(`Nothing was synced: ${synced.summary.replace(/^[^:]*: /, '')}.`);
  }
  if (!command.recreate) {
    const link = `[!${synced.distGitMr.iid}](${synced.distGitMr.webUrl})`;
    if (synced.distGitMr.state !== 'opened') {
      return reply(
        `Dist-git MR ${link} is ${synced.distGitMr.state}; its branch was synced with ${synced.sourceGitMr.headSha}. Run \`${deps.config.commentCommandPrefix} update-dist-git --recreate\` to open a fresh one.`,
      );
    }
    return reply(
      synced.result === 'no-op'
        ? `Dist-git MR ${link} is already in sync with ${synced.sourceGitMr.headSha}.`
        : `Dist-git MR ${link} was synced with ${synced.sourceGitMr.headSha}.`,
    );
  }

  // --recreate: close the synced MR, open a fresh one from the same fork branch, re-point.
  const paired = await resolvePairedMergeRequest(mr, comment.current.sourceProjectId, deps);
  if (!paired.handled || paired.pairing === null || paired.distGit === null) {
    return reply('Nothing was re-created: this merge request has no dist-git merge request.');
  }
  const distGit = paired.distGit;
  let fresh = paired.pairing.distGitMr;
  const marker = sourceGitMrMarker(mr.project.id, mr.iid);
  const recreated = recreatedMarker(comment.note.id);
  let old: ForgeMergeRequest | null = null;
  if (!fresh.description.includes(recreated)) {
    old = fresh;
    if (options.dryRun === true) {
      out.action({
        kind: 'merge-request',
        outcome: 'planned',
        target: `${distGit.path}!${old.iid}`,
        url: old.webUrl,
        detail: 'close and open a fresh one',
      });
      return reply(`Would close dist-git MR !${old.iid} and open a fresh one.`);
    }
    if (old.state === 'opened') {
      old = await forge.updateMergeRequest(distGit.id, old.iid, { state: 'closed' });
      out.action({
        kind: 'merge-request-state',
        outcome: 'updated',
        target: `${distGit.path}!${old.iid}`,
        url: old.webUrl,
        detail: 'closed',
      });
    }
    const description = old.description
      .replace(/<!-- srcgit: (?:recreated-for-note \d+|source-git-mr \d+!\d+) -->/g, '')
      .trimEnd();
    const ensured = await forge.ensureMergeRequest({
      sourceProject: old.sourceProjectId,
      sourceBranch: old.sourceBranch,
      targetProject: distGit.id,
      targetBranch: old.targetBranch,
      title: old.title,
      description: appendMarker(description, recreated),
      marker,
      adopt: 'open',
    });
    fresh = ensured.mergeRequest;
    out.action({
      kind: 'merge-request',
      outcome: ensured.outcome === 'created' ? 'created' : 'unchanged',
      target: `${distGit.path}!${fresh.iid}`,
      url: fresh.webUrl,
      detail: `replaces !${old.iid}`,
    });
    await deps.pairingCache?.set(mr.project.id, mr.iid, {
      distGitProjectId: fresh.projectId,
      distGitMrIid: fresh.iid,
    });
  }
  out.setDistGitMr({ projectPath: distGit.path, iid: fresh.iid, webUrl: fresh.webUrl, state: fresh.state });
  if (old !== null) {
    const superseded = await forge.ensureStickyNote({
      project: distGit.id,
      mrIid: old.iid,
      marker: SUPERSEDED_MARKER,
      body: `Superseded by !${fresh.iid} (${fresh.webUrl}), re-created at the request of @${author.username} on the [source-git MR](${comment.noteUrl}).`,
    });
    out.action({
      kind: 'note',
      outcome: superseded.outcome,
      target: `${distGit.path}!${old.iid}`,
      url: old.webUrl,
      detail: `superseded by !${fresh.iid}`,
    });
  }
  if (synced.plan !== null) {
    const linked = await forge.ensureStickyNote({
      project: mr.project.id,
      mrIid: mr.iid,
      marker: DIST_GIT_MR_NOTE_MARKER,
      body: renderDistGitMrNote({
        distGitMr: { iid: fresh.iid, webUrl: fresh.webUrl, state: fresh.state },
        sourceGitHead: synced.sourceGitMr.headSha,
        plan: synced.plan,
      }),
    });
    out.action({
      kind: 'note',
      outcome: linked.outcome,
      target: `${mr.project.path}!${mr.iid}`,
      url: null,
      detail: 'dist-git MR note',
    });
  }
  return reply(
    old === null
      ? `Dist-git MR [!${fresh.iid}](${fresh.webUrl}) was re-created already.`
      : `Closed dist-git MR !${old.iid} and opened [!${fresh.iid}](${fresh.webUrl}) in its place.`,
  );
}

async function retest(
  comment: VerifiedComment,
  command: Extract<CommentCommand, { name: 'retest' | 'retest-failed' }>,
  deps: EventWorkflowDeps,
  out: EventOutcomeBuilder,
  reply: Reply,
): Promise<EventOutcome> {
  const { forge } = deps;
  const { mr, author } = comment;
  const paired = await resolvePairedMergeRequest(mr, comment.current.sourceProjectId, deps);
  if (!paired.handled || paired.pairing === null || paired.distGit === null) {
    return reply(
      `This merge request has no dist-git merge request yet: run \`${deps.config.commentCommandPrefix} update-dist-git\` first.`,
    );
  }
  const distGit = paired.distGit;
  const distGitMr = paired.pairing.distGitMr;
  out.setDistGitMr({
    projectPath: distGit.path,
    iid: distGitMr.iid,
    webUrl: distGitMr.webUrl,
    state: distGitMr.state,
  });
  const pipelinesTab = `${distGitMr.webUrl}/pipelines`;
  const level = await forge.getMemberAccessLevel(distGit.id, author.id ?? author.username);
  if (level === null || level < AccessLevel.developer) {
    return reply(
      `@${author.username}, the dist-git CI runs with ${distGit.path}'s runners and variables, so only its Developers and Maintainers may start it. A maintainer of ${distGit.path} can run it from the [Pipelines tab of dist-git MR !${distGitMr.iid}](${pipelinesTab}).`,
    );
  }
  if (distGitMr.state !== 'opened') {
    return reply(
      `Dist-git MR [!${distGitMr.iid}](${distGitMr.webUrl}) is ${distGitMr.state}: no pipeline was started.`,
    );
  }
  try {
    if (command.name === 'retest') {
      const pipeline = await forge.createMergeRequestPipeline(distGit.id, distGitMr.iid);
      out.action({
        kind: 'pipeline',
        outcome: 'created',
        target: `${distGit.path}!${distGitMr.iid}`,
        url: pipeline.webUrl,
        detail: `pipeline ${pipeline.id}`,
      });
      return reply(
        `Started [pipeline #${pipeline.id}](${pipeline.webUrl}) on dist-git MR !${distGitMr.iid}.`,
      );
    }
    const [newest] = await forge.listMergeRequestPipelines(distGit.id, distGitMr.iid);
    if (newest === undefined) {
      return reply(`Dist-git MR [!${distGitMr.iid}](${distGitMr.webUrl}) has no pipeline to retry.`);
    }
    if (newest.status !== 'failed' && newest.status !== 'canceled') {
      return reply(
        `The newest pipeline of dist-git MR !${distGitMr.iid}, [#${newest.id}](${newest.webUrl}), is ${newest.status}: there are no failed jobs to retry.`,
      );
    }
    const retried = await forge.retryPipeline(newest.projectId, newest.id);
    out.action({
      kind: 'pipeline',
      outcome: 'updated',
      target: `${distGit.path}!${distGitMr.iid}`,
      url: retried.webUrl,
      detail: `retried pipeline ${retried.id}`,
    });
    return reply(`Retrying the failed jobs of [pipeline #${retried.id}](${retried.webUrl}).`);
  } catch (error) {
    if (isForgeError(error, 'permission')) {
      return reply(
        `The bot may not run pipelines in ${distGit.path} (it needs the Developer role there). A maintainer can run it from the [Pipelines tab of dist-git MR !${distGitMr.iid}](${pipelinesTab}).`,
      );
    }
    if (isForgeError(error, 'permanent', 'not-found')) {
      return reply(`GitLab refused to run the pipeline: ${error.message}`);
    }
    throw error;
  }
}
