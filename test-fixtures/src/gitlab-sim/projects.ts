import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AccessLevel, type AccessLevelValue } from './access-level';
import type { FileChange } from './git-store';
import { installPushPolicyHook } from './push-policy';
import type { Actor, SimContext } from './sim-context';
import type {
  ProjectSettings,
  SimMembership,
  SimNamespace,
  SimProject,
  SimUser,
  UserProfile,
  Visibility,
} from './sim-model';
import { forbidden, GitLabSimulatorError, notFound } from './simulator-error';

const PATH_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/;

function checkPath(path: string, what: string): void {
  if (!PATH_PATTERN.test(path) || path.endsWith('.git') || path.endsWith('.atom')) {
    throw new GitLabSimulatorError('invalid-argument', `${what} path "${path}" is not a valid GitLab path`, {
      http: {
        status: 400,
        body: { message: { path: ["can contain only letters, digits, '_', '-' and '.'"] } },
      },
    });
  }
}

function emptySettings(): ProjectSettings {
  return {
    avatarUrl: null,
    buildCoverageRegex: null,
    suggestionCommitMessage: null,
    issuesTemplate: null,
    mergeRequestsTemplate: null,
    mergeCommitTemplate: null,
    squashCommitTemplate: null,
  };
}

/** Removes a project, its repository and everything that belongs to it. */
export async function deleteProject(ctx: SimContext, project: SimProject): Promise<void> {
  ctx.state.projects.delete(project.id);
  for (const [id, mr] of ctx.state.mergeRequests)
    if (mr.projectId === project.id) ctx.state.mergeRequests.delete(id);
  for (const [id, note] of ctx.state.notes) if (note.projectId === project.id) ctx.state.notes.delete(id);
  for (const [id, pipeline] of ctx.state.pipelines)
    if (pipeline.projectId === project.id) ctx.state.pipelines.delete(id);
  for (const [id, status] of ctx.state.commitStatuses)
    if (status.projectId === project.id) ctx.state.commitStatuses.delete(id);
  for (const [id, hook] of ctx.state.hooks) {
    if (hook.owner.type === 'project' && hook.owner.id === project.id) ctx.state.hooks.delete(id);
  }
  await ctx.git.remove(project.repoDir);
}

/** A personal access token in GitLab's format. */
export function newToken(): string {
  return `glpat-${randomBytes(15).toString('base64url').slice(0, 20)}`;
}

export interface CreateUserInput {
  readonly username: string;
  readonly name?: string;
  readonly email?: string;
  readonly admin?: boolean;
  readonly bot?: boolean;
  /** Use this personal access token instead of a random one. */
  readonly token?: string;
  readonly profile?: Partial<UserProfile>;
}

/** A user, their personal namespace and one personal access token. */
export function createUser(ctx: SimContext, input: CreateUserInput): { user: SimUser; token: string } {
  checkPath(input.username, 'Username');
  if (
    ctx.state.userByUsername(input.username) !== undefined ||
    ctx.state.namespaceByFullPath(input.username)
  ) {
    throw new GitLabSimulatorError('conflict', `Username ${input.username} has already been taken`);
  }
  const now = ctx.now();
  const id = ctx.state.nextId('user');
  const namespaceId = ctx.state.nextId('namespace');
  const name = input.name ?? input.username;
  const token = input.token ?? newToken();
  const user: SimUser = {
    id,
    username: input.username,
    name,
    email: input.email ?? `${input.username}@example.com`,
    admin: input.admin ?? false,
    bot: input.bot ?? false,
    createdAt: now,
    namespaceId,
    tokens: new Set([token]),
    profile: {
      publicEmail: null,
      pronouns: null,
      jobTitle: null,
      organization: null,
      location: null,
      bio: null,
      ...input.profile,
    },
  };
  ctx.state.users.set(id, user);
  ctx.state.namespaces.set(namespaceId, {
    id: namespaceId,
    kind: 'user',
    path: input.username,
    name,
    parentId: null,
    ownerId: id,
    visibility: 'public',
    members: new Map(),
    createdAt: now,
  });
  return { user, token };
}

export interface CreateGroupInput {
  readonly path: string;
  readonly name?: string;
  readonly parent?: SimNamespace;
  readonly visibility?: Visibility;
}

export function createGroup(ctx: SimContext, input: CreateGroupInput): SimNamespace {
  checkPath(input.path, 'Group');
  if (input.parent !== undefined && input.parent.kind !== 'group') {
    throw new GitLabSimulatorError('invalid-argument', 'A subgroup can only be created in a group');
  }
  const fullPath =
    input.parent === undefined ? input.path : `${ctx.state.namespaceFullPath(input.parent)}/${input.path}`;
  if (ctx.state.namespaceByFullPath(fullPath) !== undefined) {
    throw new GitLabSimulatorError('conflict', `Namespace ${fullPath} already exists`);
  }
  const group: SimNamespace = {
    id: ctx.state.nextId('namespace'),
    kind: 'group',
    path: input.path,
    name: input.name ?? input.path,
    parentId: input.parent?.id ?? null,
    ownerId: null,
    visibility: input.visibility ?? 'public',
    members: new Map(),
    createdAt: ctx.now(),
  };
  ctx.state.namespaces.set(group.id, group);
  return group;
}

/** Gives a user a role in a project or group (replacing a previous one). */
export function addMember(
  ctx: SimContext,
  target: SimProject | SimNamespace,
  user: SimUser,
  accessLevel: AccessLevelValue,
  options: { createdBy?: SimUser | undefined; expiresAt?: string | null | undefined } = {},
): SimMembership {
  const membership: SimMembership = {
    userId: user.id,
    accessLevel,
    createdAt: ctx.now(),
    createdById: options.createdBy?.id ?? null,
    expiresAt: options.expiresAt ?? null,
  };
  target.members.set(user.id, membership);
  return membership;
}

export interface CreateProjectInput {
  readonly namespace: SimNamespace;
  readonly path: string;
  readonly name?: string;
  readonly description?: string;
  readonly defaultBranch?: string;
  readonly visibility?: Visibility;
  readonly creator: SimUser;
  /** Files of an initial commit on the default branch; without any, the repository starts empty. */
  readonly files?: readonly FileChange[];
  readonly commitMessage?: string;
  readonly ciConfigPath?: string | null;
  readonly mergedResultsPipelines?: boolean;
}

export async function createProject(ctx: SimContext, input: CreateProjectInput): Promise<SimProject> {
  checkPath(input.path, 'Project');
  const existing = ctx.state.projectByRef(`${ctx.state.namespaceFullPath(input.namespace)}/${input.path}`);
  if (existing !== undefined) {
    throw new GitLabSimulatorError('invalid-argument', 'Project name and path have already been taken', {
      http: {
        status: 400,
        body: { message: { name: ['has already been taken'], path: ['has already been taken'] } },
      },
    });
  }
  const now = ctx.now();
  const id = ctx.state.nextId('project');
  const project: SimProject = {
    id,
    name: input.name ?? input.path,
    path: input.path,
    namespaceId: input.namespace.id,
    description: input.description ?? '',
    defaultBranch: input.defaultBranch ?? 'main',
    visibility: input.visibility ?? 'public',
    forkedFromId: null,
    importStatus: 'none',
    createdAt: now,
    lastActivityAt: now,
    creatorId: input.creator.id,
    ciConfigPath: input.ciConfigPath ?? null,
    mergedResultsPipelines: input.mergedResultsPipelines ?? false,
    members: new Map(),
    repoDir: join(ctx.storageRoot, `${ctx.state.namespaceFullPath(input.namespace)}/${input.path}.git`),
    emptyRepo: true,
    readmePath: null,
    nextMergeRequestIid: 1,
    nextPipelineIid: 1,
    archived: false,
    settings: emptySettings(),
  };
  await ctx.git.init(project.repoDir, project.defaultBranch);
  await installPushPolicyHook(ctx, project.repoDir);
  ctx.state.projects.set(id, project);
  if (input.namespace.kind === 'user') {
    addMember(ctx, project, input.creator, AccessLevel.owner);
  } else if (
    ctx.state.groupAccess(input.creator, input.namespace) < AccessLevel.maintainer &&
    !input.creator.admin
  ) {
    addMember(ctx, project, input.creator, AccessLevel.maintainer);
  }
  if (input.files !== undefined && input.files.length > 0) {
    const sha = await ctx.git.writeCommit(
      project.repoDir,
      undefined,
      input.files,
      input.commitMessage ?? 'Initial commit',
      { name: input.creator.name, email: input.creator.email },
      undefined,
    );
    await ctx.git.updateRef(project.repoDir, `refs/heads/${project.defaultBranch}`, sha);
  }
  await refreshRepoInfo(ctx, project);
  return project;
}

/**
 * Re-derives what the project shows from its repository: empty or not, its README, and (for a
 * repository that was empty) the default branch from the first pushed branch.
 */
export async function refreshRepoInfo(
  ctx: SimContext,
  project: SimProject,
  pushedBranches: readonly string[] = [],
): Promise<void> {
  const branches = await ctx.git.branches(project.repoDir);
  if (!branches.has(project.defaultBranch) && branches.size > 0) {
    const first = pushedBranches.find((branch) => branches.has(branch)) ?? [...branches.keys()].sort()[0];
    if (first !== undefined && project.emptyRepo) {
      project.defaultBranch = first;
      await ctx.git.setHead(project.repoDir, first);
    }
  }
  project.emptyRepo = branches.size === 0;
  project.readmePath = null;
  if (branches.has(project.defaultBranch)) {
    const root = await ctx.git.rootEntries(project.repoDir, `refs/heads/${project.defaultBranch}`);
    project.readmePath = root.find((name) => /^readme(\.|$)/i.test(name)) ?? null;
  }
}

export interface ForkInput {
  readonly namespace?: SimNamespace;
  readonly path?: string;
  readonly name?: string;
  readonly description?: string;
  readonly visibility?: Visibility;
}

const visibilityRank: Readonly<Record<Visibility, number>> = { private: 0, internal: 1, public: 2 };

/**
 * `POST /projects/:id/fork`. Returns at once with `import_status: scheduled`; in the background the
 * fork moves to `started` (its repository receives the parent's branches and tags) and then to
 * `finished` over `forkImportDelayMs`. Until then git access to the fork answers like GitLab for a
 * repository that does not exist yet.
 */
export async function forkProject(
  ctx: SimContext,
  actor: Actor,
  source: SimProject,
  input: ForkInput = {},
): Promise<SimProject> {
  if (!ctx.state.canReadCode(actor.user, source)) throw notFound('Project');
  const namespace = input.namespace ?? ctx.state.namespaces.get(actor.user.namespaceId);
  if (namespace === undefined) throw notFound('Target Namespace');
  if (namespace.kind === 'group' && ctx.state.groupAccess(actor.user, namespace) < AccessLevel.developer) {
    throw forbidden();
  }
  if (namespace.kind === 'user' && namespace.ownerId !== actor.user.id && !actor.user.admin)
    throw forbidden();
  const path = input.path ?? source.path;
  checkPath(path, 'Project');
  if (ctx.state.projectByRef(`${ctx.state.namespaceFullPath(namespace)}/${path}`) !== undefined) {
    throw new GitLabSimulatorError('conflict', 'Project name and path have already been taken', {
      http: {
        status: 409,
        body: { message: { name: ['has already been taken'], path: ['has already been taken'] } },
      },
    });
  }
  const requested = input.visibility ?? source.visibility;
  const visibility =
    visibilityRank[requested] <= visibilityRank[source.visibility] ? requested : source.visibility;
  const now = ctx.now();
  const fork: SimProject = {
    id: ctx.state.nextId('project'),
    name: input.name ?? source.name,
    path,
    namespaceId: namespace.id,
    description: input.description ?? source.description,
    defaultBranch: source.defaultBranch,
    visibility,
    forkedFromId: source.id,
    importStatus: 'scheduled',
    createdAt: now,
    lastActivityAt: now,
    creatorId: actor.user.id,
    ciConfigPath: source.ciConfigPath,
    mergedResultsPipelines: false,
    members: new Map(),
    repoDir: join(ctx.storageRoot, `${ctx.state.namespaceFullPath(namespace)}/${path}.git`),
    emptyRepo: true,
    readmePath: null,
    nextMergeRequestIid: 1,
    nextPipelineIid: 1,
    archived: false,
    settings: emptySettings(),
  };
  await ctx.git.init(fork.repoDir, fork.defaultBranch);
  await installPushPolicyHook(ctx, fork.repoDir);
  ctx.state.projects.set(fork.id, fork);
  addMember(ctx, fork, actor.user, AccessLevel.owner);
  const copy = async (): Promise<void> => {
    fork.importStatus = 'started';
    await ctx.git.copyRefs(source.repoDir, fork.repoDir);
  };
  const finish = async (): Promise<void> => {
    await refreshRepoInfo(ctx, fork);
    fork.importStatus = 'finished';
  };
  const delay = ctx.settings.forkImportDelayMs;
  if (delay === 'manual') {
    ctx.pendingForkImports.push(async () => {
      await copy();
      await finish();
    });
  } else {
    ctx.background.schedule(Math.floor(delay / 2), async () => {
      await copy();
      ctx.background.schedule(delay - Math.floor(delay / 2), finish);
    });
  }
  return fork;
}
