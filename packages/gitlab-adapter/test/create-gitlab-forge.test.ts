/**
 * `createGitLabForge` against the GitLab simulator over real HTTP: every `Forge` operation, its
 * idempotency and its error paths. Backoff waits go through an injected `sleep` that records the
 * requested delays and returns at once.
 */
import { ForgeError } from '@srcgit/core';
import type { Forge } from '@srcgit/core';
import { createTempDir, runGit, startGitLabSimulator } from '@srcgit/test-fixtures';
import type { GitLabSimulator, SimulatorProject, SimulatorUser } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitLabError } from '../src/gitlab-error';
import { createGitLabForge } from '../src/forge/create-gitlab-forge';
import type { GitLabForgeOptions } from '../src/forge/create-gitlab-forge';

const MR_PIPELINE_CI = [
  'check:',
  '  script: echo ok',
  '  rules:',
  '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
  '',
].join('\n');

let sim: GitLabSimulator;
let bot: SimulatorUser;
let maintainer: SimulatorUser;
let contributor: SimulatorUser;
let outsider: SimulatorUser;
let distGit: SimulatorProject;
let sourceGit: SimulatorProject;
let counter = 0;

/** Delays the forge asked to wait, in order. */
let sleeps: number[] = [];

function forgeFor(user: SimulatorUser, options: Partial<GitLabForgeOptions> = {}): Forge {
  return createGitLabForge({
    url: sim.url,
    token: user.token,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...options,
  });
}

/** A fresh dist-git project in group `rpms` (bot is Developer), with a spec on `c9s`. */
async function newDistGitProject(options: { ciConfig?: string } = {}): Promise<SimulatorProject> {
  counter += 1;
  const project = await sim.createProject({
    namespace: 'rpms',
    path: `pkg-${counter}`,
    defaultBranch: 'c9s',
    files: { [`pkg-${counter}.spec`]: 'Name: pkg\nVersion: 1\n' },
    ...(options.ciConfig === undefined ? {} : { ciConfig: options.ciConfig }),
  });
  return project;
}

async function rejection(promise: Promise<unknown>): Promise<GitLabError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GitLabError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  sim = await startGitLabSimulator({ forkImportDelayMs: 'manual' });
  bot = sim.createUser({ username: 'srcgit-bot', name: 'srcgit bot', bot: true });
  maintainer = sim.createUser({ username: 'maintainer' });
  contributor = sim.createUser({ username: 'alice' });
  outsider = sim.createUser({ username: 'mallory' });
  sim.createGroup({ path: 'rpms' });
  sim.createGroup({ path: 'src' });
  sim.addMember({ group: 'rpms' }, maintainer, 'maintainer');
  sim.addMember({ group: 'rpms' }, bot, 'developer');
  distGit = await newDistGitProject();
  sourceGit = await sim.createProject({
    namespace: 'src',
    path: 'beer',
    defaultBranch: 'c9s',
    files: { '.distro/source-git.yaml': 'upstream_ref: v1\n', README: 'beer\n' },
  });
});

afterAll(async () => {
  await sim.close();
});

describe('getCurrentUser and getProject', () => {
  it('returns the token owner', async () => {
    await expect(forgeFor(bot).getCurrentUser()).resolves.toEqual({
      id: bot.id,
      username: 'srcgit-bot',
      name: 'srcgit bot',
    });
  });

  it('rejects an invalid token as a permission error that says what to check', async () => {
    const error = await rejection(
      createGitLabForge({
        url: sim.url,
        token: 'not-a-token',
        sleep: () => Promise.resolve(),
      }).getCurrentUser(),
    );
    expect(error).toBeInstanceOf(ForgeError);
    expect(error).toMatchObject({ kind: 'permission', status: 401, method: 'GET', path: '/user' });
    expect(error.message).toBe(
      'GitLab GET /user answered 401: 401 Unauthorized. Check that the GitLab token is valid and not expired.',
    );
  });

  it('finds a project by path and by id', async () => {
    const forge = forgeFor(bot);
    const byPath = await forge.getProject(distGit.pathWithNamespace);
    expect(byPath).toMatchObject({
      id: distGit.id,
      path: distGit.pathWithNamespace,
      namespacePath: 'rpms',
      webUrl: distGit.webUrl,
      httpUrlToRepo: distGit.httpUrlToRepo,
      defaultBranch: 'c9s',
      forkedFrom: null,
    });
    await expect(forge.getProject(distGit.id)).resolves.toEqual(byPath);
  });

  it('reports a missing project as not-found, naming the encoded path', async () => {
    const error = await rejection(forgeFor(bot).getProject('rpms/no-such-package'));
    expect(error).toMatchObject({ kind: 'not-found', status: 404, path: '/projects/rpms%2Fno-such-package' });
  });
});

describe('ensureFork', () => {
  it('forks into the bot namespace, waits for the import, and reuses the fork afterwards', async () => {
    const upstream = await newDistGitProject();
    const forge = forgeFor(bot, { forkPollIntervalMs: 10 });
    let polls = 0;
    const waiting = createGitLabForge({
      url: sim.url,
      token: bot.token,
      forkPollIntervalMs: 10,
      sleep: async () => {
        polls += 1;
        if (polls === 3) await sim.completeForkImports();
      },
    }).ensureFork(upstream.pathWithNamespace);
    const fork = await waiting;
    expect(polls).toBe(3);
    expect(fork).toMatchObject({
      path: `srcgit-bot/${upstream.pathWithNamespace.split('/')[1]}`,
      namespacePath: 'srcgit-bot',
      forkedFrom: { id: upstream.id, path: upstream.pathWithNamespace },
      importStatus: 'finished',
    });

    await expect(forge.ensureFork(upstream.id)).resolves.toEqual(fork);
    expect(sim.project(fork.id).forkedFromId).toBe(upstream.id);
  });

  it('forks into a given namespace', async () => {
    const upstream = await newDistGitProject();
    sim.createGroup({ path: `bot-forks-${counter}` });
    sim.addMember({ group: `bot-forks-${counter}` }, bot, 'owner');
    const forge = forgeFor(bot, { forkPollIntervalMs: 10, sleep: () => sim.completeForkImports() });
    const fork = await forge.ensureFork(upstream.id, { namespace: `bot-forks-${counter}` });
    expect(fork.namespacePath).toBe(`bot-forks-${counter}`);
    await expect(forge.ensureFork(upstream.id, { namespace: `bot-forks-${counter}` })).resolves.toMatchObject(
      {
        id: fork.id,
      },
    );
  });

  it('gives up with a transient error when the import does not finish in time', async () => {
    const upstream = await newDistGitProject();
    const error = await rejection(
      forgeFor(bot, { forkPollIntervalMs: 10 }).ensureFork(upstream.id, { timeoutMs: 30 }),
    );
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/was not ready within 30 ms \(import status "scheduled"\)/);
    await sim.completeForkImports();
  });

  it('refuses a same-named project that is not a fork, as a conflict', async () => {
    const upstream = await newDistGitProject();
    const name = upstream.pathWithNamespace.split('/')[1] ?? '';
    await sim.createProject({ namespace: 'srcgit-bot', path: name, creator: bot });
    const error = await rejection(forgeFor(bot).ensureFork(upstream.id));
    expect(error).toMatchObject({ kind: 'conflict' });
    expect(error.message).toContain(`srcgit-bot/${name} exists and is not its fork`);
  });
});

describe('branches, files and commits', () => {
  it('reads a branch, or null when it is missing', async () => {
    const forge = forgeFor(bot);
    const branch = await forge.getBranch(distGit.id, 'c9s');
    expect(branch).toMatchObject({ name: 'c9s', default: true });
    expect(branch?.commitSha).toMatch(/^[0-9a-f]{40}$/);
    await expect(forge.getBranch(distGit.id, 'c10s')).resolves.toBeNull();
  });

  it('reads a file at a ref as bytes, or null when the file or ref is missing', async () => {
    const forge = forgeFor(bot);
    const bytes = await forge.readFile(sourceGit.pathWithNamespace, '.distro/source-git.yaml', 'c9s');
    expect(new TextDecoder().decode(bytes ?? new Uint8Array())).toBe('upstream_ref: v1\n');
    await expect(forge.readFile(sourceGit.id, '.distro/missing.yaml', 'c9s')).resolves.toBeNull();
    await expect(forge.readFile(sourceGit.id, 'README', 'no-such-branch')).resolves.toBeNull();
  });

  it('reads a commit, and reports an unknown sha as not-found', async () => {
    const forge = forgeFor(bot);
    const head = await forge.getBranch(sourceGit.id, 'c9s');
    const commit = await forge.getCommit(sourceGit.id, head?.commitSha ?? '');
    expect(commit).toMatchObject({ sha: head?.commitSha, parentShas: [] });
    expect(commit.webUrl).toContain(sourceGit.webUrl);
    const error = await rejection(forge.getCommit(sourceGit.id, 'f'.repeat(40)));
    expect(error.kind).toBe('not-found');
  });
});

describe('merge requests', () => {
  async function forkWithBranch(upstream: SimulatorProject, branch: string) {
    const forge = forgeFor(bot, { forkPollIntervalMs: 10, sleep: () => sim.completeForkImports() });
    const fork = await forge.ensureFork(upstream.id);
    await sim.commitFiles(fork.id, {
      branch,
      startBranch: 'c9s',
      files: { 'fix.patch': `patch for ${branch}\n` },
      user: bot,
    });
    return fork;
  }

  it('creates the MR from the fork, then finds it instead of creating a second one', async () => {
    const upstream = await newDistGitProject();
    const fork = await forkWithBranch(upstream, 'c9s-src-5');
    const forge = forgeFor(bot);
    const input = {
      sourceProject: fork.id,
      sourceBranch: 'c9s-src-5',
      targetProject: upstream.pathWithNamespace,
      targetBranch: 'c9s',
      title: 'Fix the build',
      description: 'Resolves: bz#1',
      marker: '<!-- srcgit:source-git-mr src/beer!5 -->',
    };
    const first = await forge.ensureMergeRequest(input);
    expect(first.outcome).toBe('created');
    expect(first.mergeRequest).toMatchObject({
      iid: 1,
      projectId: upstream.id,
      sourceProjectId: fork.id,
      targetProjectId: upstream.id,
      title: 'Fix the build',
      description: 'Resolves: bz#1\n\n<!-- srcgit:source-git-mr src/beer!5 -->',
      state: 'opened',
      authorUsername: 'srcgit-bot',
    });
    const second = await forge.ensureMergeRequest({ ...input, title: 'Renamed upstream' });
    expect(second).toEqual({ mergeRequest: first.mergeRequest, outcome: 'found' });
    expect(sim.mergeRequests({ project: upstream.id })).toHaveLength(1);
  });

  it('adopts a closed MR carrying the marker, unless told to adopt only open ones', async () => {
    const upstream = await newDistGitProject();
    const fork = await forkWithBranch(upstream, 'c9s-src-6');
    const forge = forgeFor(bot);
    const input = {
      sourceProject: fork.id,
      sourceBranch: 'c9s-src-6',
      targetProject: upstream.id,
      targetBranch: 'c9s',
      title: 'Six',
      description: 'six',
      marker: '<!-- srcgit:source-git-mr src/beer!6 -->',
    };
    const { mergeRequest } = await forge.ensureMergeRequest(input);
    await forge.updateMergeRequest(upstream.id, mergeRequest.iid, { state: 'closed' });
    await expect(forge.ensureMergeRequest(input)).resolves.toMatchObject({
      outcome: 'found',
      mergeRequest: { iid: mergeRequest.iid, state: 'closed' },
    });
    const fresh = await forge.ensureMergeRequest({ ...input, adopt: 'open' });
    expect(fresh.outcome).toBe('created');
    expect(fresh.mergeRequest.iid).not.toBe(mergeRequest.iid);
  });

  it('adopts the MR another job created concurrently (409)', async () => {
    const upstream = await newDistGitProject();
    const fork = await forkWithBranch(upstream, 'c9s-src-7');
    const input = {
      sourceProject: fork.id,
      sourceBranch: 'c9s-src-7',
      targetProject: upstream.id,
      targetBranch: 'c9s',
      title: 'Seven',
      description: 'seven',
      marker: '<!-- srcgit:source-git-mr src/beer!7 -->',
    };
    // Both jobs look before either creates; the first creation is slowed so the second wins.
    sim.injectFault({ method: 'POST', path: /\/merge_requests$/, latencyMs: 300 });
    const results = await Promise.all([
      forgeFor(bot).ensureMergeRequest(input),
      forgeFor(bot).ensureMergeRequest(input),
    ]);
    expect(results.map((result) => result.outcome).sort()).toEqual(['created', 'found']);
    expect(results[0]?.mergeRequest.iid).toBe(results[1]?.mergeRequest.iid);
    expect(sim.mergeRequests({ project: upstream.id })).toHaveLength(1);
  });

  it('reports a missing source branch as a permanent error', async () => {
    const upstream = await newDistGitProject();
    const fork = await forkWithBranch(upstream, 'c9s-src-8');
    const error = await rejection(
      forgeFor(bot).ensureMergeRequest({
        sourceProject: fork.id,
        sourceBranch: 'no-such-branch',
        targetProject: upstream.id,
        targetBranch: 'c9s',
        title: 't',
        description: 'd',
        marker: '<!-- m -->',
      }),
    );
    expect(error.kind).toBe('permanent');
    expect(error.message).toMatch(/^GitLab POST \/projects\/\d+\/merge_requests answered (400|422): /);
  });

  it('finds merge requests by branch, author, source project and description, across pages', async () => {
    const upstream = await newDistGitProject();
    for (let n = 0; n < 23; n += 1) {
      await sim.commitFiles(upstream.id, {
        branch: `topic-${n}`,
        files: { [`f${n}`]: 'x\n' },
        user: maintainer,
      });
      await sim.createMergeRequest({
        sourceProject: upstream.id,
        sourceBranch: `topic-${n}`,
        targetBranch: 'c9s',
        title: `Topic ${n}`,
        description: n === 21 ? 'carries <!-- needle -->' : '',
        author: maintainer,
      });
    }
    const forge = forgeFor(bot);
    const all = await forge.findMergeRequests(upstream.id);
    expect(all).toHaveLength(23);
    expect(all[0]?.title).toBe('Topic 22');
    await expect(forge.findMergeRequests(upstream.id, { sourceBranch: 'topic-3' })).resolves.toMatchObject([
      { title: 'Topic 3' },
    ]);
    await expect(
      forge.findMergeRequests(upstream.id, { descriptionContains: '<!-- needle -->' }),
    ).resolves.toMatchObject([{ title: 'Topic 21' }]);
    await expect(forge.findMergeRequests(upstream.id, { authorUsername: 'alice' })).resolves.toEqual([]);
    await expect(forge.findMergeRequests(upstream.id, { state: 'merged' })).resolves.toEqual([]);
    await expect(
      forge.findMergeRequests(upstream.id, { sourceProjectId: upstream.id + 999 }),
    ).resolves.toEqual([]);
  });

  it('updates only what differs, closes and reopens, and refuses to reopen a merged MR', async () => {
    const upstream = await newDistGitProject();
    await sim.commitFiles(upstream.id, { branch: 'edit-me', files: { e: 'e\n' }, user: maintainer });
    const mr = await sim.createMergeRequest({
      sourceProject: upstream.id,
      sourceBranch: 'edit-me',
      targetBranch: 'c9s',
      title: 'Old title',
      author: bot,
    });
    const forge = forgeFor(bot);
    const updated = await forge.updateMergeRequest(upstream.id, mr.iid, {
      title: 'New title',
      description: 'Body',
    });
    expect(updated).toMatchObject({ title: 'New title', description: 'Body', state: 'opened' });

    const before = sim.mergeRequest(upstream.id, mr.iid).updatedAt;
    await expect(
      forge.updateMergeRequest(upstream.id, mr.iid, { title: 'New title' }),
    ).resolves.toMatchObject({
      title: 'New title',
    });
    expect(sim.mergeRequest(upstream.id, mr.iid).updatedAt).toBe(before);

    await expect(forge.updateMergeRequest(upstream.id, mr.iid, { state: 'closed' })).resolves.toMatchObject({
      state: 'closed',
    });
    const closeNotes = sim.notes(upstream.id, mr.iid).filter((note) => note.system).length;
    await forge.updateMergeRequest(upstream.id, mr.iid, { state: 'closed' });
    expect(sim.notes(upstream.id, mr.iid).filter((note) => note.system)).toHaveLength(closeNotes);
    await expect(forge.updateMergeRequest(upstream.id, mr.iid, { state: 'opened' })).resolves.toMatchObject({
      state: 'opened',
    });

    await sim.mergeMergeRequest(upstream.id, mr.iid, maintainer);
    await expect(forge.updateMergeRequest(upstream.id, mr.iid, { state: 'closed' })).resolves.toMatchObject({
      state: 'merged',
    });
    const error = await rejection(forge.updateMergeRequest(upstream.id, mr.iid, { state: 'opened' }));
    expect(error.kind).toBe('conflict');
  });

  it('reports a missing MR as not-found and an MR the bot may not edit as a permission error', async () => {
    const forge = forgeFor(bot);
    await expect(rejection(forge.getMergeRequest(distGit.id, 999))).resolves.toMatchObject({
      kind: 'not-found',
    });
    await sim.commitFiles(sourceGit.id, { branch: 'alice-fix', files: { a: 'a\n' }, user: sim.root });
    const mr = await sim.createMergeRequest({
      sourceProject: sourceGit.id,
      sourceBranch: 'alice-fix',
      targetBranch: 'c9s',
      title: 'By root',
      author: sim.root,
    });
    const error = await rejection(forge.updateMergeRequest(sourceGit.id, mr.iid, { title: 'Hijacked' }));
    expect(error).toMatchObject({ kind: 'permission', status: 403 });
    expect(error.message).toContain("Check the bot account's role");
  });
});

describe('notes and award emoji', () => {
  async function newMergeRequest() {
    const upstream = await newDistGitProject();
    await sim.commitFiles(upstream.id, { branch: 'noted', files: { n: 'n\n' }, user: maintainer });
    const mr = await sim.createMergeRequest({
      sourceProject: upstream.id,
      sourceBranch: 'noted',
      targetBranch: 'c9s',
      title: 'Noted',
      author: maintainer,
    });
    return { project: upstream, iid: mr.iid };
  }

  it('creates the sticky note once, leaves it when unchanged, edits it in place when changed', async () => {
    const { project, iid } = await newMergeRequest();
    const forge = forgeFor(bot);
    const marker = '<!-- srcgit:dist-git-ci -->';
    // Another user's note quoting the marker is never taken for the bot's own.
    await sim.addNote(project.id, iid, maintainer, `quoting ${marker}`);

    const created = await forge.ensureStickyNote({
      project: project.id,
      mrIid: iid,
      marker,
      body: 'CI: running',
    });
    expect(created.outcome).toBe('created');
    expect(created.note).toMatchObject({ body: `CI: running\n\n${marker}`, authorUsername: 'srcgit-bot' });

    const again = await forge.ensureStickyNote({
      project: project.id,
      mrIid: iid,
      marker,
      body: 'CI: running',
    });
    expect(again).toEqual({ note: created.note, outcome: 'unchanged' });

    const edited = await forge.ensureStickyNote({
      project: project.id,
      mrIid: iid,
      marker,
      body: 'CI: failed',
    });
    expect(edited.outcome).toBe('updated');
    expect(edited.note).toMatchObject({ id: created.note?.id, body: `CI: failed\n\n${marker}` });

    const mine = sim.notes(project.id, iid).filter((note) => !note.system && note.authorId === bot.id);
    expect(mine.map((note) => note.body)).toEqual([`CI: failed\n\n${marker}`]);
  });

  it('creates nothing when creation is not allowed, and finds its note beyond the first page', async () => {
    const { project, iid } = await newMergeRequest();
    const forge = forgeFor(bot);
    const marker = '<!-- srcgit:status -->';
    await expect(
      forge.ensureStickyNote({
        project: project.id,
        mrIid: iid,
        marker,
        body: 'pending',
        createOnlyIf: false,
      }),
    ).resolves.toEqual({ note: null, outcome: 'skipped' });
    for (let n = 0; n < 105; n += 1) await sim.addNote(project.id, iid, maintainer, `chatter ${n}`);
    const created = await forge.ensureStickyNote({ project: project.id, mrIid: iid, marker, body: 'failed' });
    expect(created.outcome).toBe('created');
    await expect(
      forge.ensureStickyNote({
        project: project.id,
        mrIid: iid,
        marker,
        body: 'failed',
        createOnlyIf: false,
      }),
    ).resolves.toMatchObject({ outcome: 'unchanged', note: { id: created.note?.id } });
  });

  it('adds a note, and awards an emoji to it only once', async () => {
    const { project, iid } = await newMergeRequest();
    const forge = forgeFor(bot);
    const command = await sim.addNote(project.id, iid, maintainer, '/packit test');
    await forge.ensureAwardEmoji(project.id, iid, command.id, 'eyes');
    await forge.ensureAwardEmoji(project.id, iid, command.id, 'eyes');
    expect(sim.awardEmoji(command.id).map((award) => [award.name, award.userId])).toEqual([['eyes', bot.id]]);

    const reply = await forge.addNote(project.id, iid, 'Started a pipeline.');
    expect(reply).toMatchObject({ body: 'Started a pipeline.', authorUsername: 'srcgit-bot', system: false });
  });

  it('reads one note of an MR with its author, and only on that MR', async () => {
    const { project, iid } = await newMergeRequest();
    const other = await newMergeRequest();
    const forge = forgeFor(bot);
    const note = await sim.addNote(project.id, iid, maintainer, '/srcgit retest');
    await expect(forge.getMergeRequestNote(project.id, iid, note.id)).resolves.toMatchObject({
      id: note.id,
      body: '/srcgit retest',
      authorUsername: maintainer.username,
      authorId: maintainer.id,
      system: false,
    });
    await expect(
      rejection(forge.getMergeRequestNote(other.project.id, other.iid, note.id)),
    ).resolves.toMatchObject({
      kind: 'not-found',
    });
    await expect(
      rejection(forge.getMergeRequestNote(project.id, iid, note.id + 10_000)),
    ).resolves.toMatchObject({
      kind: 'not-found',
    });
  });

  it('reports notes on a missing note as not-found', async () => {
    const { project, iid } = await newMergeRequest();
    await expect(
      rejection(forgeFor(bot).ensureAwardEmoji(project.id, iid, 1, 'eyes')),
    ).resolves.toMatchObject({
      kind: 'not-found',
    });
  });
});

describe('setCommitStatus', () => {
  it('sets a status, cutting the description to 140 characters', async () => {
    const forge = forgeFor(bot);
    const head = (await forge.getBranch(distGit.id, 'c9s'))?.commitSha ?? '';
    const long = `Changed status to failed ${'x'.repeat(200)}`;
    await expect(
      forge.setCommitStatus({
        project: distGit.id,
        sha: head,
        state: 'failed',
        name: 'Dist-git MR CI Pipeline',
        ref: 'c9s',
        targetUrl: `${distGit.webUrl}/-/pipelines/1`,
        description: long,
      }),
    ).resolves.toEqual({ outcome: 'set' });
    const [status] = sim.commitStatuses(distGit.id, head);
    expect(status).toMatchObject({ name: 'Dist-git MR CI Pipeline', status: 'failed', ref: 'c9s' });
    expect(Array.from(status?.description ?? '')).toHaveLength(140);
  });

  it('treats repeating a pending status as unchanged', async () => {
    const project = await newDistGitProject();
    const forge = forgeFor(bot);
    const head = (await forge.getBranch(project.id, 'c9s'))?.commitSha ?? '';
    const input = { project: project.id, sha: head, state: 'pending' as const, name: 'ci', ref: 'c9s' };
    await expect(forge.setCommitStatus(input)).resolves.toEqual({ outcome: 'set' });
    await expect(forge.setCommitStatus(input)).resolves.toEqual({ outcome: 'unchanged' });
    await expect(forge.setCommitStatus({ ...input, state: 'running' })).resolves.toEqual({ outcome: 'set' });
  });

  it('reports a project where the bot is no developer as permission, an unknown commit as not-found', async () => {
    const forge = forgeFor(bot);
    const head = (await forge.getBranch(sourceGit.id, 'c9s'))?.commitSha ?? '';
    const denied = await rejection(
      forge.setCommitStatus({ project: sourceGit.id, sha: head, state: 'success', name: 'ci', ref: 'c9s' }),
    );
    expect(denied).toMatchObject({ kind: 'permission', status: 403 });
    const unknown = await rejection(
      forge.setCommitStatus({ project: distGit.id, sha: 'e'.repeat(40), state: 'success', name: 'ci' }),
    );
    expect(unknown).toMatchObject({ kind: 'not-found', status: 404 });
  });
});

describe('pipelines and members', () => {
  it('lists, creates and retries merge request pipelines', async () => {
    const upstream = await newDistGitProject({ ciConfig: MR_PIPELINE_CI });
    await sim.commitFiles(upstream.id, { branch: 'ci-topic', files: { c: 'c\n' }, user: maintainer });
    const mr = await sim.createMergeRequest({
      sourceProject: upstream.id,
      sourceBranch: 'ci-topic',
      targetBranch: 'c9s',
      title: 'CI',
      author: maintainer,
    });
    const forge = forgeFor(bot);
    const initial = await forge.listMergeRequestPipelines(upstream.id, mr.iid);
    expect(initial.length).toBeGreaterThan(0);

    const created = await forge.createMergeRequestPipeline(upstream.id, mr.iid);
    expect(created).toMatchObject({ projectId: upstream.id, source: 'merge_request_event' });
    const listed = await forge.listMergeRequestPipelines(upstream.id, mr.iid);
    expect(listed[0]?.id).toBe(created.id);
    expect(listed).toHaveLength(initial.length + 1);

    await sim.setPipelineStatus(created.id, 'failed');
    const retried = await forge.retryPipeline(upstream.id, created.id);
    expect(retried.id).toBe(created.id);
    expect(retried.status).not.toBe('failed');

    const denied = await rejection(forgeFor(outsider).createMergeRequestPipeline(upstream.id, mr.iid));
    expect(denied.kind).toBe('permission');
  });

  it('reads access levels by user id or username, inherited from groups, null for non-members', async () => {
    const forge = forgeFor(bot);
    await expect(forge.getMemberAccessLevel(distGit.id, maintainer.id)).resolves.toBe(40);
    await expect(forge.getMemberAccessLevel(distGit.pathWithNamespace, 'srcgit-bot')).resolves.toBe(30);
    await expect(forge.getMemberAccessLevel(distGit.id, contributor.id)).resolves.toBeNull();
    await expect(forge.getMemberAccessLevel(distGit.id, 'nobody-by-that-name')).resolves.toBeNull();
  });
});

describe('gitRemoteUrl', () => {
  it('gives a remote that git can fetch with the bot credentials', async () => {
    const forge = forgeFor(bot);
    const project = await forge.getProject(distGit.id);
    const remote = await forge.gitRemoteUrl(project);
    expect(remote).toBe(project.httpUrlToRepo.replace('http://', `http://oauth2:${bot.token}@`));
    const dir = createTempDir('remote');
    const heads = await runGit(['ls-remote', '--heads', remote], { cwd: dir.path });
    expect(heads).toContain('refs/heads/c9s');
  });
});

describe('retries and error classification', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    sleeps = [];
    const fault = sim.injectFault({
      method: 'GET',
      path: /^\/api\/v4\/user$/,
      status: 429,
      retryAfter: 2,
      times: 2,
    });
    await expect(forgeFor(bot).getCurrentUser()).resolves.toMatchObject({ username: 'srcgit-bot' });
    expect(fault.hits).toBe(2);
    expect(sleeps).toEqual([2_000, 2_000]);
  });

  it('backs off exponentially on server errors, then succeeds', async () => {
    sleeps = [];
    sim.injectFault({ path: /^\/api\/v4\/projects\/[^/]+$/, status: 502, times: 1 });
    sim.injectFault({ path: /^\/api\/v4\/projects\/[^/]+$/, status: 503, times: 1 });
    sim.injectFault({ path: /^\/api\/v4\/projects\/[^/]+$/, status: 500, times: 1 });
    await expect(
      forgeFor(bot, { retry: { baseDelayMs: 100 } }).getProject(distGit.id),
    ).resolves.toMatchObject({
      id: distGit.id,
    });
    // random() = 0.5: three quarters of 100, 200, 400 ms.
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it('retries a dropped connection, then succeeds', async () => {
    sleeps = [];
    const fault = sim.injectFault({ path: /\/repository\/branches\//, drop: true, times: 1 });
    await expect(forgeFor(bot).getBranch(distGit.id, 'c9s')).resolves.toMatchObject({ name: 'c9s' });
    expect(fault.hits).toBe(1);
    expect(sleeps).toHaveLength(1);
  });

  it('gives up after the last attempt with a transient error naming the request', async () => {
    sleeps = [];
    sim.injectFault({ path: /^\/api\/v4\/projects\/[^/]+$/, status: 503, times: 3 });
    const error = await rejection(forgeFor(bot, { retry: { attempts: 3 } }).getProject(distGit.id));
    expect(error).toMatchObject({
      kind: 'transient',
      status: 503,
      method: 'GET',
      path: `/projects/${distGit.id}`,
    });
    expect(error.message).toBe(
      `GitLab GET /projects/${distGit.id} answered 503: GitLab is not responding (503).`,
    );
    expect(sleeps).toHaveLength(2);
  });

  it('stops at once when Retry-After asks for more than maxDelayMs, passing the wait on', async () => {
    sleeps = [];
    sim.injectFault({ path: /^\/api\/v4\/user$/, status: 429, retryAfter: 120, times: 1 });
    const error = await rejection(forgeFor(bot).getCurrentUser());
    expect(error).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 120_000 });
    expect(sleeps).toEqual([]);
  });

  it('retries a write that hit a server error without creating it twice', async () => {
    const upstream = await newDistGitProject();
    await sim.commitFiles(upstream.id, { branch: 'w', files: { w: 'w\n' }, user: maintainer });
    const mr = await sim.createMergeRequest({
      sourceProject: upstream.id,
      sourceBranch: 'w',
      targetBranch: 'c9s',
      title: 'W',
      author: maintainer,
    });
    sim.injectFault({ method: 'POST', path: /\/notes$/, status: 502, times: 1 });
    const result = await forgeFor(bot).ensureStickyNote({
      project: upstream.id,
      mrIid: mr.iid,
      marker: '<!-- w -->',
      body: 'w',
    });
    expect(result.outcome).toBe('created');
    expect(sim.notes(upstream.id, mr.iid).filter((note) => note.authorId === bot.id)).toHaveLength(1);
  });
});
