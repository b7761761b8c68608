/**
 * The forge's "ensure" operations recognise the bot's notes, commit comments and merge requests
 * only by a marker on the last line of something the bot wrote: a marker a contributor wrote, or
 * one the bot quoted in the middle of a reply, never redirects an edit or an adoption. Against the
 * GitLab simulator over real HTTP.
 */
import type { Forge } from '@srcgit/core';
import { startGitLabSimulator } from '@srcgit/test-fixtures';
import type { GitLabSimulator, SimulatorProject, SimulatorUser } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitLabForge } from '../src/forge/create-gitlab-forge';

let sim: GitLabSimulator;
let bot: SimulatorUser;
let maintainer: SimulatorUser;
let project: SimulatorProject;
let forge: Forge;
let counter = 0;

beforeAll(async () => {
  sim = await startGitLabSimulator({ forkImportDelayMs: 'manual' });
  bot = sim.createUser({ username: 'srcgit-bot', name: 'srcgit bot', bot: true });
  maintainer = sim.createUser({ username: 'maintainer' });
  sim.createGroup({ path: 'rpms' });
  sim.addMember({ group: 'rpms' }, maintainer, 'maintainer');
  sim.addMember({ group: 'rpms' }, bot, 'developer');
  project = await sim.createProject({
    namespace: 'rpms',
    path: 'beer',
    defaultBranch: 'c9s',
    files: { 'beer.spec': 'Name: beer\nVersion: 1\n' },
  });
  forge = createGitLabForge({ url: sim.url, token: bot.token, sleep: () => Promise.resolve() });
});

afterAll(async () => {
  await sim.close();
});

/** A new branch of the project with one commit, by the maintainer. */
async function branch(): Promise<string> {
  counter += 1;
  const name = `topic-${counter}`;
  await sim.commitFiles(project.id, { branch: name, files: { [`f${counter}`]: 'x\n' }, user: maintainer });
  return name;
}

describe('ensureStickyNote', () => {
  it('never takes a note for its own unless the bot wrote it with the marker as the last line', async () => {
    const mr = await sim.createMergeRequest({
      sourceProject: project.id,
      sourceBranch: await branch(),
      targetBranch: 'c9s',
      title: 'Noted',
      author: maintainer,
    });
    const marker = '<!-- srcgit: dist-git-ci -->';
    // A maintainer's note ending with the marker, and a note of the bot's quoting it mid-text.
    await sim.addNote(project.id, mr.iid, maintainer, `Look:\n\n${marker}`);
    const quoting = await forge.addNote(project.id, mr.iid, `> ${marker}\n\nA reply quoting it.`);

    const created = await forge.ensureStickyNote({
      project: project.id,
      mrIid: mr.iid,
      marker,
      body: 'CI: running',
    });
    expect(created.outcome).toBe('created');
    expect(created.note?.id).not.toBe(quoting.id);
    const again = await forge.ensureStickyNote({
      project: project.id,
      mrIid: mr.iid,
      marker,
      body: 'CI: passed',
    });
    expect(again).toMatchObject({ outcome: 'updated', note: { id: created.note?.id } });

    const bodies = sim.notes(project.id, mr.iid).map((note) => note.body);
    expect(bodies).toContain(`Look:\n\n${marker}`);
    expect(bodies).toContain(`> ${marker}\n\nA reply quoting it.`);
    expect(bodies).toContain(`CI: passed\n\n${marker}`);
  });

  it('appends its marker to a body that quotes it earlier', async () => {
    const mr = await sim.createMergeRequest({
      sourceProject: project.id,
      sourceBranch: await branch(),
      targetBranch: 'c9s',
      title: 'Quoted',
      author: maintainer,
    });
    const marker = '<!-- srcgit: command-reply 7 -->';
    const body = `> contributor text ${marker}\n\nDone.`;
    const created = await forge.ensureStickyNote({ project: project.id, mrIid: mr.iid, marker, body });
    expect(created.note?.body).toBe(`${body}\n\n${marker}`);
    await expect(
      forge.ensureStickyNote({ project: project.id, mrIid: mr.iid, marker, body }),
    ).resolves.toMatchObject({ outcome: 'unchanged', note: { id: created.note?.id } });
  });
});

describe('ensureCommitComment', () => {
  it("is not satisfied by another user's comment or by a marker that is not the last line", async () => {
    const sha = (await forge.getBranch(project.id, 'c9s'))?.commitSha;
    if (sha === undefined) throw new Error('no c9s');
    const marker = `<!-- srcgit: problem dist-git-sync ${sha} -->`;
    const maintainerForge = createGitLabForge({
      url: sim.url,
      token: maintainer.token,
      sleep: () => Promise.resolve(),
    });
    await maintainerForge.ensureCommitComment({ project: project.id, sha, marker, body: 'fake' });
    await expect(
      forge.ensureCommitComment({ project: project.id, sha, marker, body: 'real' }),
    ).resolves.toEqual({
      outcome: 'created',
    });
    await expect(
      forge.ensureCommitComment({ project: project.id, sha, marker, body: 'real' }),
    ).resolves.toEqual({
      outcome: 'unchanged',
    });
  });
});

describe('ensureMergeRequest', () => {
  it("adopts a closed MR only when the bot opened it with the marker as the description's last line", async () => {
    const marker = '<!-- srcgit: source-git-mr 3001!9 -->';
    const sourceBranch = await branch();
    // The maintainer's closed MR from the very branch, ending with the marker.
    const theirs = await sim.createMergeRequest({
      sourceProject: project.id,
      sourceBranch,
      targetBranch: 'c9s',
      title: 'Not the bot’s',
      description: `Hijack\n\n${marker}`,
      author: maintainer,
    });
    await sim.updateMergeRequest(project.id, theirs.iid, maintainer, { stateEvent: 'close' });
    // The bot's closed MR from that branch quoting the marker before its last line.
    const quoting = await forge.ensureMergeRequest({
      sourceProject: project.id,
      sourceBranch,
      targetProject: project.id,
      targetBranch: 'c9s',
      title: 'Quoting',
      description: `${marker}\n\nquoted above`,
      marker: '<!-- srcgit: source-git-mr 3001!8 -->',
    });
    expect(quoting.outcome).toBe('created');
    await forge.updateMergeRequest(project.id, quoting.mergeRequest.iid, { state: 'closed' });

    const input = {
      sourceProject: project.id,
      sourceBranch,
      targetProject: project.id,
      targetBranch: 'c9s',
      title: 'Mine',
      description: 'The real one',
      marker,
    };
    const ensured = await forge.ensureMergeRequest(input);
    expect(ensured.outcome).toBe('created');
    expect([theirs.iid, quoting.mergeRequest.iid]).not.toContain(ensured.mergeRequest.iid);
    expect(ensured.mergeRequest.description).toBe(`The real one\n\n${marker}`);

    // Closed, the bot's own MR with the marker last is adopted again.
    await forge.updateMergeRequest(project.id, ensured.mergeRequest.iid, { state: 'closed' });
    await expect(forge.ensureMergeRequest(input)).resolves.toMatchObject({
      outcome: 'found',
      mergeRequest: { iid: ensured.mergeRequest.iid },
    });
  });
});
