import type { ApiRecording } from './recordings';
import { mergeRequestFeatures, type ReplayWorld } from './replay-world';
import type { SimulatorProject } from '../start-gitlab-simulator';
import { restCall } from '../testing/rest-call';

/** The request a replay sends to the simulator. */
export interface ReplayRequest {
  readonly method: string;
  /** Below `/api/v4`, with query string. */
  readonly path: string;
  /** `null`: anonymous; default: the tester's token. */
  readonly token?: string | null;
  readonly body?: Record<string, unknown>;
}

/** How to replay the recordings of one endpoint against a seeded simulator. */
export interface ReplaySpec {
  /** `METHOD /path/:params`, as reported. */
  readonly endpoint: string;
  readonly method: string;
  /** Matched against the recorded path below `/api/v4`. */
  readonly path: RegExp;
  prepare(world: ReplayWorld, recording: ApiRecording, match: RegExpExecArray): Promise<ReplayRequest>;
}

type Recorded = Readonly<Record<string, unknown>>;

function record(value: unknown): Recorded {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Recorded) : {};
}

function list(value: unknown): Recorded[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function group(match: RegExpExecArray, index: number): string {
  return match[index] ?? '';
}

/** Page size used when replaying a recorded request for a later page (see {@link query}). */
const REPLAY_PAGE_SIZE = 2;

/**
 * The recorded query string with some parameters replaced. A request for page 2 or later is
 * replayed with a page size of {@link REPLAY_PAGE_SIZE}: the answer's shape and headers do not
 * depend on the page size, and it keeps the seeding small.
 */
function query(recording: ApiRecording, replacements: Record<string, string> = {}): string {
  const params = new URLSearchParams(recording.url.search);
  for (const [key, value] of Object.entries(replacements)) if (params.has(key)) params.set(key, value);
  if (Number(params.get('page') ?? '1') > 1) params.set('per_page', String(REPLAY_PAGE_SIZE));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Items a list replay needs: enough to reach the requested page, at least one if the recording had any. */
function neededItems(recording: ApiRecording): number {
  const page = Number(recording.url.searchParams.get('page') ?? '1');
  if (page > 1) return (page - 1) * REPLAY_PAGE_SIZE + 1;
  return Math.min(list(recording.body).length, 3);
}

function projectRef(recordedRef: string, project: SimulatorProject): string {
  return /^\d+$/.test(recordedRef) ? String(project.id) : encodeURIComponent(project.pathWithNamespace);
}

async function api(
  world: ReplayWorld,
  method: string,
  path: string,
  body?: unknown,
  token = world.tester.token,
) {
  const result = await restCall(world.sim.apiUrl, token, method, path, body);
  if (result.status >= 300)
    throw new Error(`seeding ${method} ${path} failed: ${result.status} ${result.text}`);
  return result;
}

async function ensureBranches(world: ReplayWorld, project: SimulatorProject, count: number): Promise<void> {
  const existing = (
    await api(world, 'GET', `/projects/${project.id}/repository/branches?per_page=100`)
  ).headers.get('X-Total');
  for (let have = Number(existing ?? '0'); have < count; have += 1) {
    await world.sim.createBranch(project, world.unique('branch'), project.defaultBranch);
  }
}

async function ensureTag(world: ReplayWorld, project: SimulatorProject, tag: Recorded): Promise<void> {
  const name = str(tag.name) ?? world.unique('tag');
  const exists = await restCall(
    world.sim.apiUrl,
    world.tester.token,
    'GET',
    `/projects/${project.id}/repository/tags/${encodeURIComponent(name)}`,
  );
  if (exists.status === 200) return;
  const message = str(tag.message);
  const release = record(tag.release);
  await world.sim.createTag(project, name, project.defaultBranch, {
    ...(message === undefined || message === '' ? {} : { message }),
    ...(str(release.tag_name) === undefined ? {} : { releaseDescription: str(release.description) ?? '' }),
    user: world.tester,
  });
}

const ID = '([^/]+)';

/** The recorded endpoints the simulator implements, with how to replay them. */
export const restReplays: readonly ReplaySpec[] = [
  {
    endpoint: 'GET /user',
    method: 'GET',
    path: /^\/user$/,
    prepare: (world, recording) =>
      Promise.resolve({
        method: 'GET',
        path: '/user',
        token: recording.status === 401 ? 'glpat-not-a-valid-token' : world.tester.token,
      }),
  },
  {
    endpoint: 'HEAD /user',
    method: 'HEAD',
    path: /^\/user$/,
    prepare: (world) => Promise.resolve({ method: 'HEAD', path: '/user', token: world.tester.token }),
  },
  {
    endpoint: 'GET /users?username=',
    method: 'GET',
    path: /^\/users$/,
    prepare: (world, recording) => {
      const [found] = list(recording.body);
      const username = str(found?.username) ?? recording.url.searchParams.get('username') ?? '';
      if (found !== undefined) world.user(username);
      return Promise.resolve({ method: 'GET', path: `/users?username=${encodeURIComponent(username)}` });
    },
  },
  {
    endpoint: 'GET /projects/:id',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}$`),
    async prepare(world, recording, match) {
      if (recording.status === 404) {
        return {
          method: 'GET',
          path: `/projects/${encodeURIComponent(`${world.unique('missing')}/project`)}`,
        };
      }
      const project = await world.project(group(match, 1));
      return { method: 'GET', path: `/projects/${projectRef(group(match, 1), project)}` };
    },
  },
  {
    endpoint: 'PUT /projects/:id',
    method: 'PUT',
    path: new RegExp(`^/projects/${ID}$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      return {
        method: 'PUT',
        path: `/projects/${projectRef(group(match, 1), project)}`,
        body: { description: str(record(recording.body).description) ?? 'changed' },
      };
    },
  },
  {
    endpoint: 'DELETE /projects/:id',
    method: 'DELETE',
    path: new RegExp(`^/projects/${ID}$`),
    async prepare(world) {
      const created = await api(world, 'POST', '/projects', { name: world.unique('doomed') });
      return { method: 'DELETE', path: `/projects/${Number(created.json.id)}` };
    },
  },
  {
    endpoint: 'POST /projects',
    method: 'POST',
    path: /^\/projects$/,
    async prepare(world, recording) {
      const body = record(recording.body);
      const namespace = record(body.namespace);
      const name = world.unique('new-repo');
      const namespaceId =
        namespace.kind === 'group' ? world.namespace(world.unique('project-group'), 'group') : undefined;
      if (recording.status === 400) await api(world, 'POST', '/projects', { name });
      return {
        method: 'POST',
        path: '/projects',
        body: {
          name,
          ...(str(body.description) === undefined ? {} : { description: str(body.description) }),
          ...(namespaceId === undefined ? {} : { namespace_id: namespaceId }),
        },
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/forks',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/forks$`),
    async prepare(world, recording) {
      // A project of its own, whose forks are exactly the recorded ones (the shared projects also
      // get forks in groups from other replays, which the recorded lists do not show).
      const kinds = list(recording.body).map((fork) =>
        record(fork.namespace).kind === 'group' ? 'group' : 'user',
      );
      const key = `forked:${kinds.join(',')}`;
      const fresh = !world.hasDedicatedProject(key);
      const project = await world.dedicatedProject(key);
      for (const fork of fresh ? list(recording.body) : []) {
        const kind = record(fork.namespace).kind === 'group' ? 'group' : 'user';
        if (kind === 'user') {
          await world.sim.forkProject(project, world.user(world.unique('forker')));
        } else {
          const namespace = world.unique('fork-group');
          world.namespace(namespace, 'group');
          await world.sim.forkProject(project, world.tester, { namespace });
        }
      }
      return { method: 'GET', path: `/projects/${project.id}/forks${query(recording)}` };
    },
  },
  {
    endpoint: 'POST /projects/:id/fork',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/fork$`),
    async prepare(world, recording) {
      const project = await world.dedicatedProject(world.unique('fork-source'));
      const path = `/projects/${project.id}/fork`;
      if (record(record(recording.body).namespace).kind === 'group') {
        const namespace = world.unique('fork-group');
        world.namespace(namespace, 'group');
        return { method: 'POST', path, body: { namespace_path: namespace } };
      }
      return { method: 'POST', path, token: world.user(world.unique('forker')).token, body: {} };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/branches',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/branches$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      await ensureBranches(world, project, neededItems(recording));
      return { method: 'GET', path: `/projects/${project.id}/repository/branches${query(recording)}` };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/branches/:branch',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/branches/(.+)$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      let branch = decodeURIComponent(group(match, 2));
      if (recording.status === 404) branch = `${branch}-${world.unique('missing')}`;
      else if (branch !== project.defaultBranch) {
        const exists = await restCall(
          world.sim.apiUrl,
          world.tester.token,
          'GET',
          `/projects/${project.id}/repository/branches/${encodeURIComponent(branch)}`,
        );
        if (exists.status === 404) await world.sim.createBranch(project, branch, project.defaultBranch);
      }
      return {
        method: 'GET',
        path: `/projects/${project.id}/repository/branches/${encodeURIComponent(branch)}`,
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/files/:file_path',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/files/([^/]+)$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const ref = recording.url.searchParams.get('ref') ?? project.defaultBranch;
      const simRef = /^[0-9a-f]{40}$/.test(ref) ? await world.head(project) : project.defaultBranch;
      return {
        method: 'GET',
        path: `/projects/${project.id}/repository/files/${group(match, 2)}${query(recording, { ref: simRef })}`,
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/tree',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/tree$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      return {
        method: 'GET',
        path: `/projects/${project.id}/repository/tree${query(recording, { ref: project.defaultBranch })}`,
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/commits',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/commits$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      return {
        method: 'GET',
        path: `/projects/${project.id}/repository/commits${query(recording, { ref_name: project.defaultBranch })}`,
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/commits/:sha',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/commits/([0-9a-f]{40})$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      let sha = await world.head(project);
      if (
        record(recording.body).last_pipeline !== null &&
        record(recording.body).last_pipeline !== undefined
      ) {
        const commit = await world.freshCommit(project);
        await world.sim.setCommitStatus(project, commit.sha, world.tester, {
          state: 'success',
          ref: commit.branch,
        });
        sha = commit.sha;
      }
      return { method: 'GET', path: `/projects/${project.id}/repository/commits/${sha}` };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/commits/:sha/statuses',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/commits/([0-9a-f]{40})/statuses$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const commit = await world.freshCommit(project);
      for (const status of list(recording.body)) {
        const state = str(status.status) ?? 'success';
        await api(world, 'POST', `/projects/${project.id}/statuses/${commit.sha}`, {
          state: ['pending', 'running', 'success', 'failed', 'canceled'].includes(state) ? state : 'success',
          name: str(status.name) ?? 'default',
          ref: commit.branch,
          description: str(status.description) ?? '',
          ...(str(status.target_url) === undefined ? {} : { target_url: str(status.target_url) }),
        });
      }
      return { method: 'GET', path: `/projects/${project.id}/repository/commits/${commit.sha}/statuses` };
    },
  },
  {
    endpoint: 'POST /projects/:id/statuses/:sha',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/statuses/([0-9a-f]{40})$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const commit = await world.freshCommit(project);
      const body = record(recording.body);
      return {
        method: 'POST',
        path: `/projects/${project.id}/statuses/${commit.sha}`,
        body: {
          state: str(body.status) ?? 'success',
          name: str(body.name) ?? 'default',
          ...(str(body.target_url) === undefined ? {} : { target_url: str(body.target_url) }),
          ...(str(body.description) === undefined ? {} : { description: str(body.description) }),
        },
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/commits/:sha/comments',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/commits/([0-9a-f]{40})/comments$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const commit = await world.freshCommit(project);
      const [example] = list(recording.body);
      for (let index = 0; index < neededItems(recording); index += 1) {
        await api(world, 'POST', `/projects/${project.id}/repository/commits/${commit.sha}/comments`, {
          note: `comment ${index}`,
          ...(str(example?.path) === undefined
            ? {}
            : { path: str(example?.path), line: 1, line_type: 'new' }),
        });
      }
      return {
        method: 'GET',
        path: `/projects/${project.id}/repository/commits/${commit.sha}/comments${query(recording)}`,
      };
    },
  },
  {
    endpoint: 'POST /projects/:id/repository/commits/:sha/comments',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/repository/commits/([0-9a-f]{40})/comments$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const commit = await world.freshCommit(project);
      const body = record(recording.body);
      return {
        method: 'POST',
        path: `/projects/${project.id}/repository/commits/${commit.sha}/comments`,
        body: {
          note: str(body.note) ?? 'a comment',
          ...(str(body.path) === undefined ? {} : { path: str(body.path) }),
          ...(typeof body.line === 'number' ? { line: body.line } : {}),
          ...(str(body.line_type) === undefined ? {} : { line_type: str(body.line_type) }),
        },
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests$`),
    async prepare(world, recording, match) {
      const state = recording.url.searchParams.get('state') ?? 'all';
      const [example] = list(recording.body);
      const features = mergeRequestFeatures(example);
      const wanted = {
        ...features,
        state: state === 'opened' || state === 'closed' || state === 'merged' ? state : features.state,
      };
      const project = await world.dedicatedProject(
        `merge-requests:${group(match, 1)}:${JSON.stringify(wanted)}`,
      );
      const have = await restCall(
        world.sim.apiUrl,
        world.tester.token,
        'GET',
        `/projects/${project.id}/merge_requests?state=${state}&per_page=1`,
      );
      for (
        let count = Number(have.headers.get('X-Total') ?? '0');
        count < neededItems(recording);
        count += 1
      ) {
        await world.mergeRequest(project, wanted, true);
      }
      return { method: 'GET', path: `/projects/${project.id}/merge_requests${query(recording)}` };
    },
  },
  {
    endpoint: 'POST /projects/:id/merge_requests',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/merge_requests$`),
    async prepare(world, recording, match) {
      const source = await world.project(group(match, 1));
      const body = record(recording.body);
      if (recording.status === 409) {
        const existing = await world.mergeRequest(source, mergeRequestFeatures({}), true);
        return {
          method: 'POST',
          path: `/projects/${source.id}/merge_requests`,
          body: {
            source_branch: existing.sourceBranch,
            target_branch: existing.targetBranch,
            title: 'Duplicate',
          },
        };
      }
      const targetId = typeof body.target_project_id === 'number' ? body.target_project_id : undefined;
      const sourceId = typeof body.source_project_id === 'number' ? body.source_project_id : undefined;
      const target =
        targetId !== undefined && targetId !== sourceId ? await world.project(String(targetId)) : source;
      const from = target.id === source.id ? source : source;
      const branch = await world.branchWithCommit(from);
      return {
        method: 'POST',
        path: `/projects/${from.id}/merge_requests`,
        body: {
          source_branch: branch,
          target_branch: target.defaultBranch,
          title: str(body.title) ?? 'A merge request',
          description: str(body.description) ?? '',
          ...(target.id === from.id ? {} : { target_project_id: target.id }),
        },
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests/:iid',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      if (recording.status === 404)
        return { method: 'GET', path: `/projects/${project.id}/merge_requests/${group(match, 2)}` };
      const mr = await world.mergeRequest(project, mergeRequestFeatures(recording.body));
      return { method: 'GET', path: `/projects/${project.id}/merge_requests/${mr.iid}` };
    },
  },
  {
    endpoint: 'PUT /projects/:id/merge_requests/:iid',
    method: 'PUT',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const features = mergeRequestFeatures(recording.body);
      const body = record(recording.body);
      if (features.state === 'closed') {
        const mr = await world.mergeRequest(project, { ...features, state: 'opened' }, true);
        return {
          method: 'PUT',
          path: `/projects/${project.id}/merge_requests/${mr.iid}`,
          body: { state_event: 'close' },
        };
      }
      const mr = await world.mergeRequest(project, features);
      return {
        method: 'PUT',
        path: `/projects/${project.id}/merge_requests/${mr.iid}`,
        body: { title: str(body.title) ?? 'New title', description: str(body.description) ?? '' },
      };
    },
  },
  {
    endpoint: 'PUT /projects/:id/merge_requests/:iid/merge',
    method: 'PUT',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/merge$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(
        project,
        { ...mergeRequestFeatures(recording.body), state: 'opened' },
        true,
      );
      return {
        method: 'PUT',
        path: `/projects/${project.id}/merge_requests/${mr.iid}/merge${query(recording)}`,
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests/:iid/commits',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/commits$`),
    async prepare(world, _recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      return { method: 'GET', path: `/projects/${project.id}/merge_requests/${mr.iid}/commits` };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests/:iid/merge_ref',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/merge_ref$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(
        project,
        { ...mergeRequestFeatures({}), conflicts: recording.status === 400 },
        true,
      );
      return { method: 'GET', path: `/projects/${project.id}/merge_requests/${mr.iid}/merge_ref` };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests/:iid/notes',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}), true);
      for (let index = 0; index < neededItems(recording); index += 1) {
        await world.sim.addNote(project, mr.iid, world.tester, `note ${index}`);
      }
      return {
        method: 'GET',
        path: `/projects/${project.id}/merge_requests/${mr.iid}/notes${query(recording)}`,
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests/:iid/notes/:note_id',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes/(\\d+)$`),
    async prepare(world, _recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      const note = await world.sim.addNote(project, mr.iid, world.tester, 'a note');
      return { method: 'GET', path: `/projects/${project.id}/merge_requests/${mr.iid}/notes/${note.id}` };
    },
  },
  {
    endpoint: 'POST /projects/:id/merge_requests/:iid/notes',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      return {
        method: 'POST',
        path: `/projects/${project.id}/merge_requests/${mr.iid}/notes`,
        body: { body: str(record(recording.body).body) ?? 'a note' },
      };
    },
  },
  {
    endpoint: 'PUT /projects/:id/merge_requests/:iid/notes/:note_id',
    method: 'PUT',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes/(\\d+)$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      const note = await world.sim.addNote(project, mr.iid, world.tester, 'before the edit');
      return {
        method: 'PUT',
        path: `/projects/${project.id}/merge_requests/${mr.iid}/notes/${note.id}`,
        body: { body: str(record(recording.body).body) ?? 'after the edit' },
      };
    },
  },
  {
    endpoint: 'GET /projects/:id/merge_requests/:iid/notes/:note_id/award_emoji',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes/(\\d+)/award_emoji$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      const note = await world.sim.addNote(project, mr.iid, world.tester, 'react to me');
      const path = `/projects/${project.id}/merge_requests/${mr.iid}/notes/${note.id}/award_emoji`;
      for (const award of list(recording.body)) {
        await api(
          world,
          'POST',
          path,
          { name: str(award.name) ?? 'thumbsup' },
          world.user(world.unique('reactor')).token,
        );
      }
      return { method: 'GET', path };
    },
  },
  {
    endpoint: 'POST /projects/:id/merge_requests/:iid/notes/:note_id/award_emoji',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes/(\\d+)/award_emoji$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      const note = await world.sim.addNote(project, mr.iid, world.tester, 'react to me');
      const path = `/projects/${project.id}/merge_requests/${mr.iid}/notes/${note.id}/award_emoji`;
      const name = str(record(recording.body).name) ?? 'thumbsup';
      if (recording.status === 404) await api(world, 'POST', path, { name });
      return { method: 'POST', path, body: { name } };
    },
  },
  {
    endpoint: 'DELETE /projects/:id/merge_requests/:iid/notes/:note_id/award_emoji/:award_id',
    method: 'DELETE',
    path: new RegExp(`^/projects/${ID}/merge_requests/(\\d+)/notes/(\\d+)/award_emoji/(\\d+)$`),
    async prepare(world, _recording, match) {
      const project = await world.project(group(match, 1));
      const mr = await world.mergeRequest(project, mergeRequestFeatures({}));
      const note = await world.sim.addNote(project, mr.iid, world.tester, 'react to me');
      const path = `/projects/${project.id}/merge_requests/${mr.iid}/notes/${note.id}/award_emoji`;
      const award = await api(world, 'POST', path, { name: 'thumbsup' });
      return { method: 'DELETE', path: `${path}/${Number(award.json.id)}` };
    },
  },
  {
    endpoint: 'GET /projects/:id/members/all',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/members/all$`),
    async prepare(world, recording, match) {
      const [example] = list(recording.body);
      const expiring = str(example?.expires_at) !== undefined;
      const project = await world.dedicatedProject(`members:${group(match, 1)}:${expiring}`, {
        ...(expiring ? { memberExpiry: '2031-11-01' } : {}),
      });
      const path = `/projects/${project.id}/members/all`;
      const have = Number((await api(world, 'GET', `${path}?per_page=1`)).headers.get('X-Total') ?? '0');
      for (let count = have; count < neededItems(recording); count += 1) {
        const user = world.user(world.unique('member'));
        await api(world, 'POST', `/projects/${project.id}/members`, {
          user_id: user.id,
          access_level: 30,
          ...(str(example?.expires_at) === undefined ? {} : { expires_at: '2031-11-01' }),
        });
      }
      return { method: 'GET', path: `${path}${query(recording)}` };
    },
  },
  {
    endpoint: 'POST /projects/:id/members',
    method: 'POST',
    path: new RegExp(`^/projects/${ID}/members$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      const user = world.user(world.unique('new-member'));
      const body = record(recording.body);
      const request = {
        user_id: user.id,
        access_level: typeof body.access_level === 'number' ? body.access_level : 30,
        ...(str(body.expires_at) === undefined ? {} : { expires_at: '2031-11-01' }),
      };
      if (recording.status === 409) await api(world, 'POST', `/projects/${project.id}/members`, request);
      return { method: 'POST', path: `/projects/${project.id}/members`, body: request };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/tags',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/tags$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      for (const tag of list(recording.body)) await ensureTag(world, project, tag);
      return { method: 'GET', path: `/projects/${project.id}/repository/tags${query(recording)}` };
    },
  },
  {
    endpoint: 'GET /projects/:id/repository/tags/:tag',
    method: 'GET',
    path: new RegExp(`^/projects/${ID}/repository/tags/([^/]+)$`),
    async prepare(world, recording, match) {
      const project = await world.project(group(match, 1));
      let name = decodeURIComponent(group(match, 2));
      if (recording.status === 404) name = `${name}-${world.unique('missing')}`;
      else await ensureTag(world, project, { ...record(recording.body), name });
      return { method: 'GET', path: `/projects/${project.id}/repository/tags/${encodeURIComponent(name)}` };
    },
  },
  {
    endpoint: 'GET /groups/:id',
    method: 'GET',
    path: /^\/groups\/([^/]+)$/,
    async prepare(world, recording, match) {
      const path = decodeURIComponent(group(match, 1));
      world.namespace(path, 'group');
      const [example] = list(record(recording.body).projects);
      const projectPath = str(example?.path_with_namespace);
      if (projectPath !== undefined) await world.project(encodeURIComponent(projectPath));
      else
        await world.sim.createProject({
          namespace: path,
          path: world.unique('project'),
          files: { 'README.md': '#\n' },
        });
      return { method: 'GET', path: `/groups/${encodeURIComponent(path)}` };
    },
  },
];
