import { commandReplyMarker, DIST_GIT_MR_NOTE_MARKER, findPairing, runCommentCommand } from '@srcgit/core';
import type { CommentCommandIssued } from '@srcgit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentEvents, eventDeps, openPairedMergeRequests } from './event-world';
import type { PairedMergeRequests } from './event-world';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

describe('runCommentCommand', () => {
  let world: WorkflowWorld;
  let paired: PairedMergeRequests;
  beforeEach(async () => {
    world = await startWorkflowWorld();
    paired = await openPairedMergeRequests(world);
  });
  afterEach(async () => {
    await paired.receiver.close();
    await world.close();
  });

  /** A user comments on the source-git MR; returns the command event GitLab delivered. */
  const comment = async (user: 'contributor' | 'maintainer', body: string): Promise<CommentCommandIssued> => {
    const note = await world.sim.addNote(
      world.demo.projects.sourceGit,
      paired.sgIid,
      world.demo.users[user],
      body,
    );
    const event = (await commentEvents(world)).find((entry) => entry.note.id === note.id);
    if (event === undefined) throw new Error(`no Note Hook for note ${note.id}`);
    return event;
  };
  const replyTo = (noteId: number) =>
    world.sim
      .notes(world.demo.projects.sourceGit, paired.sgIid)
      .filter((note) => note.body.includes(commandReplyMarker(noteId)));
  const distGitPipelines = () =>
    world.sim.pipelines({ mergeRequest: { project: world.demo.projects.distGit, iid: paired.dgIid } });
  const eyes = (noteId: number) =>
    world.sim
      .awardEmoji(noteId)
      .filter((emoji) => emoji.name === 'eyes')
      .map((emoji) => emoji.userId);

  it('explains to a non-member that a dist-git maintainer must start the CI (scenario 14)', async () => {
    const before = distGitPipelines().length;
    const event = await comment('contributor', '/srcgit retest');
    const outcome = await runCommentCommand(event, eventDeps(world));
    expect(outcome.result).toBe('noted');
    expect(distGitPipelines()).toHaveLength(before);
    const [reply] = replyTo(event.note.id);
    expect(reply?.body).toContain('only its Developers and Maintainers may start it');
    expect(reply?.body).toContain(`/rpms/beer/-/merge_requests/${paired.dgIid}/pipelines`);
    expect(eyes(event.note.id)).toEqual([world.demo.users.bot.id]);
  });

  it('starts a dist-git pipeline for a dist-git Developer, once, and never for an edited note (scenario 14)', async () => {
    const before = distGitPipelines().length;
    const event = await comment('maintainer', 'Looks good.\n/srcgit retest');
    const outcome = await runCommentCommand(event, eventDeps(world));
    expect(outcome.actions.map((action) => [action.kind, action.outcome])).toEqual([
      ['reaction', 'ensured'],
      ['pipeline', 'created'],
      ['note', 'created'],
    ]);
    expect(eyes(event.note.id)).toEqual([world.demo.users.bot.id]);
    const pipelines = distGitPipelines();
    expect(pipelines).toHaveLength(before + 1);
    const [newest] = pipelines;
    expect(newest?.projectId).toBe(world.demo.projects.distGit.id);
    expect(replyTo(event.note.id)[0]?.body).toContain(`${world.sim.url}/rpms/beer/-/pipelines/${newest?.id}`);

    // The same delivery again (a retried job): nothing more.
    const again = await runCommentCommand(event, eventDeps(world));
    expect(again.reason).toBe('already-handled');
    // The note edited: GitLab sends `action: update`, which never runs a command.
    const response = await fetch(
      `${world.sim.apiUrl}/projects/${world.demo.projects.sourceGit.id}/merge_requests/${paired.sgIid}/notes/${event.note.id}`,
      {
        method: 'PUT',
        headers: { 'PRIVATE-TOKEN': world.demo.users.maintainer.token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: '/srcgit retest\n\n(edited)' }),
      },
    );
    expect(response.status).toBe(200);
    const edited = (await commentEvents(world)).filter((entry) => entry.note.id === event.note.id).at(-1);
    expect(edited?.note.action).toBe('update');
    const outcomeOfEdit = await runCommentCommand(edited ?? event, eventDeps(world));
    expect(outcomeOfEdit.reason).toBe('edited-note');
    expect(distGitPipelines()).toHaveLength(before + 1);
    expect(replyTo(event.note.id)).toHaveLength(1);
  });

  it('retries the failed jobs of the newest dist-git pipeline', async () => {
    const [newest] = distGitPipelines();
    if (newest === undefined) throw new Error('no pipeline');
    const nothing = await runCommentCommand(
      await comment('maintainer', '/srcgit retest-failed'),
      eventDeps(world),
    );
    expect(nothing.actions.some((action) => action.kind === 'pipeline')).toBe(false);
    await world.sim.setPipelineStatus(newest.id, 'failed');
    const event = await comment('maintainer', '/srcgit retest-failed');
    const outcome = await runCommentCommand(event, eventDeps(world));
    expect(outcome.actions.find((action) => action.kind === 'pipeline')?.detail).toBe(
      `retried pipeline ${newest.id}`,
    );
    expect(world.sim.pipeline(newest.id).status).not.toBe('failed');
  });

  it('closes the dist-git MR as superseded, opens a fresh one and re-points the pairing (scenario 15)', async () => {
    const event = await comment('contributor', '/srcgit update-dist-git --recreate');
    const outcome = await runCommentCommand(event, eventDeps(world));
    expect(outcome.result).toBe('created');
    const old = world.sim.mergeRequest(world.demo.projects.distGit, paired.dgIid);
    expect(old.state).toBe('closed');
    const fresh = world.sim
      .mergeRequests({ project: world.demo.projects.distGit, state: 'opened' })
      .filter((mr) => mr.sourceBranch === old.sourceBranch);
    expect(fresh).toHaveLength(1);
    const freshIid = fresh[0]?.iid ?? 0;
    expect(freshIid).not.toBe(paired.dgIid);
    expect(fresh[0]?.sha).toBe(old.sha);
    const superseded = world.sim
      .notes(world.demo.projects.distGit, paired.dgIid)
      .filter((note) => !note.system && note.body.startsWith('Superseded by'));
    expect(superseded).toHaveLength(1);
    expect(superseded[0]?.body).toContain(`!${freshIid}`);

    const linkNote = world.sim
      .notes(world.demo.projects.sourceGit, paired.sgIid)
      .filter((note) => note.body.includes(DIST_GIT_MR_NOTE_MARKER));
    expect(linkNote).toHaveLength(1);
    expect(linkNote[0]?.body.split('\n')[0]).toBe(
      `[Dist-git MR #${freshIid}](${world.sim.url}/rpms/beer/-/merge_requests/${freshIid})`,
    );
    const found = await findPairing(
      {
        sourceGit: {
          projectId: world.demo.projects.sourceGit.id,
          iid: paired.sgIid,
          webUrl: event.mergeRequest.url,
        },
        distGitProject: world.demo.projects.distGit.id,
        forkBranch: old.sourceBranch,
      },
      { forge: world.forge, config: world.config },
    );
    expect(found?.distGitMr.iid).toBe(freshIid);

    // Run again (a retried job): answered already, nothing re-created.
    const again = await runCommentCommand(event, eventDeps(world));
    expect(again.reason).toBe('already-handled');
    expect(world.sim.mergeRequests({ project: world.demo.projects.distGit })).toHaveLength(2);
  });

  it('points to --recreate when the dist-git MR was closed, and re-creates it', async () => {
    await world.sim.updateMergeRequest(
      world.demo.projects.distGit,
      paired.dgIid,
      world.demo.users.maintainer,
      {
        stateEvent: 'close',
      },
    );
    const sync = await comment('contributor', '/srcgit update-dist-git');
    await runCommentCommand(sync, eventDeps(world));
    expect(replyTo(sync.note.id)[0]?.body).toContain(
      `is closed; its branch was synced with ${paired.sgHead}. Run \`/srcgit update-dist-git --recreate\``,
    );
    const recreate = await comment('contributor', '/srcgit recreate-dist-git-mr');
    const outcome = await runCommentCommand(recreate, eventDeps(world));
    expect(outcome.result).toBe('created');
    expect(world.sim.mergeRequests({ project: world.demo.projects.distGit, state: 'opened' })).toHaveLength(
      1,
    );
    expect(world.sim.mergeRequest(world.demo.projects.distGit, paired.dgIid).state).toBe('closed');
  });

  it('lets only the author and source-git Developers re-sync', async () => {
    const stranger = world.sim.createUser({ username: 'stranger' });
    const note = await world.sim.addNote(
      world.demo.projects.sourceGit,
      paired.sgIid,
      stranger,
      '/srcgit update-dist-git',
    );
    const event = (await commentEvents(world)).find((entry) => entry.note.id === note.id);
    if (event === undefined) throw new Error('no event');
    const refused = await runCommentCommand(event, eventDeps(world));
    expect(refused.workflows).toHaveLength(0);
    expect(replyTo(note.id)[0]?.body).toContain('only the author of this merge request and Developers');

    const byAuthor = await runCommentCommand(
      await comment('contributor', '/srcgit update-dist-git'),
      eventDeps(world),
    );
    expect(byAuthor.workflows.map((workflow) => workflow.result)).toEqual(['no-op']);
    expect(byAuthor.summary).toContain('already in sync');
  });

  it('answers help and unknown commands with the usage, and ignores its own notes', async () => {
    const help = await comment('contributor', '/srcgit help');
    await runCommentCommand(help, eventDeps(world));
    expect(replyTo(help.note.id)[0]?.body).toContain('`/srcgit retest-failed`');
    const unknown = await comment('contributor', '/srcgit build');
    const outcome = await runCommentCommand(unknown, eventDeps(world));
    expect(replyTo(unknown.note.id)[0]?.body).toContain(
      'I did not understand this command (unknown command "build")',
    );
    expect(outcome.actions.some((action) => action.kind === 'reaction')).toBe(false);
    const botNote = await world.sim.addNote(
      world.demo.projects.sourceGit,
      paired.sgIid,
      world.demo.users.bot,
      '/srcgit help',
    );
    const ownEvent = (await commentEvents(world)).find((entry) => entry.note.id === botNote.id);
    if (ownEvent === undefined) throw new Error(`no Note Hook for note ${botNote.id}`);
    const own = await runCommentCommand(ownEvent, eventDeps(world));
    expect(own.reason).toBe('own-note');
    const system = await runCommentCommand(
      { ...help, note: { ...help.note, system: true } },
      eventDeps(world),
    );
    expect(system.reason).toBe('system-note');
  });

  describe('trusts nothing of the payload but the ids', () => {
    it('takes permissions on the real author: a payload claiming a maintainer starts no pipeline', async () => {
      const before = distGitPipelines().length;
      const event = await comment('contributor', '/srcgit retest');
      const forged: CommentCommandIssued = {
        ...event,
        author: { username: world.demo.users.maintainer.username, id: world.demo.users.maintainer.id },
      };
      const outcome = await runCommentCommand(forged, eventDeps(world));
      expect(outcome.actions.some((action) => action.kind === 'pipeline')).toBe(false);
      expect(distGitPipelines()).toHaveLength(before);
      expect(replyTo(event.note.id)[0]?.body).toContain(
        `@${world.demo.users.contributor.username}, the dist-git CI runs with`,
      );
    });

    it('reads the command from the note as the forge has it, not from the payload', async () => {
      const before = distGitPipelines().length;
      const event = await comment('maintainer', 'Looks good to me.');
      const forged: CommentCommandIssued = { ...event, note: { ...event.note, body: '/srcgit retest' } };
      const outcome = await runCommentCommand(forged, eventDeps(world));
      expect(outcome.reason).toBe('no-command');
      expect(distGitPipelines()).toHaveLength(before);
    });

    it('ignores a note the forge does not have on that merge request', async () => {
      const before = distGitPipelines().length;
      const event = await comment('maintainer', '/srcgit retest');
      await world.push('another', { 'another.txt': 'another\n' }, 'Another change');
      const otherIid = await world.openMr({ branch: 'another', title: 'Another MR' });
      const elsewhere = { ...event, mergeRequest: { ...event.mergeRequest, iid: otherIid } };
      expect((await runCommentCommand(elsewhere, eventDeps(world))).reason).toBe('unverified-note');
      const missing = { ...event, note: { ...event.note, id: event.note.id + 100_000 } };
      expect((await runCommentCommand(missing, eventDeps(world))).reason).toBe('unverified-note');
      const otherProject = {
        ...event,
        mergeRequest: {
          ...event.mergeRequest,
          project: { ...event.mergeRequest.project, id: world.demo.projects.distGit.id },
        },
      };
      expect((await runCommentCommand(otherProject, eventDeps(world))).reason).toBe('unverified-note');
      expect(distGitPipelines()).toHaveLength(before);
    });

    it('runs no command written in a code block or a quote', async () => {
      const before = distGitPipelines().length;
      for (const body of [
        'Try:\n```\n/srcgit retest\n```',
        'Try:\n\n    /srcgit retest',
        '> /srcgit retest',
        '<!--\n/srcgit retest\n-->',
      ]) {
        const outcome = await runCommentCommand(await comment('maintainer', body), eventDeps(world));
        expect(outcome.reason).toBe('no-command');
      }
      expect(distGitPipelines()).toHaveLength(before);
    });
  });
});
