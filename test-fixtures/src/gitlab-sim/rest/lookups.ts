import type { Actor, SimContext } from '../sim-context';
import type { SimMergeRequest, SimNote, SimProject, SimUser } from '../sim-model';
import { GitLabSimulatorError, notFound, unauthorized } from '../simulator-error';
import type { RestContext } from './rest-env';

/** The authenticated user; 401 for anonymous requests. */
export function requireUser(c: RestContext): SimUser {
  const user = c.get('user');
  if (user === undefined) throw unauthorized();
  return user;
}

export function actorOf(c: RestContext): Actor {
  return { user: requireUser(c), eventUuid: c.get('eventUuid') };
}

/** `:id` of the path: numeric id or URL-encoded full path; 404 unless the caller may see it. */
export function projectParam(ctx: SimContext, c: RestContext, name = 'id'): SimProject {
  const project = ctx.state.projectByRef(c.req.param(name) ?? '');
  if (project === undefined || !ctx.state.canSeeProject(c.get('user'), project)) throw notFound('Project');
  return project;
}

/** As {@link projectParam}, and the caller must be able to read its repository. */
export function repositoryParam(ctx: SimContext, c: RestContext): SimProject {
  const project = projectParam(ctx, c);
  if (!ctx.state.canReadCode(c.get('user'), project)) throw notFound('Project');
  return project;
}

export function mergeRequestParam(ctx: SimContext, c: RestContext, project: SimProject): SimMergeRequest {
  const iid = Number(c.req.param('merge_request_iid'));
  const mr = Number.isSafeInteger(iid) ? ctx.state.mergeRequestByIid(project, iid) : undefined;
  if (mr === undefined) throw recordNotFound();
  return mr;
}

export function noteParam(ctx: SimContext, c: RestContext, mr: SimMergeRequest): SimNote {
  const note = ctx.state.notes.get(Number(c.req.param('note_id')));
  if (note?.target.type !== 'MergeRequest' || note.target.mergeRequestId !== mr.id) throw recordNotFound();
  return note;
}

/** What GitLab answers when a record looked up by id does not exist: `404 Not found`. */
export function recordNotFound(): GitLabSimulatorError {
  return new GitLabSimulatorError('not-found', '404 Not found');
}
