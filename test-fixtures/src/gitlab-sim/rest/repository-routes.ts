import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { AccessLevel } from '../access-level';
import { createCommitStatus, listCommitStatuses, type CommitStatusState } from '../commit-statuses';
import { ZERO_SHA } from '../git-store';
import { commitComments, createCommitComment } from '../notes';
import { processPush } from '../pushes';
import type { SimContext } from '../sim-context';
import type { SimProject, SimUser } from '../sim-model';
import { badParameter, forbidden, GitLabSimulatorError, notFound } from '../simulator-error';
import { commitJson } from './commit-json';
import { actorOf, repositoryParam } from './lookups';
import { commitCommentJson } from './note-json';
import { paginate } from './paginate';
import { basicPipelineJson, commitStatusJson } from './pipeline-json';
import { projectUrls } from './project-json';
import { boolParam, intParam, requiredString, stringParam } from './request-params';
import type { RestContext, RestEnv } from './rest-env';

/** Whether the user may push to the branch (the default branch is protected: Maintainers only). */
export function canPush(
  ctx: SimContext,
  user: SimUser | undefined,
  project: SimProject,
  branch: string,
): boolean {
  const level = ctx.state.projectAccess(user, project);
  return branch === project.defaultBranch ? level >= AccessLevel.maintainer : level >= AccessLevel.developer;
}

async function branchJson(
  ctx: SimContext,
  c: RestContext,
  project: SimProject,
  name: string,
  sha: string,
  defaultHead: string | undefined,
): Promise<Record<string, unknown>> {
  const commit = await ctx.git.commit(project.repoDir, sha);
  const isDefault = name === project.defaultBranch;
  const merged =
    !isDefault && defaultHead !== undefined && (await ctx.git.isAncestor(project.repoDir, sha, defaultHead));
  return {
    name,
    commit: commit === undefined ? null : commitJson(ctx, project, commit),
    merged,
    protected: isDefault,
    developers_can_push: !isDefault,
    developers_can_merge: !isDefault,
    can_push: canPush(ctx, c.get('user'), project, name),
    default: isDefault,
    web_url: `${projectUrls(ctx, project).webUrl}/-/tree/${name}`,
  };
}

/** GitLab's branch `search`: substring, or `^prefix` / `suffix$`. */
function matchesSearch(name: string, search: string | undefined): boolean {
  if (search === undefined || search === '') return true;
  const lower = name.toLowerCase();
  const wanted = search.toLowerCase();
  if (wanted.startsWith('^')) return lower.startsWith(wanted.slice(1));
  if (wanted.endsWith('$')) return lower.endsWith(wanted.slice(0, -1));
  return lower.includes(wanted);
}

export function registerRepositoryRoutes(app: Hono<RestEnv>, ctx: SimContext): void {
  app.get('/projects/:id/repository/branches', async (c) => {
    const project = repositoryParam(ctx, c);
    const search = stringParam(c.get('params'), 'search');
    const branches = [...(await ctx.git.branches(project.repoDir))]
      .filter(([name]) => matchesSearch(name, search))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const page = paginate(c, branches);
    const defaultHead = await ctx.git.branchHead(project.repoDir, project.defaultBranch);
    return c.json(
      await Promise.all(page.map(([name, sha]) => branchJson(ctx, c, project, name, sha, defaultHead))),
    );
  });

  app.get('/projects/:id/repository/branches/:branch{.+}', async (c) => {
    const project = repositoryParam(ctx, c);
    const name = c.req.param('branch');
    const sha = await ctx.git.branchHead(project.repoDir, name);
    if (sha === undefined) throw notFound('Branch');
    const defaultHead = await ctx.git.branchHead(project.repoDir, project.defaultBranch);
    return c.json(await branchJson(ctx, c, project, name, sha, defaultHead));
  });

  app.post('/projects/:id/repository/branches', async (c) => {
    const project = repositoryParam(ctx, c);
    const actor = actorOf(c);
    const [name = '', ref = ''] = requiredString(c.get('params'), 'branch', 'ref');
    if (!canPush(ctx, actor.user, project, name)) throw forbidden();
    if ((await ctx.git.branchHead(project.repoDir, name)) !== undefined) {
      throw new GitLabSimulatorError('invalid-argument', 'Branch already exists', {
        http: { status: 400, body: { message: 'Branch already exists' } },
      });
    }
    const sha = await ctx.git.resolveCommit(project.repoDir, ref);
    if (sha === undefined) {
      throw new GitLabSimulatorError('invalid-argument', 'Invalid reference name', {
        http: { status: 400, body: { message: `Invalid reference name: ${ref}` } },
      });
    }
    await ctx.git.updateRef(project.repoDir, `refs/heads/${name}`, sha);
    await processPush(ctx, actor, project, [{ ref: `refs/heads/${name}`, before: ZERO_SHA, after: sha }]);
    const defaultHead = await ctx.git.branchHead(project.repoDir, project.defaultBranch);
    return c.json(await branchJson(ctx, c, project, name, sha, defaultHead), 201);
  });

  app.delete('/projects/:id/repository/branches/:branch{.+}', async (c) => {
    const project = repositoryParam(ctx, c);
    const actor = actorOf(c);
    const name = c.req.param('branch');
    const sha = await ctx.git.branchHead(project.repoDir, name);
    if (sha === undefined) throw notFound('Branch');
    if (ctx.state.projectAccess(actor.user, project) < AccessLevel.developer) throw forbidden();
    if (name === project.defaultBranch) {
      throw new GitLabSimulatorError(
        'invalid-argument',
        'The default branch of a project cannot be deleted.',
        {
          http: { status: 400 },
        },
      );
    }
    await ctx.git.deleteRef(project.repoDir, `refs/heads/${name}`);
    await processPush(ctx, actor, project, [{ ref: `refs/heads/${name}`, before: sha, after: ZERO_SHA }]);
    return c.body(null, 204);
  });

  app.get('/projects/:id/repository/files/:file_path{.+}/raw', async (c) => {
    const project = repositoryParam(ctx, c);
    const path = c.req.param('file_path');
    const ref = stringParam(c.get('params'), 'ref') ?? project.defaultBranch;
    const file = await readFileOrThrow(ctx, project, ref, path);
    setFileHeaders(c, file);
    return c.body(new Uint8Array(file.content), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  app.get('/projects/:id/repository/files/:file_path{.+}', async (c) => {
    const project = repositoryParam(ctx, c);
    const path = c.req.param('file_path');
    const [ref = ''] = requiredString(c.get('params'), 'ref');
    const file = await readFileOrThrow(ctx, project, ref, path);
    setFileHeaders(c, file);
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.json({
      file_name: path.split('/').pop() ?? path,
      file_path: path,
      size: file.content.length,
      encoding: 'base64',
      content_sha256: file.contentSha256,
      ref,
      blob_id: file.blobId,
      commit_id: file.commitId,
      last_commit_id: file.lastCommitId,
      execute_filemode: file.executable,
      content: file.content.toString('base64'),
    });
  });

  app.get('/projects/:id/repository/tree', async (c) => {
    const project = repositoryParam(ctx, c);
    const params = c.get('params');
    const ref = stringParam(params, 'ref') ?? project.defaultBranch;
    const commit = await ctx.git.resolveCommit(project.repoDir, ref);
    if (commit === undefined) throw notFound('Tree');
    const entries = await ctx.git.tree(
      project.repoDir,
      commit,
      stringParam(params, 'path') ?? '',
      boolParam(params, 'recursive') ?? false,
    );
    return c.json(
      paginate(c, entries).map((entry) => ({
        id: entry.id,
        name: entry.path.split('/').pop() ?? entry.path,
        type: entry.type,
        path: entry.path,
        mode: entry.mode,
      })),
    );
  });

  app.get('/projects/:id/repository/commits', async (c) => {
    const project = repositoryParam(ctx, c);
    const ref = stringParam(c.get('params'), 'ref_name') ?? project.defaultBranch;
    const head = await ctx.git.resolveCommit(project.repoDir, ref);
    if (head === undefined) return c.json([]);
    const commits = await ctx.git.log(project.repoDir, head);
    return c.json(paginate(c, commits).map((commit) => commitJson(ctx, project, commit)));
  });

  app.get('/projects/:id/repository/commits/:sha', async (c) => {
    const project = repositoryParam(ctx, c);
    const commit = await ctx.git.commit(project.repoDir, c.req.param('sha'));
    if (commit === undefined) throw notFound('Commit');
    const stats = await ctx.git.stats(project.repoDir, commit.id);
    const last = [...ctx.state.pipelines.values()]
      .filter((pipeline) => pipeline.projectId === project.id && pipeline.sha === commit.id)
      .sort((a, b) => b.id - a.id)[0];
    return c.json({
      ...commitJson(ctx, project, commit),
      stats: { ...stats, total: stats.additions + stats.deletions },
      status: last?.status ?? null,
      project_id: project.id,
      last_pipeline: last === undefined ? null : basicPipelineJson(ctx, last),
    });
  });

  app.get('/projects/:id/repository/commits/:sha/comments', async (c) => {
    const project = repositoryParam(ctx, c);
    const sha = await ctx.git.resolveCommit(project.repoDir, c.req.param('sha'));
    if (sha === undefined) throw notFound('Commit');
    return c.json(paginate(c, commitComments(ctx, project, sha)).map((note) => commitCommentJson(ctx, note)));
  });

  app.post('/projects/:id/repository/commits/:sha/comments', async (c) => {
    const project = repositoryParam(ctx, c);
    const params = c.get('params');
    const [note = ''] = requiredString(params, 'note');
    const path = stringParam(params, 'path');
    const line = intParam(params, 'line');
    const lineType = stringParam(params, 'line_type');
    if (lineType !== undefined && lineType !== 'new' && lineType !== 'old') {
      throw badParameter('line_type does not have a valid value');
    }
    const created = await createCommitComment(ctx, actorOf(c), project, c.req.param('sha'), {
      note,
      ...(path === undefined ? {} : { path }),
      ...(line === undefined ? {} : { line }),
      ...(lineType === undefined ? {} : { lineType }),
    });
    return c.json(commitCommentJson(ctx, created), 201);
  });

  app.get('/projects/:id/repository/commits/:sha/statuses', async (c) => {
    const project = repositoryParam(ctx, c);
    const sha = await ctx.git.resolveCommit(project.repoDir, c.req.param('sha'));
    if (sha === undefined) throw notFound('Commit');
    const params = c.get('params');
    const ref = stringParam(params, 'ref');
    const name = stringParam(params, 'name');
    const statuses = listCommitStatuses(ctx, project, sha, {
      ...(ref === undefined ? {} : { ref }),
      ...(name === undefined ? {} : { name }),
      all: boolParam(params, 'all') ?? false,
    });
    return c.json(paginate(c, statuses).map((status) => commitStatusJson(ctx, status)));
  });

  app.post('/projects/:id/statuses/:sha', async (c) => {
    const project = repositoryParam(ctx, c);
    const params = c.get('params');
    const [state = ''] = requiredString(params, 'state');
    const ref = stringParam(params, 'ref');
    const name = stringParam(params, 'name') ?? stringParam(params, 'context');
    const targetUrl = stringParam(params, 'target_url');
    const description = stringParam(params, 'description');
    const coverage = stringParam(params, 'coverage');
    const pipelineId = intParam(params, 'pipeline_id');
    const status = await createCommitStatus(ctx, actorOf(c), project, c.req.param('sha'), {
      state: state as CommitStatusState,
      ...(ref === undefined ? {} : { ref }),
      ...(name === undefined ? {} : { name }),
      ...(targetUrl === undefined ? {} : { targetUrl }),
      ...(description === undefined ? {} : { description }),
      ...(coverage === undefined ? {} : { coverage: Number(coverage) }),
      ...(pipelineId === undefined ? {} : { pipelineId }),
    });
    return c.json(commitStatusJson(ctx, status), 201);
  });

  app.get('/projects/:id/repository/tags', async (c) => {
    const project = repositoryParam(ctx, c);
    const tags = (await ctx.git.tags(project.repoDir)).sort((a, b) => (a.name < b.name ? 1 : -1));
    const page = paginate(c, tags);
    return c.json(await Promise.all(page.map((tag) => tagJson(ctx, project, tag))));
  });

  app.get('/projects/:id/repository/tags/:tag_name{.+}', async (c) => {
    const project = repositoryParam(ctx, c);
    const name = c.req.param('tag_name');
    const tag = (await ctx.git.tags(project.repoDir)).find((entry) => entry.name === name);
    if (tag === undefined) throw notFound('Tag');
    return c.json(await tagJson(ctx, project, tag));
  });
}

async function tagJson(
  ctx: SimContext,
  project: SimProject,
  tag: { name: string; target: string; commit: string; message: string },
): Promise<Record<string, unknown>> {
  const commit = await ctx.git.commit(project.repoDir, tag.commit);
  const release = ctx.state.releases.get(`${project.id}:${tag.name}`);
  return {
    name: tag.name,
    message: tag.message.trimEnd(),
    target: tag.target,
    commit: commit === undefined ? null : commitJson(ctx, project, commit),
    release: release === undefined ? null : { tag_name: tag.name, description: release },
    protected: false,
    created_at: null,
  };
}

interface FileData {
  readonly content: Buffer;
  readonly blobId: string;
  readonly commitId: string;
  readonly lastCommitId: string;
  readonly contentSha256: string;
  readonly executable: boolean;
  readonly path: string;
  readonly ref: string;
}

async function readFileOrThrow(
  ctx: SimContext,
  project: SimProject,
  ref: string,
  path: string,
): Promise<FileData> {
  const commitId = await ctx.git.resolveCommit(project.repoDir, ref);
  if (commitId === undefined) throw notFound('Commit');
  const blob = await ctx.git.readFile(project.repoDir, commitId, path);
  if (blob === undefined) throw notFound('File');
  const lastCommitId = (await ctx.git.lastCommitTouching(project.repoDir, commitId, path)) ?? commitId;
  const entries = await ctx.git.tree(
    project.repoDir,
    commitId,
    path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '',
    false,
  );
  const executable = entries.some((entry) => entry.path === path && entry.mode === '100755');
  return {
    content: blob.content,
    blobId: blob.blobId,
    commitId,
    lastCommitId,
    contentSha256: createHash('sha256').update(blob.content).digest('hex'),
    executable,
    path,
    ref,
  };
}

function setFileHeaders(c: RestContext, file: FileData): void {
  c.header('X-Gitlab-Blob-Id', file.blobId);
  c.header('X-Gitlab-Commit-Id', file.commitId);
  c.header('X-Gitlab-Content-Sha256', file.contentSha256);
  c.header('X-Gitlab-Encoding', 'base64');
  c.header('X-Gitlab-Execute-Filemode', String(file.executable));
  c.header('X-Gitlab-File-Name', file.path.split('/').pop() ?? file.path);
  c.header('X-Gitlab-File-Path', file.path);
  c.header('X-Gitlab-Last-Commit-Id', file.lastCommitId);
  c.header('X-Gitlab-Ref', file.ref);
  c.header('X-Gitlab-Size', String(file.content.length));
}
