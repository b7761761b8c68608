import type { ApiRecording } from './recordings';
import {
  startGitLabSimulator,
  type GitLabSimulator,
  type SimulatorProject,
  type SimulatorUser,
} from '../start-gitlab-simulator';
import type { SimMergeRequest } from '../sim-model';
import { runGit } from '../../run-git';

type RecordedObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is RecordedObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** What a recorded merge request needs to look like for its shape to be reproducible. */
export interface MergeRequestFeatures {
  readonly state: 'opened' | 'closed' | 'merged';
  readonly fromFork: boolean;
  readonly headPipeline: boolean;
  readonly assignees: boolean;
  readonly reviewers: boolean;
  readonly labels: boolean;
  readonly conflicts: boolean;
}

export function mergeRequestFeatures(body: unknown): MergeRequestFeatures {
  const mr = isObject(body) ? body : {};
  const state = mr.state === 'merged' || mr.state === 'closed' ? mr.state : 'opened';
  const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
  return {
    state,
    fromFork:
      typeof mr.source_project_id === 'number' &&
      typeof mr.target_project_id === 'number' &&
      mr.source_project_id !== mr.target_project_id,
    headPipeline: isObject(mr.head_pipeline) || isObject(mr.pipeline),
    assignees: nonEmpty(mr.assignees) || isObject(mr.assignee),
    reviewers: nonEmpty(mr.reviewers),
    labels: nonEmpty(mr.labels),
    conflicts: mr.has_conflicts === true,
  };
}

/**
 * A simulator seeded on demand from what the recordings show: projects under their recorded paths
 * (with recorded attributes: namespace kind, fork parent, default branch, settings), merge
 * requests in the recorded state, notes, commits, statuses, tags. Recorded numeric ids map to the
 * simulator's ids; names and paths are kept.
 */
export class ReplayWorld {
  private readonly projects = new Map<string, SimulatorProject>();
  private readonly recordedPaths = new Map<number, string>();
  private readonly recordedProjects = new Map<string, RecordedObject>();
  private readonly mergeRequestCache = new Map<string, number>();
  private readonly users = new Map<string, SimulatorUser>();
  private readonly groups = new Map<string, number>();
  private counter = 0;

  private constructor(
    readonly sim: GitLabSimulator,
    readonly tester: SimulatorUser,
  ) {}

  static async start(recordings: readonly ApiRecording[]): Promise<ReplayWorld> {
    const sim = await startGitLabSimulator({ forkImportDelayMs: 0 });
    const tester = sim.createUser({
      username: 'ogr-tester',
      name: 'Ogr Tester',
      profile: {
        publicEmail: 'ogr-tester@example.com',
        pronouns: 'they/them',
        jobTitle: 'Tester',
        organization: 'Packit',
        location: 'Brno',
        bio: 'Replays recordings.',
      },
    });
    const world = new ReplayWorld(sim, tester);
    for (const recording of recordings) world.index(recording.body);
    return world;
  }

  /** Learns recorded project ids, paths and attributes from any body that contains projects. */
  private index(body: unknown): void {
    if (Array.isArray(body)) {
      for (const item of body) this.index(item);
      return;
    }
    if (!isObject(body)) return;
    const path = text(body.path_with_namespace);
    if (path !== undefined && typeof body.id === 'number') {
      this.recordedPaths.set(body.id, path);
      const key = path.toLowerCase();
      const previous = this.recordedProjects.get(key);
      if (previous === undefined || Object.keys(body).length > Object.keys(previous).length) {
        this.recordedProjects.set(key, body);
      }
    }
    const references = isObject(body.references) ? text(body.references.full) : undefined;
    if (references !== undefined && typeof body.project_id === 'number') {
      const projectPath = references.split('!')[0];
      if (projectPath !== undefined && !this.recordedPaths.has(body.project_id)) {
        this.recordedPaths.set(body.project_id, projectPath);
      }
    }
    for (const value of Object.values(body)) if (isObject(value) || Array.isArray(value)) this.index(value);
  }

  unique(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  /** The recorded project path for a recorded `:id` (numeric or URL-encoded path). */
  recordedPath(ref: string): string {
    if (/^\d+$/.test(ref)) {
      const path = this.recordedPaths.get(Number(ref));
      if (path === undefined) throw new Error(`no recording names project ${ref}`);
      return path;
    }
    return decodeURIComponent(ref);
  }

  user(username: string): SimulatorUser {
    const key = username.toLowerCase();
    const existing = this.users.get(key);
    if (existing !== undefined) return existing;
    const user = this.sim.createUser({ username });
    this.users.set(key, user);
    return user;
  }

  /** Makes sure the namespace exists (a user, or a group chain the tester owns); returns its id. */
  namespace(fullPath: string, kind: 'user' | 'group'): number {
    if (kind === 'user') return this.user(fullPath).namespaceId;
    const parts = fullPath.split('/');
    let id = 0;
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const path = parts.slice(0, depth).join('/');
      const key = path.toLowerCase();
      const existing = this.groups.get(key);
      if (existing !== undefined) {
        id = existing;
        continue;
      }
      const group = this.sim.createGroup({
        path: parts[depth - 1] ?? '',
        ...(depth > 1 ? { parent: parts.slice(0, depth - 1).join('/') } : {}),
      });
      if (depth === 1) this.sim.addMember({ group: group.id }, this.tester, 'owner');
      this.groups.set(key, group.id);
      id = group.id;
    }
    return id;
  }

  /** The simulator project for a recorded `:id`, created with its recorded attributes on first use. */
  async project(ref: string): Promise<SimulatorProject> {
    const path = this.recordedPath(ref);
    const key = path.toLowerCase();
    const existing = this.projects.get(key);
    if (existing !== undefined) return existing;
    const recorded = this.recordedProjects.get(key) ?? {};
    const namespace = isObject(recorded.namespace) ? recorded.namespace : {};
    const namespacePath = text(namespace.full_path) ?? path.split('/').slice(0, -1).join('/');
    const kind =
      namespace.kind === 'user'
        ? 'user'
        : namespace.kind === 'group'
          ? 'group'
          : path.split('/').length > 2
            ? 'group'
            : 'user';
    this.namespace(namespacePath, kind);
    const name = path.split('/').pop() ?? path;
    const parent = isObject(recorded.forked_from_project)
      ? text(recorded.forked_from_project.path_with_namespace)
      : undefined;
    let project: SimulatorProject;
    if (parent !== undefined) {
      const upstream = await this.project(encodeURIComponent(parent));
      const owner = kind === 'user' ? this.user(namespacePath) : this.tester;
      project = await this.sim.forkProject(upstream, owner, { namespace: namespacePath, path: name });
    } else {
      project = await this.sim.createProject({
        namespace: namespacePath,
        path: name,
        ...(text(recorded.name) === undefined ? {} : { name: text(recorded.name) ?? name }),
        description: text(recorded.description) ?? '',
        defaultBranch: text(recorded.default_branch) ?? 'master',
        visibility:
          recorded.visibility === 'private' || recorded.visibility === 'internal'
            ? recorded.visibility
            : 'public',
        ...(kind === 'user' ? { creator: this.user(namespacePath) } : {}),
        files: {
          'README.md': `# ${name}\n\nRecorded project ${path}.\n`,
          'src/hello.py': 'print("hello")\n',
        },
      });
    }
    this.sim.configureProject(project, {
      ...(text(recorded.avatar_url) === undefined ? {} : { avatarUrl: text(recorded.avatar_url) ?? null }),
      ...(text(recorded.build_coverage_regex) === undefined
        ? {}
        : { buildCoverageRegex: text(recorded.build_coverage_regex) ?? null }),
      ...(text(recorded.suggestion_commit_message) === undefined
        ? {}
        : { suggestionCommitMessage: text(recorded.suggestion_commit_message) ?? null }),
      ...(text(recorded.issues_template) === undefined
        ? {}
        : { issuesTemplate: text(recorded.issues_template) ?? null }),
      ...(text(recorded.merge_requests_template) === undefined
        ? {}
        : { mergeRequestsTemplate: text(recorded.merge_requests_template) ?? null }),
      ...(text(recorded.merge_commit_template) === undefined
        ? {}
        : { mergeCommitTemplate: text(recorded.merge_commit_template) ?? null }),
      ...(text(recorded.squash_commit_template) === undefined
        ? {}
        : { squashCommitTemplate: text(recorded.squash_commit_template) ?? null }),
    });
    this.sim.addMember({ project }, this.tester, 'maintainer');
    this.projects.set(key, project);
    return project;
  }

  /**
   * A project of its own for replays whose recorded state would clash with the shared projects
   * (lists of members or merge requests in one particular state), created once per `key`.
   */
  hasDedicatedProject(key: string): boolean {
    return this.projects.has(`dedicated:${key}`);
  }

  async dedicatedProject(key: string, options: { memberExpiry?: string } = {}): Promise<SimulatorProject> {
    const cacheKey = `dedicated:${key}`;
    const existing = this.projects.get(cacheKey);
    if (existing !== undefined) return existing;
    const group = this.sim.createGroup({ path: this.unique('replay-group') });
    this.sim.addMember({ group: group.id }, this.tester, 'owner', {
      ...(options.memberExpiry === undefined ? {} : { expiresAt: options.memberExpiry }),
    });
    const project = await this.sim.createProject({
      namespace: group.fullPath,
      path: 'project',
      creator: this.tester,
      defaultBranch: 'master',
      files: { 'README.md': '# replay\n' },
    });
    this.projects.set(cacheKey, project);
    return project;
  }

  /** A fresh branch with one new commit, in `project`. */
  async branchWithCommit(
    project: SimulatorProject,
    options: { conflicting?: boolean } = {},
  ): Promise<string> {
    const branch = this.unique('feature');
    const file = options.conflicting === true ? 'README.md' : `${branch}.txt`;
    await this.sim.commitFiles(project, {
      branch,
      startBranch: project.defaultBranch,
      files: { [file]: `change on ${branch}\n` },
      message: `Change on ${branch}`,
      user: this.tester,
    });
    return branch;
  }

  /** A merge request in `project` with the recorded features, reused when one matches. */
  async mergeRequest(
    project: SimulatorProject,
    features: MergeRequestFeatures,
    fresh = false,
  ): Promise<SimMergeRequest> {
    const key = `${project.id}:${JSON.stringify(features)}`;
    const cached = this.mergeRequestCache.get(key);
    if (cached !== undefined && !fresh) return this.sim.mergeRequest(project, cached);
    let source = project;
    if (features.fromFork) source = await this.forkOf(project);
    const branch = await this.branchWithCommit(source, { conflicting: features.conflicts });
    if (features.conflicts) {
      await this.sim.commitFiles(project, {
        branch: project.defaultBranch,
        files: { 'README.md': `target moved for ${branch}\n` },
        user: this.tester,
      });
    }
    const mr = await this.sim.createMergeRequest({
      sourceProject: source,
      targetProject: project,
      sourceBranch: branch,
      targetBranch: project.defaultBranch,
      title: `Recorded MR ${branch}`,
      description: 'Replayed from a gitlab.com recording.',
      author: this.tester,
      ...(features.assignees ? { assignees: [this.tester] } : {}),
      ...(features.labels ? { labels: ['bug'] } : {}),
    });
    if (features.reviewers)
      await this.sim.updateMergeRequest(project, mr.iid, this.tester, { reviewerIds: [this.tester.id] });
    if (features.headPipeline) {
      await this.sim.setCommitStatus(source, mr.sha, this.tester, {
        state: 'success',
        ref: branch,
        name: 'ci',
      });
    }
    if (features.state === 'closed')
      await this.sim.updateMergeRequest(project, mr.iid, this.tester, { stateEvent: 'close' });
    if (features.state === 'merged') await this.sim.mergeMergeRequest(project, mr.iid, this.tester);
    this.mergeRequestCache.set(key, mr.iid);
    return this.sim.mergeRequest(project, mr.iid);
  }

  /** A fork of `project` owned by a user of its own. */
  async forkOf(project: SimulatorProject): Promise<SimulatorProject> {
    const key = `fork-of:${project.id}`.toLowerCase();
    const existing = this.projects.get(key);
    if (existing !== undefined) return existing;
    const owner = this.user(this.unique('forker'));
    const fork = await this.sim.forkProject(project, owner);
    this.sim.addMember({ project: fork }, this.tester, 'maintainer');
    this.projects.set(key, fork);
    return fork;
  }

  /** The head of the project's default branch. */
  async head(project: SimulatorProject): Promise<string> {
    return (
      await runGit(['rev-parse', `refs/heads/${project.defaultBranch}`], { cwd: project.repositoryPath })
    ).trim();
  }

  /** A new commit on a new branch of `project`, for endpoints whose state is per commit. */
  async freshCommit(project: SimulatorProject): Promise<{ sha: string; branch: string }> {
    const branch = await this.branchWithCommit(project);
    const sha = (await runGit(['rev-parse', `refs/heads/${branch}`], { cwd: project.repositoryPath })).trim();
    return { sha, branch };
  }
}
