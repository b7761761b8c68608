import { syncSourceGitMergeRequest } from '@srcgit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkflowWorld } from './workflow-world';
import type { WorkflowWorld } from './workflow-world';

const STRONGER = {
  'beer.c':
    '#include <stdio.h>\n#include <string.h>\n\nint main(int argc, char **argv) {\n  if (argc > 1 && strcmp(argv[1], "--strong") == 0) puts("a pint of imperial stout");\n  else puts("a pint of lager");\n  return 0;\n}\n',
};

describe('syncSourceGitMergeRequest', () => {
  let world: WorkflowWorld;
  beforeEach(async () => {
    world = await startWorkflowWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('opens one dist-git MR from the bot fork branch and links it in one sticky note', async () => {
    await world.push('stronger', STRONGER, 'Make the strong beer stronger\n\nBugzilla: 1234');
    const iid = await world.openMr({
      branch: 'stronger',
      title: 'Stronger stout',
      description: 'Imperial stout for everyone.\nBugzilla: https://bugzilla.redhat.com/show_bug.cgi?id=1234',
    });
    const event = await world.lastMrEvent(iid);
    expect(event.kind).toBe('source-git-mr-opened');

    const outcome = await syncSourceGitMergeRequest(event, world.deps);
    expect(outcome.result).toBe('created');

    const { sim, demo } = world;
    const distGitMrs = sim.mergeRequests({ project: demo.projects.distGit });
    expect(distGitMrs).toHaveLength(1);
    const [dgMr] = distGitMrs;
    expect(dgMr?.sourceBranch).toBe('c10s-src-1');
    expect(dgMr?.targetBranch).toBe('c10s');
    expect(dgMr?.title).toBe('Stronger stout');
    expect(dgMr?.description).toContain('Resolves: bz#1234');
    expect(dgMr?.description).toContain('[this source-git MR](');
    expect(dgMr?.description).toContain(
      `<!-- srcgit: source-git-mr ${demo.projects.sourceGit.id}!${iid} -->`,
    );
    const fork = sim.project(dgMr?.sourceProjectId ?? 0);
    expect(fork.forkedFromId).toBe(demo.projects.distGit.id);
    expect(fork.namespaceId).toBe(demo.users.bot.namespaceId);

    const notes = sim.notes(demo.projects.sourceGit, iid).filter((note) => !note.system);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body.split('\n')[0]).toBe(`[Dist-git MR #${dgMr?.iid}](${outcome.distGitMr?.webUrl})`);
    expect(notes[0]?.body).toContain('0001-Make-the-strong-beer-stronger.patch');
  });
});
