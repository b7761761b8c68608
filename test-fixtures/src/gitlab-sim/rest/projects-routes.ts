import type { Hono } from 'hono';
import { AccessLevel, type AccessLevelValue } from '../access-level';
import { addMember, createProject, deleteProject, forkProject } from '../projects';
import type { SimContext } from '../sim-context';
import type { HookEvents, SimHook, SimMembership, SimNamespace, SimProject, Visibility } from '../sim-model';
import { badParameter, forbidden, GitLabSimulatorError, notFound } from '../simulator-error';
import { hookJson } from './hook-json';
import { actorOf, projectParam, recordNotFound, requireUser } from './lookups';
import { memberJson } from './member-json';
import { namespaceJson } from './namespace-json';
import { paginate } from './paginate';
import { projectJson } from './project-json';
import { boolParam, intParam, requiredString, stringParam } from './request-params';
import type { RequestParams, RestContext, RestEnv } from './rest-env';

const VISIBILITIES: readonly Visibility[] = ['private', 'internal', 'public'];

function visibilityParam(params: RequestParams): Visibility | undefined {
  const value = stringParam(params, 'visibility');
  if (value === undefined) return undefined;
  if (!(VISIBILITIES as readonly string[]).includes(value))
    throw badParameter('visibility does not have a valid value');
  return value as Visibility;
}

/** Members of a project with inherited group members; the highest role wins. */
export function allMembers(ctx: SimContext, project: SimProject): SimMembership[] {
  const byUser = new Map<number, SimMembership>();
  const consider = (membership: SimMembership): void => {
    const existing = byUser.get(membership.userId);
    if (existing === undefined || membership.accessLevel > existing.accessLevel)
      byUser.set(membership.userId, membership);
  };
  for (const membership of project.members.values()) consider(membership);
  for (const namespace of ctx.state.namespaceChain(project.namespaceId)) {
    for (const membership of namespace.members.values()) consider(membership);
  }
  return [...byUser.values()].sort((a, b) => a.userId - b.userId);
}

const HOOK_EVENT_KEYS: readonly (keyof HookEvents)[] = [
  'push_events',
  'tag_push_events',
  'merge_requests_events',
  'note_events',
  'confidential_note_events',
  'pipeline_events',
  'job_events',
  'issues_events',
  'confidential_issues_events',
  'wiki_page_events',
  'deployment_events',
  'releases_events',
];

/** A hook's subscriptions from request parameters (GitLab's defaults: push events only). */
export function hookEventsFrom(params: RequestParams, base?: HookEvents): HookEvents {
  const events = {} as HookEvents;
  for (const key of HOOK_EVENT_KEYS) {
    events[key] = boolParam(params, key) ?? base?.[key] ?? key === 'push_events';
  }
  return events;
}

function hookFrom(ctx: SimContext, c: RestContext, owner: SimHook['owner']): SimHook {
  const params = c.get('params');
  const [url = ''] = requiredString(params, 'url');
  if (!/^https?:\/\//.test(url)) {
    throw new GitLabSimulatorError('invalid-argument', 'Invalid url given', {
      http: { status: 422, body: { error: 'Invalid url given' } },
    });
  }
  return {
    id: ctx.state.nextId('hook'),
    owner,
    url,
    token: stringParam(params, 'token') ?? '',
    events: hookEventsFrom(params),
    enableSslVerification: boolParam(params, 'enable_ssl_verification') ?? true,
    pushEventsBranchFilter: stringParam(params, 'push_events_branch_filter') ?? '',
    createdAt: ctx.now(),
    alertStatus: 'executable',
    disabledUntil: null,
    recentFailures: 0,
  };
}

function groupParam(ctx: SimContext, c: RestContext): SimNamespace {
  const group = ctx.state.groupByRef(c.req.param('id') ?? '');
  if (group === undefined) throw notFound('Group');
  return group;
}

export function registerProjectRoutes(app: Hono<RestEnv>, ctx: SimContext): void {
  app.get('/projects/:id', (c) =>
    c.json(projectJson(ctx, projectParam(ctx, c), c.get('user'), { permissions: true })),
  );

  app.put('/projects/:id', async (c) => {
    const project = projectParam(ctx, c);
    const user = requireUser(c);
    if (ctx.state.projectAccess(user, project) < AccessLevel.maintainer) throw forbidden();
    const params = c.get('params');
    const defaultBranch = stringParam(params, 'default_branch');
    if (
      defaultBranch !== undefined &&
      (await ctx.git.branchHead(project.repoDir, defaultBranch)) === undefined
    ) {
      throw new GitLabSimulatorError('invalid-argument', 'Could not change HEAD: branch does not exist', {
        http: {
          status: 400,
          body: { message: "Could not change HEAD: branch '" + defaultBranch + "' does not exist" },
        },
      });
    }
    if (defaultBranch !== undefined) {
      project.defaultBranch = defaultBranch;
      await ctx.git.setHead(project.repoDir, defaultBranch);
    }
    project.name = stringParam(params, 'name') ?? project.name;
    project.description = stringParam(params, 'description') ?? project.description;
    project.visibility = visibilityParam(params) ?? project.visibility;
    const ciConfigPath = stringParam(params, 'ci_config_path');
    if (ciConfigPath !== undefined) project.ciConfigPath = ciConfigPath === '' ? null : ciConfigPath;
    project.mergedResultsPipelines =
      boolParam(params, 'merge_pipelines_enabled') ?? project.mergedResultsPipelines;
    const settings = project.settings;
    settings.buildCoverageRegex = stringParam(params, 'build_coverage_regex') ?? settings.buildCoverageRegex;
    settings.suggestionCommitMessage =
      stringParam(params, 'suggestion_commit_message') ?? settings.suggestionCommitMessage;
    settings.issuesTemplate = stringParam(params, 'issues_template') ?? settings.issuesTemplate;
    settings.mergeRequestsTemplate =
      stringParam(params, 'merge_requests_template') ?? settings.mergeRequestsTemplate;
    project.lastActivityAt = ctx.now();
    return c.json(projectJson(ctx, project, user, { permissions: true }));
  });

  app.delete('/projects/:id', async (c) => {
    const project = projectParam(ctx, c);
    const user = requireUser(c);
    if (ctx.state.projectAccess(user, project) < AccessLevel.owner) throw forbidden();
    await deleteProject(ctx, project);
    return c.json({ message: '202 Accepted' }, 202);
  });

  app.post('/projects', async (c) => {
    const user = requireUser(c);
    const params = c.get('params');
    const name = stringParam(params, 'name');
    const path = stringParam(params, 'path') ?? name?.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
    if (path === undefined)
      throw badParameter('name, path are missing, at least one parameter must be provided');
    const namespaceId = intParam(params, 'namespace_id');
    const namespace =
      namespaceId === undefined
        ? ctx.state.namespaces.get(user.namespaceId)
        : ctx.state.namespaces.get(namespaceId);
    if (namespace === undefined) throw notFound('Namespace');
    if (namespace.kind === 'group' && ctx.state.groupAccess(user, namespace) < AccessLevel.developer)
      throw forbidden();
    if (namespace.kind === 'user' && namespace.ownerId !== user.id && !user.admin) throw forbidden();
    const defaultBranch = stringParam(params, 'default_branch') ?? 'main';
    const project = await createProject(ctx, {
      namespace,
      path,
      ...(name === undefined ? {} : { name }),
      description: stringParam(params, 'description') ?? '',
      defaultBranch,
      visibility: visibilityParam(params) ?? 'private',
      creator: user,
      ...(boolParam(params, 'initialize_with_readme') === true
        ? { files: [{ path: 'README.md', content: `# ${name ?? path}\n` }] }
        : {}),
    });
    return c.json(projectJson(ctx, project, user), 201);
  });

  app.get('/projects/:id/forks', (c) => {
    const source = projectParam(ctx, c);
    const params = c.get('params');
    const user = c.get('user');
    const owned = boolParam(params, 'owned') === true;
    const search = stringParam(params, 'search')?.toLowerCase();
    const forks = [...ctx.state.projects.values()]
      .filter(
        (project) =>
          project.forkedFromId === source.id &&
          ctx.state.canSeeProject(user, project) &&
          (!owned || (user !== undefined && ctx.state.namespaceOf(project).ownerId === user.id)) &&
          (search === undefined ||
            project.name.toLowerCase().includes(search) ||
            ctx.state.projectFullPath(project).toLowerCase().includes(search)),
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    return c.json(
      paginate(c, forks).map((project) => projectJson(ctx, project, user, { permissions: true })),
    );
  });

  app.post('/projects/:id/fork', async (c) => {
    const source = projectParam(ctx, c);
    const actor = actorOf(c);
    const params = c.get('params');
    const namespaceRef =
      stringParam(params, 'namespace_id') ??
      stringParam(params, 'namespace_path') ??
      stringParam(params, 'namespace');
    let namespace: SimNamespace | undefined;
    if (namespaceRef !== undefined) {
      namespace = /^\d+$/.test(namespaceRef)
        ? ctx.state.namespaces.get(Number(namespaceRef))
        : ctx.state.namespaceByFullPath(namespaceRef);
      if (namespace === undefined) throw notFound('Target Namespace');
    }
    const path = stringParam(params, 'path');
    const name = stringParam(params, 'name');
    const description = stringParam(params, 'description');
    const visibility = visibilityParam(params);
    const fork = await forkProject(ctx, actor, source, {
      ...(namespace === undefined ? {} : { namespace }),
      ...(path === undefined ? {} : { path }),
      ...(name === undefined ? {} : { name }),
      ...(description === undefined ? {} : { description }),
      ...(visibility === undefined ? {} : { visibility }),
    });
    return c.json(projectJson(ctx, fork, actor.user), 201);
  });

  app.get('/projects/:id/members/all', (c) => {
    const project = projectParam(ctx, c);
    const query = stringParam(c.get('params'), 'query')?.toLowerCase();
    const members = allMembers(ctx, project).filter((membership) => {
      if (query === undefined) return true;
      const user = ctx.state.requireUser(membership.userId);
      return user.username.toLowerCase().includes(query) || user.name.toLowerCase().includes(query);
    });
    return c.json(paginate(c, members).map((membership) => memberJson(ctx, membership)));
  });

  app.get('/projects/:id/members/all/:user_id', (c) => {
    const project = projectParam(ctx, c);
    const membership = allMembers(ctx, project).find(
      (entry) => entry.userId === Number(c.req.param('user_id')),
    );
    if (membership === undefined) throw recordNotFound();
    return c.json(memberJson(ctx, membership));
  });

  app.get('/projects/:id/members', (c) => {
    const project = projectParam(ctx, c);
    return c.json(
      paginate(c, [...project.members.values()]).map((membership) => memberJson(ctx, membership)),
    );
  });

  app.get('/projects/:id/members/:user_id', (c) => {
    const project = projectParam(ctx, c);
    const membership = project.members.get(Number(c.req.param('user_id')));
    if (membership === undefined) throw recordNotFound();
    return c.json(memberJson(ctx, membership));
  });

  app.post('/projects/:id/members', (c) => {
    const project = projectParam(ctx, c);
    const actor = actorOf(c);
    if (ctx.state.projectAccess(actor.user, project) < AccessLevel.maintainer) throw forbidden();
    const params = c.get('params');
    requiredString(params, 'access_level');
    const level = intParam(params, 'access_level') as AccessLevelValue;
    if (![10, 20, 30, 40, 50].includes(level)) throw badParameter('access_level does not have a valid value');
    const userRef = stringParam(params, 'user_id') ?? stringParam(params, 'username');
    const user =
      userRef === undefined
        ? undefined
        : /^\d+$/.test(userRef)
          ? ctx.state.users.get(Number(userRef))
          : ctx.state.userByUsername(userRef);
    if (user === undefined) throw notFound('User');
    if (project.members.has(user.id)) throw new GitLabSimulatorError('conflict', 'Member already exists');
    const membership = addMember(ctx, project, user, level, {
      createdBy: actor.user,
      expiresAt: stringParam(params, 'expires_at') ?? null,
    });
    return c.json(memberJson(ctx, membership), 201);
  });

  const projectHooks = (c: RestContext): SimProject => {
    const project = projectParam(ctx, c);
    if (ctx.state.projectAccess(requireUser(c), project) < AccessLevel.maintainer) throw forbidden();
    return project;
  };
  const projectHook = (c: RestContext): SimHook => {
    const project = projectHooks(c);
    const hook = ctx.state.hooks.get(Number(c.req.param('hook_id')));
    if (hook?.owner.type !== 'project' || hook.owner.id !== project.id) throw notFound('Hook');
    return hook;
  };
  app.get('/projects/:id/hooks', (c) => {
    const project = projectHooks(c);
    const hooks = [...ctx.state.hooks.values()].filter(
      (hook) => hook.owner.type === 'project' && hook.owner.id === project.id,
    );
    return c.json(paginate(c, hooks).map(hookJson));
  });
  app.post('/projects/:id/hooks', (c) => {
    const project = projectHooks(c);
    const hook = hookFrom(ctx, c, { type: 'project', id: project.id });
    ctx.state.hooks.set(hook.id, hook);
    return c.json(hookJson(hook), 201);
  });
  app.get('/projects/:id/hooks/:hook_id', (c) => c.json(hookJson(projectHook(c))));
  app.put('/projects/:id/hooks/:hook_id', (c) => {
    const hook = projectHook(c);
    updateHook(c, hook);
    return c.json(hookJson(hook));
  });
  app.delete('/projects/:id/hooks/:hook_id', (c) => {
    ctx.state.hooks.delete(projectHook(c).id);
    return c.body(null, 204);
  });

  app.get('/groups/:id', (c) => {
    const group = groupParam(ctx, c);
    const user = c.get('user');
    if (group.visibility !== 'public' && ctx.state.groupAccess(user, group) === AccessLevel.none)
      throw notFound('Group');
    const projects = [...ctx.state.projects.values()].filter(
      (project) => project.namespaceId === group.id && ctx.state.canSeeProject(user, project),
    );
    return c.json({
      id: group.id,
      web_url: namespaceJson(ctx, group).web_url,
      name: group.name,
      path: group.path,
      description: '',
      visibility: group.visibility,
      share_with_group_lock: false,
      require_two_factor_authentication: false,
      two_factor_grace_period: 48,
      project_creation_level: 'developer',
      auto_devops_enabled: null,
      subgroup_creation_level: 'maintainer',
      emails_disabled: null,
      emails_enabled: true,
      mentions_disabled: null,
      lfs_enabled: true,
      default_branch_protection: 2,
      avatar_url: namespaceJson(ctx, group).avatar_url,
      request_access_enabled: true,
      full_name: ctx.state.namespaceFullName(group),
      full_path: ctx.state.namespaceFullPath(group),
      created_at: new Date(group.createdAt).toISOString(),
      parent_id: group.parentId,
      shared_runners_setting: 'enabled',
      ldap_cn: null,
      ldap_access: null,
      wiki_access_level: 'enabled',
      shared_with_groups: [],
      runners_token: `GR1348941${group.id.toString(36).padStart(20, 'g')}`,
      prevent_sharing_groups_outside_hierarchy: false,
      prevent_forking_outside_group: null,
      membership_lock: false,
      shared_runners_minutes_limit: 400,
      extra_shared_runners_minutes_limit: null,
      marked_for_deletion_on: null,
      projects: projects.map((project) => projectJson(ctx, project, user, { permissions: true })),
      shared_projects: [],
    });
  });
  const groupHooks = (c: RestContext): SimNamespace => {
    const group = groupParam(ctx, c);
    if (ctx.state.groupAccess(requireUser(c), group) < AccessLevel.owner) throw forbidden();
    return group;
  };
  app.get('/groups/:id/hooks', (c) => {
    const group = groupHooks(c);
    const hooks = [...ctx.state.hooks.values()].filter(
      (hook) => hook.owner.type === 'group' && hook.owner.id === group.id,
    );
    return c.json(paginate(c, hooks).map(hookJson));
  });
  app.post('/groups/:id/hooks', (c) => {
    const group = groupHooks(c);
    const hook = hookFrom(ctx, c, { type: 'group', id: group.id });
    ctx.state.hooks.set(hook.id, hook);
    return c.json(hookJson(hook), 201);
  });
}

function updateHook(c: RestContext, hook: SimHook): void {
  const params = c.get('params');
  const url = stringParam(params, 'url');
  if (url !== undefined) hook.url = url;
  const token = stringParam(params, 'token');
  if (token !== undefined) hook.token = token;
  hook.events = hookEventsFrom(params, hook.events);
  hook.enableSslVerification = boolParam(params, 'enable_ssl_verification') ?? hook.enableSslVerification;
  hook.pushEventsBranchFilter =
    stringParam(params, 'push_events_branch_filter') ?? hook.pushEventsBranchFilter;
  hook.alertStatus = 'executable';
  hook.disabledUntil = null;
  hook.recentFailures = 0;
}
