import type { Hono } from 'hono';
import { AccessLevel } from '../access-level';
import { mergeRequestPipelines } from '../head-pipeline';
import {
  createMergeRequest,
  mergeMergeRequest,
  refreshMergeRequest,
  updateMergeRequest,
} from '../merge-requests';
import {
  awardEmoji,
  awardsOn,
  createMergeRequestNote,
  mergeRequestNotes,
  removeAwardEmoji,
  updateNote,
} from '../notes';
import { createMergeRequestPipeline, identityOf } from '../pipelines';
import { processPush } from '../pushes';
import type { SimContext } from '../sim-context';
import type { Awardable, MergeRequestState, SimMergeRequest } from '../sim-model';
import { badParameter, forbidden, GitLabSimulatorError, notFound } from '../simulator-error';
import { commitJson } from './commit-json';
import { actorOf, mergeRequestParam, noteParam, projectParam, recordNotFound } from './lookups';
import { basicMergeRequestJson, mergeRequestJson } from './merge-request-json';
import { awardEmojiJson, noteJson } from './note-json';
import { paginate } from './paginate';
import { basicPipelineJson, pipelineJson } from './pipeline-json';
import {
  boolParam,
  intListParam,
  intParam,
  requiredString,
  stringListParam,
  stringParam,
} from './request-params';
import type { RestContext, RestEnv } from './rest-env';

const STATES: readonly string[] = ['opened', 'closed', 'merged', 'locked', 'all'];

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function registerMergeRequestRoutes(app: Hono<RestEnv>, ctx: SimContext): void {
  app.get('/projects/:id/merge_requests', (c) => {
    const project = projectParam(ctx, c);
    return c.json(listMergeRequests(ctx, c, (mr) => mr.projectId === project.id));
  });

  // The MRs of every project of a group and its subgroups that the caller can see.
  app.get('/groups/:id/merge_requests', (c) => {
    const group = ctx.state.groupByRef(c.req.param('id') ?? '');
    const user = c.get('user');
    if (group === undefined) throw notFound('Group');
    if (group.visibility !== 'public' && ctx.state.groupAccess(user, group) === AccessLevel.none) {
      throw notFound('Group');
    }
    return c.json(
      listMergeRequests(ctx, c, (mr) => {
        const project = ctx.state.projects.get(mr.projectId);
        return (
          project !== undefined &&
          ctx.state.namespaceChain(project.namespaceId).some((namespace) => namespace.id === group.id) &&
          ctx.state.canSeeProject(user, project)
        );
      }),
    );
  });

  app.post('/projects/:id/merge_requests', async (c) => {
    const source = projectParam(ctx, c);
    const actor = actorOf(c);
    const params = c.get('params');
    const [sourceBranch = '', targetBranch = '', title = ''] = requiredString(
      params,
      'source_branch',
      'target_branch',
      'title',
    );
    const targetId = intParam(params, 'target_project_id');
    const target = targetId === undefined ? source : ctx.state.projects.get(targetId);
    if (target === undefined || !ctx.state.canSeeProject(actor.user, target)) throw notFound('Project');
    const assigneeIds = intListParam(params, 'assignee_ids') ?? intListParam(params, 'assignee_id');
    const reviewerIds = intListParam(params, 'reviewer_ids');
    const labels = stringListParam(params, 'labels');
    const removeSourceBranch = boolParam(params, 'remove_source_branch');
    const squash = boolParam(params, 'squash');
    const allowCollaboration = boolParam(params, 'allow_collaboration');
    const mr = await createMergeRequest(ctx, actor, {
      sourceProject: source,
      targetProject: target,
      sourceBranch,
      targetBranch,
      title,
      description: stringParam(params, 'description') ?? '',
      ...(assigneeIds === undefined ? {} : { assigneeIds }),
      ...(reviewerIds === undefined ? {} : { reviewerIds }),
      ...(labels === undefined ? {} : { labels }),
      ...(removeSourceBranch === undefined ? {} : { removeSourceBranch }),
      ...(squash === undefined ? {} : { squash }),
      ...(allowCollaboration === undefined ? {} : { allowCollaboration }),
    });
    return c.json(mergeRequestJson(ctx, mr, actor.user), 201);
  });

  app.get('/projects/:id/merge_requests/:merge_request_iid', (c) => {
    const project = projectParam(ctx, c);
    return c.json(mergeRequestJson(ctx, mergeRequestParam(ctx, c, project), c.get('user')));
  });

  app.put('/projects/:id/merge_requests/:merge_request_iid', async (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    const mr = mergeRequestParam(ctx, c, project);
    const params = c.get('params');
    const stateEvent = stringParam(params, 'state_event');
    if (stateEvent !== undefined && stateEvent !== 'close' && stateEvent !== 'reopen') {
      throw badParameter('state_event does not have a valid value');
    }
    const input = {
      title: stringParam(params, 'title'),
      description: stringParam(params, 'description'),
      targetBranch: stringParam(params, 'target_branch'),
      stateEvent,
      labels: stringListParam(params, 'labels'),
      assigneeIds: intListParam(params, 'assignee_ids') ?? intListParam(params, 'assignee_id'),
      reviewerIds: intListParam(params, 'reviewer_ids'),
      removeSourceBranch: boolParam(params, 'remove_source_branch'),
      squash: boolParam(params, 'squash'),
      allowCollaboration: boolParam(params, 'allow_collaboration'),
    };
    const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    if (Object.keys(given).length === 0) {
      throw badParameter(
        'assignee_id, assignee_ids, reviewer_ids, description, labels, add_labels, remove_labels, milestone_id, remove_source_branch, allow_collaboration, allow_maintainer_to_push, squash, state_event, target_branch, title, discussion_locked are missing, at least one parameter must be provided',
      );
    }
    await updateMergeRequest(ctx, actor, mr, given);
    return c.json(mergeRequestJson(ctx, mr, actor.user));
  });

  app.put('/projects/:id/merge_requests/:merge_request_iid/merge', async (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    const mr = mergeRequestParam(ctx, c, project);
    const params = c.get('params');
    const sha = stringParam(params, 'sha');
    const message = stringParam(params, 'merge_commit_message');
    const outcome = await mergeMergeRequest(ctx, actor, mr, {
      ...(sha === undefined ? {} : { sha }),
      ...(message === undefined ? {} : { mergeCommitMessage: message }),
    });
    await processPush(ctx, actor, project, [{ ref: `refs/heads/${mr.targetBranch}`, ...outcome }]);
    if (boolParam(params, 'should_remove_source_branch') === true || mr.removeSourceBranch === true) {
      const source = ctx.state.projects.get(mr.sourceProjectId);
      const head =
        source === undefined ? undefined : await ctx.git.branchHead(source.repoDir, mr.sourceBranch);
      if (
        source !== undefined &&
        head !== undefined &&
        ctx.state.projectAccess(actor.user, source) >= AccessLevel.developer
      ) {
        await ctx.git.deleteRef(source.repoDir, `refs/heads/${mr.sourceBranch}`);
        await processPush(ctx, actor, source, [
          { ref: `refs/heads/${mr.sourceBranch}`, before: head, after: '0'.repeat(40) },
        ]);
      }
    }
    return c.json(mergeRequestJson(ctx, mr, actor.user));
  });

  app.get('/projects/:id/merge_requests/:merge_request_iid/commits', async (c) => {
    const project = projectParam(ctx, c);
    const mr = mergeRequestParam(ctx, c, project);
    const commits =
      mr.baseSha === null
        ? []
        : await ctx.git.log(project.repoDir, mr.sha, mr.baseSha === mr.sha ? undefined : mr.baseSha);
    return c.json(
      paginate(c, mr.baseSha === mr.sha ? [] : commits).map((commit) => commitJson(ctx, project, commit)),
    );
  });

  app.get('/projects/:id/merge_requests/:merge_request_iid/merge_ref', async (c) => {
    const project = projectParam(ctx, c);
    const mr = mergeRequestParam(ctx, c, project);
    await refreshMergeRequest(ctx, mr);
    const targetHead = await ctx.git.branchHead(project.repoDir, mr.targetBranch);
    const author = ctx.state.requireUser(mr.authorId);
    const message = `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${ctx.state.projectFullPath(project)}!${mr.iid}`;
    const merge =
      mr.state !== 'opened' || targetHead === undefined
        ? undefined
        : await ctx.git.mergeCommit(
            project.repoDir,
            targetHead,
            mr.sha,
            message,
            identityOf(author),
            undefined,
          );
    if (merge === undefined) {
      throw new GitLabSimulatorError('not-allowed', 'Merge request is not mergeable', {
        http: { status: 400 },
      });
    }
    await ctx.git.updateRef(project.repoDir, `refs/merge-requests/${mr.iid}/merge`, merge);
    return c.json({ commit_id: merge });
  });

  app.get('/projects/:id/merge_requests/:merge_request_iid/notes', (c) => {
    const project = projectParam(ctx, c);
    const mr = mergeRequestParam(ctx, c, project);
    const params = c.get('params');
    const sort = stringParam(params, 'sort') ?? 'desc';
    const orderBy = stringParam(params, 'order_by') ?? 'created_at';
    if (sort !== 'asc' && sort !== 'desc') throw badParameter('sort does not have a valid value');
    if (orderBy !== 'created_at' && orderBy !== 'updated_at')
      throw badParameter('order_by does not have a valid value');
    const notes = mergeRequestNotes(ctx, mr).filter(
      (note) => !note.internal || canSeeInternal(ctx, c, project.id),
    );
    const key = orderBy === 'updated_at' ? 'updatedAt' : 'createdAt';
    notes.sort((a, b) => (sort === 'asc' ? 1 : -1) * (compare(a[key], b[key]) || compare(a.id, b.id)));
    return c.json(paginate(c, notes).map((note) => noteJson(ctx, note)));
  });

  app.get('/projects/:id/merge_requests/:merge_request_iid/notes/:note_id', (c) => {
    const project = projectParam(ctx, c);
    return c.json(noteJson(ctx, noteParam(ctx, c, mergeRequestParam(ctx, c, project))));
  });

  app.post('/projects/:id/merge_requests/:merge_request_iid/notes', async (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    const mr = mergeRequestParam(ctx, c, project);
    const params = c.get('params');
    const [body = ''] = requiredString(params, 'body');
    const internal = boolParam(params, 'internal') ?? boolParam(params, 'confidential') ?? false;
    const note = await createMergeRequestNote(ctx, actor, mr, body, { internal });
    return c.json(noteJson(ctx, note), 201);
  });

  app.put('/projects/:id/merge_requests/:merge_request_iid/notes/:note_id', async (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    const note = noteParam(ctx, c, mergeRequestParam(ctx, c, project));
    const [body = ''] = requiredString(c.get('params'), 'body');
    return c.json(noteJson(ctx, await updateNote(ctx, actor, note, body)));
  });

  app.delete('/projects/:id/merge_requests/:merge_request_iid/notes/:note_id', (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    const note = noteParam(ctx, c, mergeRequestParam(ctx, c, project));
    const mayDelete =
      !note.system &&
      (note.authorId === actor.user.id ||
        ctx.state.projectAccess(actor.user, project) >= AccessLevel.maintainer);
    if (!mayDelete) throw forbidden();
    ctx.state.notes.delete(note.id);
    return c.body(null, 204);
  });

  const noteAwardable = (c: RestContext): Awardable => {
    const project = projectParam(ctx, c);
    return { type: 'Note', noteId: noteParam(ctx, c, mergeRequestParam(ctx, c, project)).id };
  };
  const mergeRequestAwardable = (c: RestContext): Awardable => {
    const project = projectParam(ctx, c);
    return { type: 'MergeRequest', mergeRequestId: mergeRequestParam(ctx, c, project).id };
  };
  for (const [prefix, awardable] of [
    ['/projects/:id/merge_requests/:merge_request_iid/notes/:note_id/award_emoji', noteAwardable],
    ['/projects/:id/merge_requests/:merge_request_iid/award_emoji', mergeRequestAwardable],
  ] as const) {
    app.get(prefix, (c) =>
      c.json(paginate(c, awardsOn(ctx, awardable(c))).map((award) => awardEmojiJson(ctx, award))),
    );
    app.post(prefix, (c) => {
      const target = awardable(c);
      const [name = ''] = requiredString(c.get('params'), 'name');
      return c.json(awardEmojiJson(ctx, awardEmoji(ctx, actorOf(c), target, name)), 201);
    });
    app.get(`${prefix}/:award_id`, (c) => {
      const award = awardsOn(ctx, awardable(c)).find((entry) => entry.id === Number(c.req.param('award_id')));
      if (award === undefined) throw recordNotFound();
      return c.json(awardEmojiJson(ctx, award));
    });
    app.delete(`${prefix}/:award_id`, (c) => {
      const award = awardsOn(ctx, awardable(c)).find((entry) => entry.id === Number(c.req.param('award_id')));
      if (award === undefined) throw recordNotFound();
      removeAwardEmoji(ctx, actorOf(c), award);
      return c.body(null, 204);
    });
  }

  app.get('/projects/:id/merge_requests/:merge_request_iid/pipelines', (c) => {
    const project = projectParam(ctx, c);
    const mr = mergeRequestParam(ctx, c, project);
    return c.json(
      paginate(c, mergeRequestPipelines(ctx, mr)).map((pipeline) => basicPipelineJson(ctx, pipeline)),
    );
  });

  app.post('/projects/:id/merge_requests/:merge_request_iid/pipelines', async (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    const mr = mergeRequestParam(ctx, c, project);
    const target = ctx.state.requireProject(mr.projectId);
    const source = ctx.state.requireProject(mr.sourceProjectId);
    const inTarget = ctx.state.projectAccess(actor.user, target) >= AccessLevel.developer;
    if (!inTarget && ctx.state.projectAccess(actor.user, source) < AccessLevel.developer) throw forbidden();
    const pipeline = await createMergeRequestPipeline(ctx, mr, actor, { inTarget });
    if (pipeline === undefined) {
      throw new GitLabSimulatorError('invalid-argument', 'No stages / jobs for this pipeline.', {
        http: { status: 400, body: { message: { base: ['No stages / jobs for this pipeline.'] } } },
      });
    }
    return c.json(pipelineJson(ctx, pipeline), 201);
  });
}

function canSeeInternal(ctx: SimContext, c: RestContext, projectId: number): boolean {
  return ctx.state.projectAccess(c.get('user'), ctx.state.requireProject(projectId)) >= AccessLevel.reporter;
}

/**
 * `GET …/merge_requests` of the MRs `inScope` admits: GitLab's filters (`state`, branches, author,
 * labels, `iids`, `search`/`in`), ordering (`order_by`, `sort`) and pagination.
 */
function listMergeRequests(
  ctx: SimContext,
  c: RestContext,
  inScope: (mr: SimMergeRequest) => boolean,
): ReturnType<typeof basicMergeRequestJson>[] {
  const params = c.get('params');
  const state = stringParam(params, 'state') ?? 'all';
  if (!STATES.includes(state)) throw badParameter('state does not have a valid value');
  const sourceBranch = stringParam(params, 'source_branch');
  const targetBranch = stringParam(params, 'target_branch');
  const authorUsername = stringParam(params, 'author_username')?.toLowerCase();
  const authorId = intParam(params, 'author_id');
  const search = stringParam(params, 'search')?.toLowerCase();
  const searchIn = stringParam(params, 'in') ?? 'title,description';
  const labels = stringListParam(params, 'labels');
  const iids = intListParam(params, 'iids');
  const orderBy = stringParam(params, 'order_by') ?? 'created_at';
  const sort = stringParam(params, 'sort') ?? 'desc';
  if (!['created_at', 'updated_at', 'title', 'merged_at'].includes(orderBy)) {
    throw badParameter('order_by does not have a valid value');
  }
  if (sort !== 'asc' && sort !== 'desc') throw badParameter('sort does not have a valid value');
  const list = [...ctx.state.mergeRequests.values()].filter((mr) => {
    if (!inScope(mr)) return false;
    if (state !== 'all' && mr.state !== (state as MergeRequestState)) return false;
    if (sourceBranch !== undefined && mr.sourceBranch !== sourceBranch) return false;
    if (targetBranch !== undefined && mr.targetBranch !== targetBranch) return false;
    if (authorId !== undefined && mr.authorId !== authorId) return false;
    if (
      authorUsername !== undefined &&
      ctx.state.users.get(mr.authorId)?.username.toLowerCase() !== authorUsername
    ) {
      return false;
    }
    if (labels !== undefined && !labels.every((label) => mr.labels.includes(label))) return false;
    if (iids !== undefined && !iids.includes(mr.iid)) return false;
    if (search !== undefined) {
      const inTitle = searchIn.includes('title') && mr.title.toLowerCase().includes(search);
      const inDescription = searchIn.includes('description') && mr.description.toLowerCase().includes(search);
      if (!inTitle && !inDescription) return false;
    }
    return true;
  });
  const key = (mr: SimMergeRequest): string | number =>
    orderBy === 'title'
      ? mr.title
      : orderBy === 'updated_at'
        ? mr.updatedAt
        : orderBy === 'merged_at'
          ? (mr.mergedAt ?? 0)
          : mr.createdAt;
  list.sort((a, b) => (sort === 'asc' ? 1 : -1) * (compare(key(a), key(b)) || compare(a.id, b.id)));
  return paginate(c, list).map((mr) => basicMergeRequestJson(ctx, mr));
}
