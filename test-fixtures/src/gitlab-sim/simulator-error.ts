/** Why an operation on the simulator failed. */
export type GitLabSimulatorErrorCode =
  | 'invalid-argument'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'not-allowed'
  | 'invalid-transition'
  | 'git-failed';

/** What GitLab answers over REST for the failure. */
export interface GitLabHttpFailure {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const defaultStatus: Readonly<Record<GitLabSimulatorErrorCode, number>> = {
  'invalid-argument': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'not-allowed': 405,
  'invalid-transition': 400,
  'git-failed': 500,
};

/**
 * The one error class of the GitLab simulator. The control API (seeding and driving state from a
 * test) throws it; the REST layer turns its `http` part into GitLab's status code and body, so
 * both paths share the same rules and the same messages.
 */
export class GitLabSimulatorError extends Error {
  override readonly name = 'GitLabSimulatorError';
  readonly http: GitLabHttpFailure;

  constructor(
    readonly code: GitLabSimulatorErrorCode,
    message: string,
    options: { http?: Partial<GitLabHttpFailure>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.http = {
      status: options.http?.status ?? defaultStatus[code],
      body: options.http?.body ?? { message },
    };
  }
}

/** GitLab's `404 <Thing> Not Found`. */
export function notFound(thing: string): GitLabSimulatorError {
  return new GitLabSimulatorError('not-found', `404 ${thing} Not Found`);
}

/** GitLab's `403 Forbidden`. */
export function forbidden(): GitLabSimulatorError {
  return new GitLabSimulatorError('forbidden', '403 Forbidden');
}

/** GitLab's `401 Unauthorized`. */
export function unauthorized(): GitLabSimulatorError {
  return new GitLabSimulatorError('unauthorized', '401 Unauthorized');
}

/** A parameter error as GitLab's API layer reports it: `{"error": "title is missing"}`. */
export function badParameter(error: string): GitLabSimulatorError {
  return new GitLabSimulatorError('invalid-argument', error, { http: { status: 400, body: { error } } });
}
