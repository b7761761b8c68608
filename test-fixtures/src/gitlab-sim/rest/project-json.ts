import { AccessLevel } from '../access-level';
import { restTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { SimProject, SimUser } from '../sim-model';
import { namespaceJson } from './namespace-json';
import { basicUserJson } from './user-json';

export interface ProjectUrls {
  readonly fullPath: string;
  readonly webUrl: string;
  readonly httpUrl: string;
  readonly sshUrl: string;
}

export function projectUrls(ctx: SimContext, project: SimProject): ProjectUrls {
  const fullPath = ctx.state.projectFullPath(project);
  const host = new URL(ctx.baseUrl).hostname;
  return {
    fullPath,
    webUrl: `${ctx.baseUrl}/${fullPath}`,
    httpUrl: `${ctx.baseUrl}/${fullPath}.git`,
    sshUrl: `git@${host}:${fullPath}.git`,
  };
}

export function nameWithNamespace(ctx: SimContext, project: SimProject): string {
  return `${ctx.state.namespaceFullName(ctx.state.namespaceOf(project))} / ${project.name}`;
}

function forksCount(ctx: SimContext, project: SimProject): number {
  let count = 0;
  for (const other of ctx.state.projects.values()) if (other.forkedFromId === project.id) count += 1;
  return count;
}

/** The short project shape (`forked_from_project`, search results). */
export function basicProjectJson(ctx: SimContext, project: SimProject): Record<string, unknown> {
  const urls = projectUrls(ctx, project);
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: nameWithNamespace(ctx, project),
    path: project.path,
    path_with_namespace: urls.fullPath,
    created_at: restTime(project.createdAt),
    default_branch: project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: urls.sshUrl,
    http_url_to_repo: urls.httpUrl,
    web_url: urls.webUrl,
    readme_url:
      project.readmePath === null
        ? null
        : `${urls.webUrl}/-/blob/${project.defaultBranch}/${project.readmePath}`,
    forks_count: forksCount(ctx, project),
    avatar_url: project.settings.avatarUrl,
    star_count: 0,
    last_activity_at: restTime(project.lastActivityAt),
    namespace: namespaceJson(ctx, ctx.state.namespaceOf(project)),
  };
}

/**
 * The full project shape of `GET /projects/:id`, forks, creation. `viewer` adds `permissions`
 * (as GitLab does for single-project reads by an authenticated user).
 */
export function projectJson(
  ctx: SimContext,
  project: SimProject,
  viewer: SimUser | undefined,
  options: { permissions?: boolean } = {},
): Record<string, unknown> {
  const urls = projectUrls(ctx, project);
  const api = `${ctx.baseUrl}/api/v4/projects/${project.id}`;
  const namespace = ctx.state.namespaceOf(project);
  const owner =
    namespace.kind === 'user' && namespace.ownerId !== null
      ? ctx.state.users.get(namespace.ownerId)
      : undefined;
  const parent = project.forkedFromId === null ? undefined : ctx.state.projects.get(project.forkedFromId);
  const json: Record<string, unknown> = {
    ...basicProjectJson(ctx, project),
    container_registry_image_prefix: `registry.${new URL(ctx.baseUrl).hostname}/${urls.fullPath}`,
    _links: {
      self: api,
      issues: `${api}/issues`,
      merge_requests: `${api}/merge_requests`,
      repo_branches: `${api}/repository/branches`,
      labels: `${api}/labels`,
      events: `${api}/events`,
      members: `${api}/members`,
      cluster_agents: `${api}/cluster_agents`,
    },
    packages_enabled: true,
    empty_repo: project.emptyRepo,
    archived: project.archived,
    visibility: project.visibility,
    ...(owner === undefined ? {} : { owner: basicUserJson(ctx, owner) }),
    resolve_outdated_diff_discussions: false,
    container_expiration_policy: {
      cadence: '1d',
      enabled: false,
      keep_n: 10,
      older_than: '90d',
      name_regex: '.*',
      name_regex_keep: null,
      next_run_at: restTime(project.createdAt + 86_400_000),
    },
    issues_enabled: true,
    merge_requests_enabled: true,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    container_registry_enabled: true,
    service_desk_enabled: true,
    service_desk_address: `incoming+${urls.fullPath.replace(/\//g, '-')}-${project.id}-issue-@incoming.${new URL(ctx.baseUrl).hostname}`,
    can_create_merge_request_in: viewer !== undefined && ctx.state.canSeeProject(viewer, project),
    issues_access_level: 'enabled',
    repository_access_level: 'enabled',
    merge_requests_access_level: 'enabled',
    forking_access_level: 'enabled',
    wiki_access_level: 'enabled',
    builds_access_level: 'enabled',
    snippets_access_level: 'enabled',
    pages_access_level: project.visibility === 'public' ? 'enabled' : 'private',
    analytics_access_level: 'enabled',
    container_registry_access_level: 'enabled',
    security_and_compliance_access_level: 'private',
    releases_access_level: 'enabled',
    environments_access_level: 'enabled',
    feature_flags_access_level: 'enabled',
    infrastructure_access_level: 'enabled',
    monitor_access_level: 'enabled',
    model_experiments_access_level: 'enabled',
    model_registry_access_level: 'enabled',
    operations_access_level: 'enabled',
    emails_disabled: false,
    emails_enabled: true,
    shared_runners_enabled: true,
    lfs_enabled: true,
    creator_id: project.creatorId,
    ...(parent === undefined ? {} : { forked_from_project: basicProjectJson(ctx, parent) }),
    mr_default_target_self: false,
    import_url: null,
    import_type: project.forkedFromId === null ? null : 'gitlab_project',
    import_status: project.importStatus,
    import_error: project.importStatus === 'failed' ? 'Fork failed' : null,
    open_issues_count: 0,
    description_html:
      project.description === '' ? '' : `<p dir="auto">${escapeHtml(project.description)}</p>`,
    updated_at: restTime(project.lastActivityAt),
    ci_default_git_depth: 20,
    ci_forward_deployment_enabled: true,
    ci_forward_deployment_rollback_allowed: true,
    ci_job_token_scope_enabled: false,
    ci_separated_caches: true,
    ci_allow_fork_pipelines_to_run_in_parent_project: true,
    ci_id_token_sub_claim_components: ['project_path', 'ref_type', 'ref'],
    build_git_strategy: 'fetch',
    keep_latest_artifact: true,
    restrict_user_defined_variables: false,
    ci_pipeline_variables_minimum_override_role: 'developer',
    runners_token: `GR1348941${project.id.toString(36).padStart(20, 'x')}`,
    runner_token_expiration_interval: null,
    group_runners_enabled: true,
    auto_cancel_pending_pipelines: 'enabled',
    build_timeout: 3600,
    auto_devops_enabled: false,
    auto_devops_deploy_strategy: 'continuous',
    ci_push_repository_for_job_token_allowed: false,
    ci_config_path: project.ciConfigPath ?? '',
    public_jobs: true,
    shared_with_groups: [],
    only_allow_merge_if_pipeline_succeeds: false,
    allow_merge_on_skipped_pipeline: false,
    request_access_enabled: true,
    only_allow_merge_if_all_discussions_are_resolved: false,
    remove_source_branch_after_merge: true,
    printing_merge_request_link_enabled: true,
    merge_method: 'merge',
    squash_option: 'default_off',
    enforce_auth_checks_on_uploads: true,
    suggestion_commit_message: project.settings.suggestionCommitMessage,
    merge_commit_template: project.settings.mergeCommitTemplate,
    squash_commit_template: project.settings.squashCommitTemplate,
    issue_branch_template: null,
    warn_about_potentially_unwanted_characters: true,
    autoclose_referenced_issues: true,
    max_artifacts_size: null,
    approvals_before_merge: 0,
    mirror: false,
    external_authorization_classification_label: '',
    marked_for_deletion_at: null,
    marked_for_deletion_on: null,
    requirements_enabled: false,
    requirements_access_level: 'enabled',
    security_and_compliance_enabled: true,
    compliance_frameworks: [],
    issues_template: project.settings.issuesTemplate,
    merge_requests_template: project.settings.mergeRequestsTemplate,
    ci_restrict_pipeline_cancellation_role: 'developer',
    merge_pipelines_enabled: project.mergedResultsPipelines,
    merge_trains_enabled: false,
    merge_trains_skip_train_allowed: false,
    only_allow_merge_if_all_status_checks_passed: false,
    allow_pipeline_trigger_approve_deployment: false,
    prevent_merge_without_jira_issue: false,
    build_coverage_regex: project.settings.buildCoverageRegex,
    repository_object_format: 'sha1',
    ci_opt_in_jwt: false,
    ci_delete_pipelines_in_seconds: null,
  };
  if (options.permissions === true && viewer !== undefined) {
    const direct = project.members.get(viewer.id)?.accessLevel;
    const group = ctx.state.groupAccess(viewer, namespace);
    json.permissions = {
      project_access: direct === undefined ? null : { access_level: direct, notification_level: 3 },
      group_access:
        namespace.kind === 'group' && group > AccessLevel.none
          ? { access_level: group, notification_level: 3 }
          : null,
    };
  }
  return json;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
