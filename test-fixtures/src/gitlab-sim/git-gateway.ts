import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessLevel } from './access-level';
import { createGitHttpHandler, type GitHttpAccess, type GitHttpDecision } from '../git-http-server';
import { createPushPolicyHandler } from './push-policy';
import { processPush, type RefUpdate } from './pushes';
import { ZERO_SHA } from './git-store';
import type { SimContext } from './sim-context';
import type { SimProject, SimUser } from './sim-model';

const GIT_PATH = /^\/(.+?)\.git(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.*))$/;

/** Whether a request path is git's smart HTTP protocol (`/<full path>.git/...`). */
export function isGitPath(path: string): boolean {
  return GIT_PATH.test(path);
}

function credentials(request: IncomingMessage): { username: string; token: string } | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ') !== true) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

/**
 * Git over smart HTTP for every project at `/<full path>.git`, through the real `git
 * http-backend`. Authentication is HTTP basic with a personal access token as password (any
 * username: `oauth2`, the user's name, …). Reading needs a public project or membership; pushing
 * needs Developer or more (a fork's owner is Owner), and Maintainer for the protected default
 * branch, which nobody may force-push or delete. A fork whose import has not finished has no
 * repository yet. After a push, GitLab's post-receive work (hooks, merge request updates,
 * pipelines) is done before the push response completes.
 */
export interface GitGateway {
  /** Serves a git smart-HTTP request for `path`. */
  readonly handle: (request: IncomingMessage, response: ServerResponse, path: string) => void;
  /** Answers the repositories' pre-receive hook (protected branches). */
  readonly pushPolicy: (request: IncomingMessage, response: ServerResponse) => void;
}

export function createGitGateway(ctx: SimContext): GitGateway {
  const pushLocks = new Map<number, Promise<void>>();
  const pushers = new Map<string, SimUser>();
  const projectFor = (repository: string): SimProject | undefined =>
    ctx.state.projectByRef(repository.replace(/\.git$/, '').replace(/^\//, ''));
  const userFor = (
    username: string | undefined,
    token: string | undefined,
  ): SimUser | 'invalid' | undefined => {
    if (username === undefined || token === undefined) return undefined;
    if (username === '' || token === '') return 'invalid';
    return ctx.state.userByToken(token) ?? 'invalid';
  };

  const authorize = (access: GitHttpAccess): GitHttpDecision => {
    const project = projectFor(access.repository);
    const user = userFor(access.username, access.password);
    if (user === 'invalid') return 'unauthorized';
    if (project === undefined) return user === undefined ? 'unauthorized' : 'not-found';
    if (!ctx.state.canReadCode(user, project)) return user === undefined ? 'unauthorized' : 'not-found';
    if (project.importStatus === 'scheduled' || project.importStatus === 'started') return 'not-found';
    if (!access.write) return 'allow';
    if (user === undefined) return 'unauthorized';
    return ctx.state.projectAccess(user, project) >= AccessLevel.developer ? 'allow' : 'forbidden';
  };

  const handler = createGitHttpHandler({ root: ctx.storageRoot, authorize });

  const handle = (request: IncomingMessage, response: ServerResponse, path: string): void => {
    const match = GIT_PATH.exec(path);
    const project = match === null ? undefined : projectFor(match[1] ?? '');
    // Serve the canonical path: GitLab paths are case-insensitive, the storage is not.
    const canonical =
      project === undefined ? path : `/${ctx.state.projectFullPath(project)}.git${match?.[2] ?? ''}`;
    const isPush = request.method === 'POST' && canonical.endsWith('/git-receive-pack');
    if (project === undefined || !isPush) {
      handler(request, response, canonical);
      return;
    }
    const auth = credentials(request);
    const user = auth === undefined ? undefined : ctx.state.userByToken(auth.token);
    if (user === undefined) {
      handler(request, response, canonical);
      return;
    }
    void (async () => {
      const previous = pushLocks.get(project.id) ?? Promise.resolve();
      let release = (): void => undefined;
      const current = new Promise<void>((resolve) => (release = resolve));
      const chained = previous.then(() => current);
      pushLocks.set(project.id, chained);
      await previous;
      pushers.set(project.repoDir, user);
      const before = await ctx.git.refs(project.repoDir);
      const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
      let ended = false;
      response.end = ((...args: unknown[]) => {
        if (ended) return response;
        ended = true;
        void (async () => {
          try {
            if (response.statusCode === 200) {
              const after = await ctx.git.refs(project.repoDir);
              const updates = diffRefs(before, after);
              if (updates.length > 0)
                await processPush(ctx, { user, eventUuid: randomUUID() }, project, updates);
            }
          } catch (error) {
            console.error('GitLab simulator: post-receive processing failed', error);
          } finally {
            pushers.delete(project.repoDir);
            end(...args);
            release();
            if (pushLocks.get(project.id) === chained) pushLocks.delete(project.id);
          }
        })();
        return response;
      }) as typeof response.end;
      handler(request, response, canonical);
    })();
  };
  return { handle, pushPolicy: createPushPolicyHandler(ctx, (repoDir) => pushers.get(repoDir)) };
}

/** Branch and tag changes between two ref snapshots, in ref order. */
function diffRefs(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): RefUpdate[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((ref) => ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/'))
    .sort()
    .filter((ref) => before.get(ref) !== after.get(ref))
    .map((ref) => ({ ref, before: before.get(ref) ?? ZERO_SHA, after: after.get(ref) ?? ZERO_SHA }));
}
