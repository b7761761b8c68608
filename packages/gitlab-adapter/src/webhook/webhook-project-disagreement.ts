/**
 * @module
 * Whether the project fields of a webhook payload agree with each other.
 */
import { withoutTrailingSlashes } from './without-trailing-slashes';

type Json = Record<string, unknown>;

/** A payload field that contradicts the project the payload acts on. */
export interface WebhookProjectDisagreement {
  /** The contradicting field, e.g. `project.web_url`. */
  path: string;
  message: string;
}

/** The URL fields of a project block in GitLab's hook payloads. */
const PROJECT_URL_FIELDS = [
  'web_url',
  'homepage',
  'url',
  'git_http_url',
  'git_ssh_url',
  'http_url',
  'ssh_url',
];

const object = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;

/**
 * The repository path an URL names: the path of an `http(s)://` or `ssh://` URL or of an scp-like
 * `git@host:group/repo.git`, without surrounding slashes and without `.git`. `null` when `url` is
 * none of these.
 */
function urlPath(url: string): string | null {
  const scpLike = /^[^@/\s]+@[^:/\s]+:(?!\/\/)(.+)$/.exec(url);
  let path: string;
  if (scpLike?.[1] !== undefined) {
    path = scpLike[1];
  } else {
    try {
      path = new URL(url).pathname;
    } catch {
      return null;
    }
  }
  return withoutTrailingSlashes(path.replace(/^\/+/, '')).replace(/\.git$/, '');
}

/** Whether `url` names the project at `path` (on the instance root or under a relative URL root). */
function urlNamesPath(url: string, path: string): boolean {
  const named = urlPath(url);
  return named !== null && (named === path || named.endsWith(`/${path}`));
}

/** Whether `url` is the web address of merge request `iid` of the project at `path`. */
function urlNamesMergeRequest(url: string, path: string, iid: unknown): boolean {
  const named = urlPath(url);
  if (named === null || typeof iid !== 'number') return false;
  return [`${path}/-/merge_requests/${iid}`, `${path}/merge_requests/${iid}`].some(
    (expected) => named === expected || named.endsWith(`/${expected}`),
  );
}

/** Collects disagreements, naming each field as `prefix.key`. */
class Findings {
  readonly list: WebhookProjectDisagreement[] = [];

  sameId(field: string, value: unknown, id: unknown, what: string): void {
    if (value === undefined || value === null) return;
    if (value !== id) {
      this.list.push({
        path: field,
        message: `is ${JSON.stringify(value)}, but ${what} is ${JSON.stringify(id)}`,
      });
    }
  }

  samePath(field: string, value: unknown, path: string, what: string): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string' || !urlNamesPath(value, path)) {
      this.list.push({ path: field, message: `${JSON.stringify(value)} does not name ${what} "${path}"` });
    }
  }

  /** A project block's own URLs (and its path, when `expectedPath` is given) agree. */
  projectBlock(prefix: string, block: Json | null, expectedPath: string | null): void {
    if (block === null) return;
    const path = block['path_with_namespace'];
    if (typeof path !== 'string') return;
    if (expectedPath !== null && path !== expectedPath) {
      this.list.push({
        path: `${prefix}.path_with_namespace`,
        message: `is ${JSON.stringify(path)}, but project.path_with_namespace is ${JSON.stringify(expectedPath)}`,
      });
    }
    for (const key of PROJECT_URL_FIELDS) {
      this.samePath(`${prefix}.${key}`, block[key], path, `${prefix}.path_with_namespace`);
    }
  }

  /** A merge request embedded in a hook: its target is `project`, its source agrees with itself. */
  mergeRequest(prefix: string, mr: Json | null, projectId: unknown, projectPath: string): void {
    if (mr === null) return;
    this.sameId(`${prefix}.target_project_id`, mr['target_project_id'], projectId, 'project.id');
    const target = object(mr['target']);
    this.sameId(`${prefix}.target.id`, target?.['id'], projectId, 'project.id');
    this.projectBlock(`${prefix}.target`, target, projectPath);
    const source = object(mr['source']);
    this.sameId(
      `${prefix}.source.id`,
      source?.['id'],
      mr['source_project_id'],
      `${prefix}.source_project_id`,
    );
    this.projectBlock(`${prefix}.source`, source, null);
    const url = mr['url'];
    if (typeof url === 'string' && !urlNamesMergeRequest(url, projectPath, mr['iid'])) {
      this.list.push({
        path: `${prefix}.url`,
        message: `${JSON.stringify(url)} is not merge request !${String(mr['iid'])} of "${projectPath}"`,
      });
    }
  }
}

/**
 * The first field of `body` that contradicts the project the event acts on, or `null` when they
 * all agree. Checked: every URL of `project` and `repository` names `project.path_with_namespace`;
 * `project_id` is `project.id`; a merge request hook's `object_attributes` (and a note's
 * `merge_request`) target that project (`target_project_id`, `target`, `url`) and its `source`
 * agrees with `source_project_id`; a note's `object_attributes.project_id` is `project.id`.
 * A pipeline's `merge_request` may target another project (fork pipelines), so it is not compared.
 * GitLab fills all these fields from one record, so a genuine payload never disagrees; a forged
 * one could otherwise pair one project's authorised path with another project's id.
 *
 * @example
 * webhookProjectDisagreement('Note Hook', body)
 * // → { path: 'merge_request.target_project_id', message: 'is 99, but project.id is 7' }
 */
export function webhookProjectDisagreement(
  eventName: string,
  body: unknown,
): WebhookProjectDisagreement | null {
  const root = object(body);
  const project = object(root?.['project']);
  const path = project?.['path_with_namespace'];
  if (root === null || project === null || typeof path !== 'string') return null;
  const findings = new Findings();
  findings.projectBlock('project', project, null);
  const repository = object(root['repository']);
  for (const key of ['homepage', 'url', 'git_http_url', 'git_ssh_url']) {
    findings.samePath(`repository.${key}`, repository?.[key], path, 'project.path_with_namespace');
  }
  findings.sameId('project_id', root['project_id'], project['id'], 'project.id');
  const attributes = object(root['object_attributes']);
  switch (eventName) {
    case 'Merge Request Hook':
      findings.mergeRequest('object_attributes', attributes, project['id'], path);
      break;
    case 'Note Hook':
      findings.sameId(
        'object_attributes.project_id',
        attributes?.['project_id'],
        project['id'],
        'project.id',
      );
      findings.mergeRequest('merge_request', object(root['merge_request']), project['id'], path);
      break;
    default:
      break;
  }
  return findings.list[0] ?? null;
}
