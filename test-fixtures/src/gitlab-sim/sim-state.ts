import { AccessLevel, type AccessLevelValue } from './access-level';
import type {
  SimAwardEmoji,
  SimCommitStatus,
  SimHook,
  SimMergeRequest,
  SimNamespace,
  SimNote,
  SimPipeline,
  SimProject,
  SimUser,
} from './sim-model';

/**
 * Where each id sequence starts. GitLab ids are global per table; starting every table in its own
 * range makes an adapter that confuses, say, a project id with a merge request id fail loudly.
 */
const sequenceStarts = {
  user: 101,
  namespace: 2001,
  project: 3001,
  mergeRequest: 40001,
  note: 500001,
  awardEmoji: 6001,
  job: 700001,
  pipeline: 800001,
  hook: 901,
  membership: 1,
} as const;

type Sequence = keyof typeof sequenceStarts;

/** All simulator state, with the lookups and permission rules the REST layer and control API share. */
export class SimState {
  readonly users = new Map<number, SimUser>();
  readonly namespaces = new Map<number, SimNamespace>();
  readonly projects = new Map<number, SimProject>();
  readonly mergeRequests = new Map<number, SimMergeRequest>();
  readonly notes = new Map<number, SimNote>();
  readonly awardEmoji = new Map<number, SimAwardEmoji>();
  readonly pipelines = new Map<number, SimPipeline>();
  readonly commitStatuses = new Map<number, SimCommitStatus>();
  readonly hooks = new Map<number, SimHook>();
  /** Release descriptions by `<project id>:<tag name>`. */
  readonly releases = new Map<string, string>();
  private readonly counters = new Map<Sequence, number>();

  nextId(sequence: Sequence): number {
    const next = this.counters.get(sequence) ?? sequenceStarts[sequence];
    this.counters.set(sequence, next + 1);
    return next;
  }

  userByToken(token: string): SimUser | undefined {
    for (const user of this.users.values()) if (user.tokens.has(token)) return user;
    return undefined;
  }

  userByUsername(username: string): SimUser | undefined {
    const wanted = username.toLowerCase();
    for (const user of this.users.values()) if (user.username.toLowerCase() === wanted) return user;
    return undefined;
  }

  namespaceFullPath(namespace: SimNamespace): string {
    const parent = namespace.parentId === null ? undefined : this.namespaces.get(namespace.parentId);
    return parent === undefined ? namespace.path : `${this.namespaceFullPath(parent)}/${namespace.path}`;
  }

  namespaceFullName(namespace: SimNamespace): string {
    const parent = namespace.parentId === null ? undefined : this.namespaces.get(namespace.parentId);
    return parent === undefined ? namespace.name : `${this.namespaceFullName(parent)} / ${namespace.name}`;
  }

  namespaceByFullPath(fullPath: string): SimNamespace | undefined {
    const wanted = fullPath.toLowerCase();
    for (const namespace of this.namespaces.values()) {
      if (this.namespaceFullPath(namespace).toLowerCase() === wanted) return namespace;
    }
    return undefined;
  }

  /** The namespace and all its ancestors, nearest first. */
  namespaceChain(namespaceId: number): SimNamespace[] {
    const chain: SimNamespace[] = [];
    let current = this.namespaces.get(namespaceId);
    while (current !== undefined) {
      chain.push(current);
      current = current.parentId === null ? undefined : this.namespaces.get(current.parentId);
    }
    return chain;
  }

  namespaceOf(project: SimProject): SimNamespace {
    const namespace = this.namespaces.get(project.namespaceId);
    if (namespace === undefined) throw new Error(`project ${project.id} has no namespace`);
    return namespace;
  }

  projectFullPath(project: SimProject): string {
    return `${this.namespaceFullPath(this.namespaceOf(project))}/${project.path}`;
  }

  /** A project by numeric id or full path (`group/sub/project`), like `:id` in REST paths. */
  projectByRef(ref: string | number): SimProject | undefined {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) return this.projects.get(Number(ref));
    const wanted = ref.toLowerCase();
    for (const project of this.projects.values()) {
      if (this.projectFullPath(project).toLowerCase() === wanted) return project;
    }
    return undefined;
  }

  groupByRef(ref: string | number): SimNamespace | undefined {
    const found =
      typeof ref === 'number' || /^\d+$/.test(ref)
        ? this.namespaces.get(Number(ref))
        : this.namespaceByFullPath(ref);
    return found?.kind === 'group' ? found : undefined;
  }

  /** The user's effective role in a group: direct or inherited from an ancestor group. */
  groupAccess(user: SimUser | undefined, group: SimNamespace): AccessLevelValue {
    if (user === undefined) return AccessLevel.none;
    if (user.admin) return AccessLevel.owner;
    let best: AccessLevelValue = AccessLevel.none;
    for (const namespace of this.namespaceChain(group.id)) {
      if (namespace.kind === 'user' && namespace.ownerId === user.id) return AccessLevel.owner;
      const level = namespace.members.get(user.id)?.accessLevel;
      if (level !== undefined && level > best) best = level;
    }
    return best;
  }

  /** The user's effective role in a project: direct membership or inherited from its groups. */
  projectAccess(user: SimUser | undefined, project: SimProject): AccessLevelValue {
    if (user === undefined) return AccessLevel.none;
    const direct = project.members.get(user.id)?.accessLevel ?? AccessLevel.none;
    const inherited = this.groupAccess(user, this.namespaceOf(project));
    return direct > inherited ? direct : inherited;
  }

  /** Whether the project is visible to the user at all (else GitLab answers 404). */
  canSeeProject(user: SimUser | undefined, project: SimProject): boolean {
    if (project.visibility === 'public') return true;
    if (user === undefined) return false;
    if (project.visibility === 'internal') return true;
    return this.projectAccess(user, project) >= AccessLevel.guest;
  }

  /** Whether the user may read the repository (clone, files, commits). */
  canReadCode(user: SimUser | undefined, project: SimProject): boolean {
    if (project.visibility !== 'private') return this.canSeeProject(user, project);
    return this.projectAccess(user, project) >= AccessLevel.reporter;
  }

  mergeRequestByIid(project: SimProject, iid: number): SimMergeRequest | undefined {
    for (const mr of this.mergeRequests.values()) {
      if (mr.projectId === project.id && mr.iid === iid) return mr;
    }
    return undefined;
  }

  requireProject(id: number): SimProject {
    const project = this.projects.get(id);
    if (project === undefined) throw new Error(`no project ${id}`);
    return project;
  }

  requireUser(id: number): SimUser {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`no user ${id}`);
    return user;
  }

  /** Hooks that see events of this project: its own, then those of its groups and their ancestors. */
  hooksFor(project: SimProject): SimHook[] {
    const groupIds = new Set(
      this.namespaceChain(project.namespaceId)
        .filter((namespace) => namespace.kind === 'group')
        .map((namespace) => namespace.id),
    );
    return [...this.hooks.values()].filter((hook) =>
      hook.owner.type === 'project' ? hook.owner.id === project.id : groupIds.has(hook.owner.id),
    );
  }
}
