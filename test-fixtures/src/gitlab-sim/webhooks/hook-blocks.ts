import type { CommitInfo } from '../git-store';
import { hookCommitTime } from '../gitlab-time';
import { projectUrls } from '../rest/project-json';
import { avatarUrl } from '../rest/user-json';
import type { SimContext } from '../sim-context';
import type { SimProject, SimUser, Visibility } from '../sim-model';

/**
 * The building blocks every webhook payload shares. Webhooks use their own shapes, distinct from
 * REST: numeric `visibility_level`, the namespace's display name in `namespace`, redacted emails.
 */

export const visibilityLevel: Readonly<Record<Visibility, number>> = { private: 0, internal: 10, public: 20 };

/** `project` of pipeline hooks (no legacy URL aliases). */
export function hookProjectCore(ctx: SimContext, project: SimProject): Record<string, unknown> {
  const urls = projectUrls(ctx, project);
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    web_url: urls.webUrl,
    avatar_url: null,
    git_ssh_url: urls.sshUrl,
    git_http_url: urls.httpUrl,
    namespace: ctx.state.namespaceOf(project).name,
    visibility_level: visibilityLevel[project.visibility],
    path_with_namespace: urls.fullPath,
    default_branch: project.defaultBranch,
    ci_config_path: project.ciConfigPath ?? '',
  };
}

/** `project`, `object_attributes.source`/`target` of merge request, push and note hooks. */
export function hookProject(ctx: SimContext, project: SimProject): Record<string, unknown> {
  const urls = projectUrls(ctx, project);
  return {
    ...hookProjectCore(ctx, project),
    homepage: urls.webUrl,
    url: urls.sshUrl,
    ssh_url: urls.sshUrl,
    http_url: urls.httpUrl,
  };
}

export function hookRepository(ctx: SimContext, project: SimProject): Record<string, unknown> {
  const urls = projectUrls(ctx, project);
  return { name: project.name, url: urls.sshUrl, description: project.description, homepage: urls.webUrl };
}

export function hookUser(user: SimUser): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    avatar_url: avatarUrl(user),
    email: '[REDACTED]',
  };
}

/** A commit in hooks (`last_commit`, `commits[]`, `commit`). */
export function hookCommit(
  ctx: SimContext,
  project: SimProject,
  commit: CommitInfo,
): Record<string, unknown> {
  return {
    id: commit.id,
    message: commit.message,
    title: commit.title,
    timestamp: hookCommitTime(commit.authoredDate),
    url: `${projectUrls(ctx, project).webUrl}/-/commit/${commit.id}`,
    author: { name: commit.authorName, email: '[REDACTED]' },
  };
}
