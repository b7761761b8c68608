import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { toAccessLevel, type AccessLevelInput } from './access-level';
import { BackgroundWork } from './background-work';
import { type CommitStatusInput, createCommitStatus } from './commit-statuses';
import { FaultInjector, type FaultSpec, type InjectedFault } from './fault-injector';
import { createGitGateway, isGitPath } from './git-gateway';
import { PUSH_POLICY_PATH } from './push-policy';
import { GitStore, type FileChange, type Identity } from './git-store';
import { headPipelineOf, mergeRequestPipelines } from './head-pipeline';
import {
  createMergeRequest,
  importMergeRequests,
  mergeMergeRequest,
  updateMergeRequest,
  type UpdateMergeRequestInput,
} from './merge-requests';
import { awardsOn, createMergeRequestNote, mergeRequestNotes } from './notes';
import { createMergeRequestPipeline, setPipelineStatus } from './pipelines';
import { addMember, createGroup, createProject, createUser, forkProject, newToken } from './projects';
import { processPush } from './pushes';
import { createRestApp } from './rest/create-rest-app';
import {
  hookEventNames,
  WebhookDispatcher,
  type HookEventKind,
  type WebhookDelivery,
} from './webhooks/webhook-dispatcher';
import type { Actor, SimContext, SimSettings } from './sim-context';
import type {
  HookEvents,
  JobStatus,
  SimAwardEmoji,
  SimCommitStatus,
  SimHook,
  SimMergeRequest,
  SimNamespace,
  SimNote,
  SimPipeline,
  SimProject,
  SimUser,
  UserProfile,
  Visibility,
} from './sim-model';
import { SimState } from './sim-state';
import { GitLabSimulatorError } from './simulator-error';
import { createTempDir } from '../temp-dir';
import type { Tree } from '../git-repo';
import { ZERO_SHA } from './git-store';

export interface GitLabSimulatorOptions {
  /** The simulator's clock (timestamps, rate-limit windows, hook back-off). Default: the real clock. */
  readonly now?: () => Date;
  /** Used to deliver webhooks. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Where the bare repositories live. Default: a new temp directory. */
  readonly storageDir?: string;
  /**
   * Total time a fork takes from `scheduled` to `finished`. Default 200 ms. `'manual'`: forks stay
   * `scheduled` until {@link GitLabSimulator.completeForkImports} (deterministic tests of the wait).
   */
  readonly forkImportDelayMs?: number | 'manual';
  /** Reported as `User-Agent: GitLab/<version>` on webhooks. Default `17.6.0`. */
  readonly version?: string;
  /** Webhook receivers must answer within this time. Default 10 000 ms (gitlab.com). */
  readonly webhookTimeoutMs?: number;
  /** Disable hooks that keep failing, like GitLab. Default true. */
  readonly webhookAutoDisable?: boolean;
  /** Let pipelines run by themselves: pending → running → `result`, one step per `stepMs`. Default off. */
  readonly pipelineAutoRun?: SimSettings['pipelineAutoRun'];
  /** Listen on this port (default: a free one) and host (default `127.0.0.1`). */
  readonly port?: number;
  readonly host?: string;
}

/** A reference to a user: id, username, or an object with an `id`. */
export type UserRef = number | string | { readonly id: number };
/** A reference to a project: id, full path (`group/sub/name`), or an object with an `id`. */
export type ProjectRef = number | string | { readonly id: number };
/** A reference to a group: id, full path, or an object with an `id`. */
export type GroupRef = number | string | { readonly id: number };

export interface SimulatorUser {
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  /** A personal access token (`PRIVATE-TOKEN`, `Authorization: Bearer`, or git password). */
  readonly token: string;
  /** The user's personal namespace. */
  readonly namespaceId: number;
}

export interface SimulatorGroup {
  readonly id: number;
  readonly path: string;
  readonly fullPath: string;
}

export interface SimulatorProject {
  readonly id: number;
  readonly pathWithNamespace: string;
  readonly webUrl: string;
  /** `http://HOST/<path>.git`, without credentials. */
  readonly httpUrlToRepo: string;
  /** The bare repository on disk. */
  readonly repositoryPath: string;
  readonly defaultBranch: string;
}

export interface CreateProjectOptions {
  /** Full path of the group, or a username for a personal project. */
  readonly namespace: string | GroupRef;
  readonly path: string;
  readonly name?: string;
  readonly description?: string;
  /** Default `main`. */
  readonly defaultBranch?: string;
  /** Default `public`. */
  readonly visibility?: Visibility;
  /** Who creates it. Default: the namespace's owner for a personal project, `root` for a group. */
  readonly creator?: UserRef;
  /** Files of an initial commit on the default branch. Without files (and `ciConfig`) the repository is empty. */
  readonly files?: Tree;
  /** Content of `.gitlab-ci.yml` in the initial commit. */
  readonly ciConfig?: string;
  /** GitLab's "CI/CD configuration file": a path, or `file.yml@group/project` in another project. */
  readonly ciConfigPath?: string;
  /** Merge request pipelines run in this project use the merged result (a merge commit). */
  readonly mergedResultsPipelines?: boolean;
  readonly commitMessage?: string;
}

export interface ProjectConfiguration {
  readonly description?: string;
  readonly visibility?: Visibility;
  readonly ciConfigPath?: string | null;
  readonly mergedResultsPipelines?: boolean;
  readonly avatarUrl?: string | null;
  readonly buildCoverageRegex?: string | null;
  readonly suggestionCommitMessage?: string | null;
  readonly issuesTemplate?: string | null;
  readonly mergeRequestsTemplate?: string | null;
  readonly mergeCommitTemplate?: string | null;
  readonly squashCommitTemplate?: string | null;
}

export interface CommitFilesOptions {
  readonly branch: string;
  readonly files: Tree;
  readonly message?: string;
  /** Who pushes (hooks, pipelines, MR updates are attributed to them). Default: the project's creator. */
  readonly user?: UserRef;
  /** Commit author. Default: the pushing user. */
  readonly author?: Identity;
  /** Branch the new branch starts from when `branch` does not exist. Default: the default branch. */
  readonly startBranch?: string;
  /** Author and committer date (ISO 8601). */
  readonly date?: string;
}

export interface WebhookOptions {
  readonly project?: ProjectRef;
  readonly group?: GroupRef;
  readonly url: string;
  /** Secret token, sent as `X-Gitlab-Token`. */
  readonly token?: string;
  /** Event kinds to subscribe to. */
  readonly events: readonly HookEventKind[];
  readonly pushEventsBranchFilter?: string;
}

export interface CreateMergeRequestOptions {
  readonly sourceProject: ProjectRef;
  /** Default: the source project. */
  readonly targetProject?: ProjectRef;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly title: string;
  readonly description?: string;
  readonly author: UserRef;
  readonly assignees?: readonly UserRef[];
  readonly labels?: readonly string[];
}

/** A running GitLab simulator: its URLs, a control API for tests, and read access to its state. */
export interface GitLabSimulator {
  /** Instance base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `${url}/api/v4`. */
  readonly apiUrl: string;
  /** Directory holding the bare repositories (`<full path>.git`). */
  readonly storageDir: string;
  /** The instance administrator, created at start. */
  readonly root: SimulatorUser;

  createUser(input: {
    username: string;
    name?: string;
    email?: string;
    admin?: boolean;
    bot?: boolean;
    token?: string;
    /** Public profile: `publicEmail`, `pronouns`, `jobTitle`, `organization`, `location`, `bio`. */
    profile?: Partial<UserProfile>;
  }): SimulatorUser;
  /** Issues another personal access token for the user. */
  createToken(user: UserRef, token?: string): string;
  createGroup(input: {
    path: string;
    name?: string;
    parent?: GroupRef;
    visibility?: Visibility;
  }): SimulatorGroup;
  createProject(input: CreateProjectOptions): Promise<SimulatorProject>;
  /** Forks like `POST /projects/:id/fork`; by default waits until the import has finished. */
  forkProject(
    project: ProjectRef,
    user: UserRef,
    options?: { namespace?: string | GroupRef; path?: string; name?: string; waitForImport?: boolean },
  ): Promise<SimulatorProject>;
  /** Changes project settings as a Maintainer could (and `avatarUrl`, which needs an upload on GitLab). */
  configureProject(project: ProjectRef, settings: ProjectConfiguration): void;
  /** With `forkImportDelayMs: 'manual'`: finishes every fork import waiting so far. */
  completeForkImports(): Promise<void>;
  /** A role in a project or group (`expiresAt`: `YYYY-MM-DD`; `createdBy`: shown as `created_by`). */
  addMember(
    target: { project: ProjectRef } | { group: GroupRef },
    user: UserRef,
    accessLevel: AccessLevelInput,
    options?: { expiresAt?: string; createdBy?: UserRef },
  ): void;
  repositoryPath(project: ProjectRef): string;
  /** `http://<user>:<token>@HOST/<path>.git` for git, or without credentials. */
  cloneUrl(project: ProjectRef, user?: UserRef): string;
  /** Commits files on a branch directly in the repository and processes it as a push by `user`. */
  commitFiles(project: ProjectRef, options: CommitFilesOptions): Promise<string>;
  createBranch(project: ProjectRef, name: string, ref: string, user?: UserRef): Promise<void>;
  createTag(
    project: ProjectRef,
    name: string,
    ref: string,
    options?: { message?: string; releaseDescription?: string; user?: UserRef },
  ): Promise<void>;
  createMergeRequest(options: CreateMergeRequestOptions): Promise<SimMergeRequest>;
  /**
   * Bulk-creates open MRs by `author` from existing source branches, for benchmarks that need
   * thousands: heads are mirrored into the targets (one `git fetch` per source project), but no
   * pipeline starts, no hook fires and no mergeability is computed.
   */
  importMergeRequests(
    author: UserRef,
    mergeRequests: readonly Omit<CreateMergeRequestOptions, 'author' | 'assignees' | 'labels'>[],
  ): Promise<SimMergeRequest[]>;
  updateMergeRequest(
    project: ProjectRef,
    iid: number,
    user: UserRef,
    input: UpdateMergeRequestInput,
  ): Promise<SimMergeRequest>;
  mergeMergeRequest(project: ProjectRef, iid: number, user: UserRef): Promise<SimMergeRequest>;
  addNote(project: ProjectRef, iid: number, user: UserRef, body: string): Promise<SimNote>;
  setCommitStatus(
    project: ProjectRef,
    sha: string,
    user: UserRef,
    input: CommitStatusInput,
  ): Promise<SimCommitStatus>;
  /** Runs an MR pipeline: in the target project when `inTarget` (like a maintainer's "Run pipeline"), else in the source. */
  runMergeRequestPipeline(
    project: ProjectRef,
    iid: number,
    user: UserRef,
    options?: { inTarget?: boolean },
  ): Promise<SimPipeline | undefined>;
  /** Moves a pipeline to `status` as a runner would; fires a Pipeline Hook. */
  setPipelineStatus(pipelineId: number, status: JobStatus): Promise<void>;
  addWebhook(options: WebhookOptions): { readonly id: number };
  /** Re-enables a hook GitLab-style auto-disabling turned off. */
  enableWebhook(hookId: number): void;
  injectFault(spec: FaultSpec): InjectedFault;
  clearFaults(): void;
  /** Webhooks sent so far (or skipped), oldest first, with the receivers' answers. */
  deliveries(filter?: { event?: string; hookId?: number }): readonly WebhookDelivery[];
  /**
   * Switches webhook sending off, as when GitLab's hooks fail or are disabled for a while: events
   * are still recorded (see `deliveries()`, unsettled) but nothing is sent until
   * {@link GitLabSimulator.releaseWebhooks}, which sends them late, each hook's in order.
   */
  holdWebhooks(): void;
  /** Sends the deliveries held since {@link GitLabSimulator.holdWebhooks} and switches sending back on. */
  releaseWebhooks(): void;
  /** Sends a delivery again with the same `Idempotency-Key`, like GitLab's "Resend request". */
  redeliver(deliveryId: number): WebhookDelivery;
  /** Resolves when no webhook delivery, fork import or self-running pipeline step is pending. */
  settled(): Promise<void>;

  user(ref: UserRef): Readonly<SimUser>;
  project(ref: ProjectRef): Readonly<SimProject>;
  mergeRequest(project: ProjectRef, iid: number): Readonly<SimMergeRequest>;
  mergeRequests(filter?: {
    project?: ProjectRef;
    state?: SimMergeRequest['state'];
  }): readonly Readonly<SimMergeRequest>[];
  notes(project: ProjectRef, iid: number): readonly Readonly<SimNote>[];
  awardEmoji(noteId: number): readonly Readonly<SimAwardEmoji>[];
  commitStatuses(project: ProjectRef, sha?: string): readonly Readonly<SimCommitStatus>[];
  pipeline(id: number): Readonly<SimPipeline>;
  pipelines(filter?: {
    project?: ProjectRef;
    mergeRequest?: { project: ProjectRef; iid: number };
  }): readonly Readonly<SimPipeline>[];
  headPipeline(project: ProjectRef, iid: number): Readonly<SimPipeline> | undefined;
  hooks(): readonly Readonly<SimHook>[];

  close(): Promise<void>;
}

const ALL_EVENTS_OFF: HookEvents = {
  push_events: false,
  tag_push_events: false,
  merge_requests_events: false,
  note_events: false,
  confidential_note_events: false,
  pipeline_events: false,
  job_events: false,
  issues_events: false,
  confidential_issues_events: false,
  wiki_page_events: false,
  deployment_events: false,
  releases_events: false,
};

const EVENT_FLAGS: Readonly<Record<HookEventKind, keyof HookEvents>> = {
  push: 'push_events',
  tag_push: 'tag_push_events',
  merge_request: 'merge_requests_events',
  note: 'note_events',
  confidential_note: 'confidential_note_events',
  pipeline: 'pipeline_events',
};

function treeToChanges(tree: Tree): FileChange[] {
  return Object.entries(tree).map(([path, entry]) => {
    if (entry === null) return { path, content: null };
    if (typeof entry === 'string' || entry instanceof Uint8Array) return { path, content: entry };
    if ('symlink' in entry) {
      throw new GitLabSimulatorError(
        'invalid-argument',
        `symlinks are not supported in simulator commits (${path})`,
      );
    }
    return { path, content: entry.content, executable: true };
  });
}

/**
 * Starts an in-process GitLab on a free port: the REST v4 subset srcgit uses, git over smart HTTP
 * for every project, webhooks with GitLab's headers, pipelines and commit statuses with GitLab's
 * rules, permissions, pagination and injectable faults. See `test-fixtures/README.md`.
 */
export async function startGitLabSimulator(options: GitLabSimulatorOptions = {}): Promise<GitLabSimulator> {
  const clock = options.now ?? (() => new Date());
  const now = (): number => clock().getTime();
  const storage = options.storageDir === undefined ? createTempDir('gitlab-sim') : undefined;
  const storageRoot = options.storageDir ?? storage?.path ?? '';
  const state = new SimState();
  const background = new BackgroundWork();
  const settings: SimSettings = {
    forkImportDelayMs: options.forkImportDelayMs ?? 200,
    version: options.version ?? '17.6.0',
    pipelineAutoRun: options.pipelineAutoRun ?? false,
  };
  let baseUrl = '';
  const webhooks = new WebhookDispatcher({
    state,
    background,
    now,
    fetch: options.fetch ?? globalThis.fetch,
    instanceUrl: () => baseUrl,
    userAgent: `GitLab/${settings.version}`,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    autoDisable: options.webhookAutoDisable ?? true,
  });
  const ctx: SimContext = {
    state,
    git: new GitStore(),
    now,
    get baseUrl() {
      return baseUrl;
    },
    storageRoot,
    webhooks,
    background,
    settings,
    pendingForkImports: [],
  };
  const faults = new FaultInjector();
  const rest = getRequestListener(createRestApp(ctx).fetch, { overrideGlobalObjects: false });
  const git = createGitGateway(ctx);

  const server = createServer((request, response) => {
    void (async () => {
      if (await faults.apply(request, response, now())) return;
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (isGitPath(path)) {
        git.handle(request, response, path);
      } else if (path === PUSH_POLICY_PATH && request.method === 'POST') {
        git.pushPolicy(request, response);
      } else if (path === '/api/v4' || path.startsWith('/api/v4/')) {
        await rest(request, response);
      } else {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found\n');
      }
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: '500 Internal Server Error', detail: String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  const resolveUser = (ref: UserRef): SimUser => {
    const user =
      typeof ref === 'object'
        ? state.users.get(ref.id)
        : typeof ref === 'number'
          ? state.users.get(ref)
          : state.userByUsername(ref);
    if (user === undefined) throw new GitLabSimulatorError('not-found', `no user ${JSON.stringify(ref)}`);
    return user;
  };
  const resolveProject = (ref: ProjectRef): SimProject => {
    const project = state.projectByRef(typeof ref === 'object' ? ref.id : ref);
    if (project === undefined)
      throw new GitLabSimulatorError('not-found', `no project ${JSON.stringify(ref)}`);
    return project;
  };
  const resolveGroup = (ref: GroupRef): SimNamespace => {
    const group = state.groupByRef(typeof ref === 'object' ? ref.id : ref);
    if (group === undefined) throw new GitLabSimulatorError('not-found', `no group ${JSON.stringify(ref)}`);
    return group;
  };
  const resolveNamespace = (ref: string | GroupRef): SimNamespace => {
    if (typeof ref === 'string' && !/^\d+$/.test(ref)) {
      const namespace = state.namespaceByFullPath(ref);
      if (namespace === undefined) throw new GitLabSimulatorError('not-found', `no namespace ${ref}`);
      return namespace;
    }
    return resolveGroup(ref);
  };
  const resolveMergeRequest = (project: ProjectRef, iid: number): SimMergeRequest => {
    const mr = state.mergeRequestByIid(resolveProject(project), iid);
    if (mr === undefined)
      throw new GitLabSimulatorError('not-found', `no merge request !${iid} in ${JSON.stringify(project)}`);
    return mr;
  };
  const actor = (ref: UserRef): Actor => ({ user: resolveUser(ref), eventUuid: randomUUID() });
  const userHandle = (user: SimUser, token: string): SimulatorUser => ({
    id: user.id,
    username: user.username,
    name: user.name,
    email: user.email,
    token,
    namespaceId: user.namespaceId,
  });
  const projectHandle = (project: SimProject): SimulatorProject => ({
    id: project.id,
    pathWithNamespace: state.projectFullPath(project),
    webUrl: `${baseUrl}/${state.projectFullPath(project)}`,
    httpUrlToRepo: `${baseUrl}/${state.projectFullPath(project)}.git`,
    repositoryPath: project.repoDir,
    defaultBranch: project.defaultBranch,
  });
  const snapshot = <T>(value: T): T => structuredClone(value);

  const rootUser = createUser(ctx, {
    username: 'root',
    name: 'Administrator',
    email: 'admin@example.com',
    admin: true,
  });
  const root = userHandle(rootUser.user, rootUser.token);

  const simulator: GitLabSimulator = {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/v4`,
    storageDir: storageRoot,
    root,

    createUser(input) {
      const { user, token } = createUser(ctx, input);
      return userHandle(user, token);
    },
    createToken(ref, token = newToken()) {
      resolveUser(ref).tokens.add(token);
      return token;
    },
    createGroup(input) {
      const group = createGroup(ctx, {
        path: input.path,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.parent === undefined ? {} : { parent: resolveGroup(input.parent) }),
        ...(input.visibility === undefined ? {} : { visibility: input.visibility }),
      });
      return { id: group.id, path: group.path, fullPath: state.namespaceFullPath(group) };
    },
    async createProject(input) {
      const namespace = resolveNamespace(input.namespace);
      const creator =
        input.creator !== undefined
          ? resolveUser(input.creator)
          : namespace.kind === 'user' && namespace.ownerId !== null
            ? state.requireUser(namespace.ownerId)
            : rootUser.user;
      const files = treeToChanges(input.files ?? {});
      if (input.ciConfig !== undefined) files.push({ path: '.gitlab-ci.yml', content: input.ciConfig });
      const project = await createProject(ctx, {
        namespace,
        path: input.path,
        creator,
        files,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.defaultBranch === undefined ? {} : { defaultBranch: input.defaultBranch }),
        ...(input.visibility === undefined ? {} : { visibility: input.visibility }),
        ...(input.ciConfigPath === undefined ? {} : { ciConfigPath: input.ciConfigPath }),
        ...(input.mergedResultsPipelines === undefined
          ? {}
          : { mergedResultsPipelines: input.mergedResultsPipelines }),
        ...(input.commitMessage === undefined ? {} : { commitMessage: input.commitMessage }),
      });
      return projectHandle(project);
    },
    async forkProject(ref, userRef, forkOptions = {}) {
      const fork = await forkProject(ctx, actor(userRef), resolveProject(ref), {
        ...(forkOptions.namespace === undefined
          ? {}
          : { namespace: resolveNamespace(forkOptions.namespace) }),
        ...(forkOptions.path === undefined ? {} : { path: forkOptions.path }),
        ...(forkOptions.name === undefined ? {} : { name: forkOptions.name }),
      });
      if (forkOptions.waitForImport !== false) {
        if (settings.forkImportDelayMs === 'manual') await simulator.completeForkImports();
        while (fork.importStatus !== 'finished') await background.settled();
      }
      return projectHandle(fork);
    },
    configureProject(ref, configuration) {
      const project = resolveProject(ref);
      const { settings } = project;
      if (configuration.description !== undefined) project.description = configuration.description;
      if (configuration.visibility !== undefined) project.visibility = configuration.visibility;
      if (configuration.ciConfigPath !== undefined) project.ciConfigPath = configuration.ciConfigPath;
      if (configuration.mergedResultsPipelines !== undefined) {
        project.mergedResultsPipelines = configuration.mergedResultsPipelines;
      }
      if (configuration.avatarUrl !== undefined) settings.avatarUrl = configuration.avatarUrl;
      if (configuration.buildCoverageRegex !== undefined)
        settings.buildCoverageRegex = configuration.buildCoverageRegex;
      if (configuration.suggestionCommitMessage !== undefined) {
        settings.suggestionCommitMessage = configuration.suggestionCommitMessage;
      }
      if (configuration.issuesTemplate !== undefined) settings.issuesTemplate = configuration.issuesTemplate;
      if (configuration.mergeRequestsTemplate !== undefined) {
        settings.mergeRequestsTemplate = configuration.mergeRequestsTemplate;
      }
      if (configuration.mergeCommitTemplate !== undefined)
        settings.mergeCommitTemplate = configuration.mergeCommitTemplate;
      if (configuration.squashCommitTemplate !== undefined) {
        settings.squashCommitTemplate = configuration.squashCommitTemplate;
      }
    },
    async completeForkImports() {
      for (
        let next = ctx.pendingForkImports.shift();
        next !== undefined;
        next = ctx.pendingForkImports.shift()
      ) {
        await next();
      }
    },
    addMember(target, userRef, level, memberOptions = {}) {
      const container = 'project' in target ? resolveProject(target.project) : resolveGroup(target.group);
      addMember(ctx, container, resolveUser(userRef), toAccessLevel(level), {
        expiresAt: memberOptions.expiresAt,
        createdBy: memberOptions.createdBy === undefined ? undefined : resolveUser(memberOptions.createdBy),
      });
    },
    repositoryPath(ref) {
      return resolveProject(ref).repoDir;
    },
    cloneUrl(ref, userRef) {
      const url = new URL(`${baseUrl}/${state.projectFullPath(resolveProject(ref))}.git`);
      if (userRef !== undefined) {
        const user = resolveUser(userRef);
        url.username = user.username;
        url.password = [...user.tokens][0] ?? '';
      }
      return url.toString();
    },
    async commitFiles(ref, commitOptions) {
      const project = resolveProject(ref);
      const user = resolveUser(commitOptions.user ?? project.creatorId);
      const refName = `refs/heads/${commitOptions.branch}`;
      const before = await ctx.git.branchHead(project.repoDir, commitOptions.branch);
      const parent =
        before ??
        (await ctx.git.branchHead(project.repoDir, commitOptions.startBranch ?? project.defaultBranch));
      const sha = await ctx.git.writeCommit(
        project.repoDir,
        parent,
        treeToChanges(commitOptions.files),
        commitOptions.message ?? 'Update files',
        commitOptions.author ?? { name: user.name, email: user.email },
        commitOptions.date,
      );
      await ctx.git.updateRef(project.repoDir, refName, sha);
      await processPush(ctx, { user, eventUuid: randomUUID() }, project, [
        { ref: refName, before: before ?? ZERO_SHA, after: sha },
      ]);
      return sha;
    },
    async createBranch(ref, name, from, userRef) {
      const project = resolveProject(ref);
      const sha = await ctx.git.resolveCommit(project.repoDir, from);
      if (sha === undefined)
        throw new GitLabSimulatorError('not-found', `no commit ${from} in ${project.path}`);
      const before = await ctx.git.branchHead(project.repoDir, name);
      await ctx.git.updateRef(project.repoDir, `refs/heads/${name}`, sha);
      await processPush(ctx, actor(userRef ?? project.creatorId), project, [
        { ref: `refs/heads/${name}`, before: before ?? ZERO_SHA, after: sha },
      ]);
    },
    async createTag(ref, name, from, tagOptions = {}) {
      const project = resolveProject(ref);
      const sha = await ctx.git.resolveCommit(project.repoDir, from);
      if (sha === undefined)
        throw new GitLabSimulatorError('not-found', `no commit ${from} in ${project.path}`);
      const user = resolveUser(tagOptions.user ?? project.creatorId);
      await ctx.git.createTag(project.repoDir, name, sha, tagOptions.message, {
        name: user.name,
        email: user.email,
      });
      if (tagOptions.releaseDescription !== undefined)
        state.releases.set(`${project.id}:${name}`, tagOptions.releaseDescription);
      const after = (await ctx.git.refs(project.repoDir)).get(`refs/tags/${name}`) ?? sha;
      await processPush(ctx, { user, eventUuid: randomUUID() }, project, [
        { ref: `refs/tags/${name}`, before: ZERO_SHA, after },
      ]);
    },
    importMergeRequests(author, mergeRequests) {
      return importMergeRequests(
        ctx,
        actor(author),
        mergeRequests.map((input) => ({
          sourceProject: resolveProject(input.sourceProject),
          ...(input.targetProject === undefined
            ? {}
            : { targetProject: resolveProject(input.targetProject) }),
          sourceBranch: input.sourceBranch,
          targetBranch: input.targetBranch,
          title: input.title,
          ...(input.description === undefined ? {} : { description: input.description }),
        })),
      );
    },
    async createMergeRequest(input) {
      const mr = await createMergeRequest(ctx, actor(input.author), {
        sourceProject: resolveProject(input.sourceProject),
        ...(input.targetProject === undefined ? {} : { targetProject: resolveProject(input.targetProject) }),
        sourceBranch: input.sourceBranch,
        targetBranch: input.targetBranch,
        title: input.title,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.assignees === undefined
          ? {}
          : { assigneeIds: input.assignees.map((user) => resolveUser(user).id) }),
        ...(input.labels === undefined ? {} : { labels: input.labels }),
      });
      return snapshot(mr);
    },
    async updateMergeRequest(ref, iid, userRef, input) {
      return snapshot(await updateMergeRequest(ctx, actor(userRef), resolveMergeRequest(ref, iid), input));
    },
    async mergeMergeRequest(ref, iid, userRef) {
      const mr = resolveMergeRequest(ref, iid);
      const who = actor(userRef);
      const outcome = await mergeMergeRequest(ctx, who, mr, {});
      await processPush(ctx, who, state.requireProject(mr.projectId), [
        { ref: `refs/heads/${mr.targetBranch}`, ...outcome },
      ]);
      return snapshot(mr);
    },
    async addNote(ref, iid, userRef, body) {
      return snapshot(await createMergeRequestNote(ctx, actor(userRef), resolveMergeRequest(ref, iid), body));
    },
    async setCommitStatus(ref, sha, userRef, input) {
      return snapshot(await createCommitStatus(ctx, actor(userRef), resolveProject(ref), sha, input));
    },
    async runMergeRequestPipeline(ref, iid, userRef, pipelineOptions = {}) {
      const pipeline = await createMergeRequestPipeline(ctx, resolveMergeRequest(ref, iid), actor(userRef), {
        inTarget: pipelineOptions.inTarget ?? false,
      });
      return pipeline === undefined ? undefined : snapshot(pipeline);
    },
    async setPipelineStatus(pipelineId, status) {
      const pipeline = state.pipelines.get(pipelineId);
      if (pipeline === undefined) throw new GitLabSimulatorError('not-found', `no pipeline ${pipelineId}`);
      await setPipelineStatus(ctx, pipeline, status);
    },
    addWebhook(input) {
      if ((input.project === undefined) === (input.group === undefined)) {
        throw new GitLabSimulatorError('invalid-argument', 'a webhook needs exactly one of project or group');
      }
      const events: HookEvents = { ...ALL_EVENTS_OFF };
      for (const kind of input.events) {
        if (!(kind in hookEventNames))
          throw new GitLabSimulatorError('invalid-argument', `unknown hook event ${kind}`);
        events[EVENT_FLAGS[kind]] = true;
      }
      const hook: SimHook = {
        id: state.nextId('hook'),
        owner:
          input.project !== undefined
            ? { type: 'project', id: resolveProject(input.project).id }
            : { type: 'group', id: resolveGroup(input.group ?? 0).id },
        url: input.url,
        token: input.token ?? '',
        events,
        enableSslVerification: true,
        pushEventsBranchFilter: input.pushEventsBranchFilter ?? '',
        createdAt: now(),
        alertStatus: 'executable',
        disabledUntil: null,
        recentFailures: 0,
      };
      state.hooks.set(hook.id, hook);
      return { id: hook.id };
    },
    enableWebhook(hookId) {
      const hook = state.hooks.get(hookId);
      if (hook === undefined) throw new GitLabSimulatorError('not-found', `no hook ${hookId}`);
      hook.alertStatus = 'executable';
      hook.disabledUntil = null;
      hook.recentFailures = 0;
    },
    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    deliveries(filter = {}) {
      return webhooks
        .deliveries()
        .filter(
          (delivery) =>
            (filter.event === undefined || delivery.event === filter.event) &&
            (filter.hookId === undefined || delivery.hookId === filter.hookId),
        )
        .map(snapshot);
    },
    holdWebhooks: () => webhooks.hold(),
    releaseWebhooks: () => webhooks.release(),
    redeliver: (deliveryId) => webhooks.redeliver(deliveryId),
    settled: () => background.settled(),

    user: (ref) => snapshot(resolveUser(ref)),
    project: (ref) => snapshot(resolveProject(ref)),
    mergeRequest: (ref, iid) => snapshot(resolveMergeRequest(ref, iid)),
    mergeRequests(filter = {}) {
      const project = filter.project === undefined ? undefined : resolveProject(filter.project);
      return [...state.mergeRequests.values()]
        .filter(
          (mr) =>
            (project === undefined || mr.projectId === project.id) &&
            (filter.state === undefined || mr.state === filter.state),
        )
        .map(snapshot);
    },
    notes: (ref, iid) => mergeRequestNotes(ctx, resolveMergeRequest(ref, iid)).map(snapshot),
    awardEmoji: (noteId) => awardsOn(ctx, { type: 'Note', noteId }).map(snapshot),
    commitStatuses(ref, sha) {
      const project = resolveProject(ref);
      return [...state.commitStatuses.values()]
        .filter((status) => status.projectId === project.id && (sha === undefined || status.sha === sha))
        .sort((a, b) => a.id - b.id)
        .map(snapshot);
    },
    pipeline(id) {
      const pipeline = state.pipelines.get(id);
      if (pipeline === undefined) throw new GitLabSimulatorError('not-found', `no pipeline ${id}`);
      return snapshot(pipeline);
    },
    pipelines(filter = {}) {
      if (filter.mergeRequest !== undefined) {
        return mergeRequestPipelines(
          ctx,
          resolveMergeRequest(filter.mergeRequest.project, filter.mergeRequest.iid),
        ).map(snapshot);
      }
      const project = filter.project === undefined ? undefined : resolveProject(filter.project);
      return [...state.pipelines.values()]
        .filter((pipeline) => project === undefined || pipeline.projectId === project.id)
        .sort((a, b) => b.id - a.id)
        .map(snapshot);
    },
    headPipeline(ref, iid) {
      const pipeline = headPipelineOf(ctx, resolveMergeRequest(ref, iid));
      return pipeline === undefined ? undefined : snapshot(pipeline);
    },
    hooks: () => [...state.hooks.values()].map(snapshot),

    async close() {
      background.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      });
      await storage?.remove();
    },
  };
  return simulator;
}
