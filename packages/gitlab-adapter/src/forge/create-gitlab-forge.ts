/**
 * @module
 * `createGitLabForge`: `@srcgit/core`'s `Forge` port implemented on GitLab's REST API v4.
 */
import type { Forge, ForgeUser, ProjectKey } from '@srcgit/core';
import { z } from 'zod';
import type { GitLabLogger } from '../client/create-request-handler';
import { createRequestHandler } from '../client/create-request-handler';
import type { ResponseObserver } from '../client/create-request-meter';
import { createGitLabApi } from '../client/gitlab-api';
import type { RetryOptions } from '../client/retry-options';
import { defaultRetryOptions } from '../client/retry-options';
import { restAwardEmojiSchema } from '../schemas/rest-merge-request';
import { restNoteSchema } from '../schemas/rest-merge-request';
import { restPipelineSchema } from '../schemas/rest-pipeline';
import { restProjectSchema } from '../schemas/rest-project';
import { restBranchSchema, restCommitSchema, restRepositoryFileSchema } from '../schemas/rest-repository';
import { restMemberSchema, restUserSchema } from '../schemas/rest-user';
import { GitLabError } from '../gitlab-error';
import { ensureCommitComment } from './ensure-commit-comment';
import { ensureFork } from './ensure-fork';
import { ensureMergeRequest, findMergeRequests } from './ensure-merge-request';
import { ensureStickyNote, listNotes } from './ensure-sticky-note';
import { listGroupMergeRequests } from './list-group-merge-requests';
import type { ForgeContext } from './forge-context';
import { decode, orNull } from './forge-context';
import { listCommitStatuses } from './list-commit-statuses';
import { setCommitStatus } from './set-commit-status';
import { toForgeNote, toForgePipeline, toForgeProject } from './to-forge-records';
import { getMergeRequest, updateMergeRequest } from './update-merge-request';

/** Options of {@link createGitLabForge}. */
export interface GitLabForgeOptions {
  /** The instance's base URL, e.g. `https://gitlab.com` (the API lives under `/api/v4`). */
  url: string;
  /** The bot's personal access token (scopes `api`, `write_repository`), or a function returning it. */
  token: string | (() => Promise<string>);
  /** The HTTP transport (default: the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Retries of rate-limited, failing and dropped requests; merged over the defaults (5, 500 ms, 30 s). */
  retry?: Partial<RetryOptions>;
  /** How to wait between retries and fork polls (default: a real timer). Tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Log lines about retries. */
  logger?: GitLabLogger;
  /** Timeout of one HTTP attempt (default 30 000 ms). */
  requestTimeoutMs?: number;
  /** Poll interval while a new fork is being imported (default 1 000 ms). */
  forkPollIntervalMs?: number;
  /** Clock, for `Retry-After` dates (default `Date.now`). */
  now?: () => number;
  /** Source of jitter in [0, 1) (default `Math.random`). */
  random?: () => number;
  /** Told of every HTTP answer, e.g. a `createRequestMeter()` counting requests and rate limits. */
  responseObserver?: ResponseObserver;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the GitLab implementation of the `Forge` port. Every operation retries transient
 * failures (429 honouring `Retry-After`, 5xx, dropped connections) with exponential backoff and
 * jitter, then rejects with a `GitLabError` (a core `ForgeError`) whose `kind` classifies it and
 * whose message names the request, e.g. `GitLab POST /projects/7/merge_requests answered 409: …`.
 *
 * @example
 * const forge = createGitLabForge({ url: 'https://gitlab.com', token: env.GITLAB_TOKEN, logger });
 * const fork = await forge.ensureFork('redhat/centos-stream/rpms/make');
 * const { mergeRequest } = await forge.ensureMergeRequest({
 *   sourceProject: fork.id, sourceBranch: 'c9s-src-5', targetProject: 'redhat/centos-stream/rpms/make',
 *   targetBranch: 'c9s', title, description, marker: '<!-- srcgit:source-git-mr 42!5 -->',
 * });
 */
export function createGitLabForge(options: GitLabForgeOptions): Forge {
  const sleep = options.sleep ?? realSleep;
  const requestHandler = createRequestHandler({
    fetch: options.fetch ?? globalThis.fetch,
    sleep,
    retry: { ...defaultRetryOptions, ...options.retry },
    timeoutMs: options.requestTimeoutMs ?? 30_000,
    logger: options.logger,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    responseObserver: options.responseObserver,
  });
  const api = createGitLabApi({ url: options.url, token: options.token, requestHandler });
  const token =
    typeof options.token === 'string' ? () => Promise.resolve(options.token as string) : options.token;

  let currentUser: Promise<ForgeUser> | undefined;
  const context: ForgeContext = {
    api,
    sleep,
    logger: options.logger,
    forkPollIntervalMs: options.forkPollIntervalMs ?? 1_000,
    currentUser() {
      currentUser ??= api.users.showCurrentUser().then((user) => {
        const parsed = decode(restUserSchema, user, 'GET /user');
        return { id: parsed.id, username: parsed.username, name: parsed.name ?? parsed.username };
      });
      // A failed lookup is not cached: the next call asks again.
      currentUser.catch(() => (currentUser = undefined));
      return currentUser;
    },
    async project(key: ProjectKey) {
      return decode(restProjectSchema, await api.projects.show(key), `GET /projects/${String(key)}`);
    },
  };

  return {
    getCurrentUser: () => context.currentUser(),

    getProject: async (project) => toForgeProject(await context.project(project)),

    ensureFork: (project, forkOptions) => ensureFork(context, project, forkOptions),

    async getBranch(project, branch) {
      const found = await orNull(api.branches.show(project, branch));
      if (found === null) return null;
      const parsed = decode(
        restBranchSchema,
        found,
        `GET /projects/${String(project)}/repository/branches/${branch}`,
      );
      return {
        name: parsed.name,
        commitSha: parsed.commit.id,
        protected: parsed.protected ?? false,
        default: parsed.default ?? false,
      };
    },

    async readFile(project, path, ref) {
      const found = await orNull(api.files.show(project, path, ref));
      if (found === null) return null;
      const file = decode(
        restRepositoryFileSchema,
        found,
        `GET /projects/${String(project)}/repository/files/${path}`,
      );
      return new Uint8Array(Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8'));
    },

    async getCommit(project, sha) {
      const commit = decode(
        restCommitSchema,
        await api.commits.show(project, sha),
        `GET /projects/${String(project)}/repository/commits/${sha}`,
      );
      return {
        sha: commit.id,
        title: commit.title,
        message: commit.message,
        authorName: commit.author_name,
        authorEmail: commit.author_email,
        parentShas: commit.parent_ids ?? [],
        webUrl: commit.web_url ?? '',
      };
    },

    ensureMergeRequest: (input) => ensureMergeRequest(context, input),

    getMergeRequest: (project, iid) => getMergeRequest(context, project, iid),

    findMergeRequests: (project, query) => findMergeRequests(context, project, query),

    listGroupMergeRequests: (group, query) => listGroupMergeRequests(context, group, query),

    updateMergeRequest: (project, iid, changes) => updateMergeRequest(context, project, iid, changes),

    ensureStickyNote: (input) => ensureStickyNote(context, input),

    async addNote(project, mrIid, body) {
      const note = await api.notes.create(project, mrIid, body);
      return toForgeNote(
        decode(restNoteSchema, note, `POST /projects/${String(project)}/merge_requests/${mrIid}/notes`),
      );
    },

    ensureCommitComment: (input) => ensureCommitComment(context, input),

    async ensureAwardEmoji(project, mrIid, noteId, name) {
      const me = await context.currentUser();
      const awarded = async () =>
        decode(
          z.array(restAwardEmojiSchema),
          await api.noteEmojis.all(project, mrIid, noteId, { perPage: 100 }),
          `GET /projects/${String(project)}/merge_requests/${mrIid}/notes/${noteId}/award_emoji`,
        ).some((emoji) => emoji.name === name && emoji.user.username === me.username);
      if (await awarded()) return;
      try {
        await api.noteEmojis.award(project, mrIid, noteId, name);
      } catch (error) {
        // GitLab answers 404 "Award Emoji Name has already been taken" to a concurrent duplicate.
        const duplicate =
          error instanceof GitLabError && (error.kind === 'not-found' || error.kind === 'conflict');
        if (!duplicate || !(await awarded())) throw error;
      }
    },

    setCommitStatus: (input) => setCommitStatus(context, input),

    listCommitStatuses: (project, sha, filter) => listCommitStatuses(context, project, sha, filter),

    listNotes: (project, mrIid) => listNotes(context, project, mrIid),

    async getMergeRequestNote(project, mrIid, noteId) {
      return toForgeNote(
        decode(
          restNoteSchema,
          await api.notes.show(project, mrIid, noteId),
          `GET /projects/${String(project)}/merge_requests/${mrIid}/notes/${noteId}`,
        ),
      );
    },

    async listMergeRequestPipelines(project, mrIid) {
      const pipelines = await api.mergeRequests.allPipelines(project, mrIid, { perPage: 100 });
      return decode(
        z.array(restPipelineSchema),
        pipelines,
        `GET /projects/${String(project)}/merge_requests/${mrIid}/pipelines`,
      ).map(toForgePipeline);
    },

    async createMergeRequestPipeline(project, mrIid) {
      const pipeline = await api.mergeRequests.createPipeline(project, mrIid);
      return toForgePipeline(
        decode(
          restPipelineSchema,
          pipeline,
          `POST /projects/${String(project)}/merge_requests/${mrIid}/pipelines`,
        ),
      );
    },

    async retryPipeline(project, pipelineId) {
      const pipeline = await api.pipelines.retry(project, pipelineId);
      return toForgePipeline(
        decode(
          restPipelineSchema,
          pipeline,
          `POST /projects/${String(project)}/pipelines/${pipelineId}/retry`,
        ),
      );
    },

    async getMemberAccessLevel(project, user) {
      let userId: number;
      if (typeof user === 'number') {
        userId = user;
      } else {
        const users = decode(z.array(restUserSchema), await api.users.all({ username: user }), 'GET /users');
        const match = users.find((candidate) => candidate.username === user);
        if (match === undefined) return null;
        userId = match.id;
      }
      const member = await orNull(api.members.show(project, userId, { includeInherited: true }));
      if (member === null) return null;
      return decode(restMemberSchema, member, `GET /projects/${String(project)}/members/all/${userId}`)
        .access_level;
    },

    async gitRemoteUrl(project) {
      const url = new URL(project.httpUrlToRepo);
      url.username = 'oauth2';
      url.password = await token();
      return url.toString();
    },
  };
}
