/**
 * @module
 * The gitbeaker resources the adapter uses, bound to srcgit's transport. They come from
 * `@gitbeaker/core`, gitbeaker's transport-free package: its resource classes take a
 * `requesterFn`, and the adapter brings its own (see create-request-handler.ts for why), so
 * `@gitbeaker/rest`'s default fetch transport is never needed.
 */
import {
  Branches,
  Commits,
  MergeRequestNoteAwardEmojis,
  MergeRequestNotes,
  MergeRequests,
  Pipelines,
  ProjectMembers,
  Projects,
  RepositoryFiles,
  Users,
} from '@gitbeaker/core';
import type { RequestHandlerFn } from '@gitbeaker/requester-utils';
import { createRequesterFn } from '@gitbeaker/requester-utils';

/** The gitbeaker resources used by the `Forge` implementation. */
export interface GitLabApi {
  users: Users;
  projects: Projects;
  branches: Branches;
  files: RepositoryFiles;
  commits: Commits;
  mergeRequests: MergeRequests;
  notes: MergeRequestNotes;
  noteEmojis: MergeRequestNoteAwardEmojis;
  pipelines: Pipelines;
  members: ProjectMembers;
}

/**
 * Binds the resources to `requestHandler`. Client-side rate limiting is off (`rateLimits: {}`):
 * GitLab's 429 answers are honoured by the handler instead. Timeouts are per attempt, in the
 * handler (`queryTimeout: null`).
 */
export function createGitLabApi(options: {
  url: string;
  token: string | (() => Promise<string>);
  requestHandler: RequestHandlerFn;
}): GitLabApi {
  const requesterFn = createRequesterFn(
    (_, requestOptions) => Promise.resolve(requestOptions),
    options.requestHandler,
  );
  const base = {
    host: options.url.replace(/\/+$/, ''),
    token: options.token,
    requesterFn,
    queryTimeout: null,
    rateLimits: {},
  };
  return {
    users: new Users(base),
    projects: new Projects(base),
    branches: new Branches(base),
    files: new RepositoryFiles(base),
    commits: new Commits(base),
    mergeRequests: new MergeRequests(base),
    notes: new MergeRequestNotes(base),
    noteEmojis: new MergeRequestNoteAwardEmojis(base),
    pipelines: new Pipelines(base),
    members: new ProjectMembers(base),
  };
}
