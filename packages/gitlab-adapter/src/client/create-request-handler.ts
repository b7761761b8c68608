/**
 * @module
 * The transport under gitbeaker's resources: the injected `fetch`, with retries and backoff on
 * rate limits (honouring `Retry-After`), server errors and dropped connections, and classified
 * errors. It replaces `@gitbeaker/rest`'s handler, which calls the global `fetch`, retries only
 * 429/502 with sub-millisecond delays and ignores `Retry-After`.
 */
import type { FormattedResponse, RequestHandlerFn } from '@gitbeaker/requester-utils';
import { exponentialBackoffDelay } from '@srcgit/core';
import { GitLabError } from '../gitlab-error';
import { failureKindForStatus, remedyForStatus } from './failure-kind';
import { gitlabMessage } from './gitlab-message';
import type { ResponseObserver } from './create-request-meter';
import type { RetryOptions } from './retry-options';
import { parseRetryAfter } from './retry-options';

/** Where log lines of the adapter go (a pino or console logger fits). */
export interface GitLabLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  debug?(message: string, fields?: Record<string, unknown>): void;
}

/** Side effects of the transport; all injected. */
export interface RequestHandlerDeps {
  fetch: typeof globalThis.fetch;
  sleep: (ms: number) => Promise<void>;
  retry: RetryOptions;
  /** Per-attempt timeout. */
  timeoutMs: number;
  logger: GitLabLogger | undefined;
  now: () => number;
  random: () => number;
  /** Told of every answer (each attempt), e.g. a `RequestMeter`. */
  responseObserver?: ResponseObserver | undefined;
}

/** The request options gitbeaker's options handler produces. */
interface GitbeakerRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  searchParams?: string;
  prefixUrl?: string;
  signal?: AbortSignal;
}

/** `/projects/1/merge_requests` for `https://host/api/v4/projects/1/merge_requests?x=1`. */
function apiPath(url: URL): string {
  const path = url.pathname;
  const index = path.indexOf('/api/v4/');
  return index === -1 ? path : path.slice(index + '/api/v4'.length);
}

function formatResponse(response: Response, text: string, where: string): FormattedResponse {
  const headers = Object.fromEntries(response.headers.entries());
  if (response.status === 204) return { body: null, headers, status: response.status };
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (contentType !== 'application/json') return { body: text, headers, status: response.status };
  try {
    return {
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
      headers,
      status: response.status,
    };
  } catch (error) {
    throw new GitLabError('permanent', `GitLab ${where} answered ${response.status} with malformed JSON.`, {
      status: response.status,
      cause: error,
    });
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** Builds gitbeaker's request handler over the injected transport. */
export function createRequestHandler(deps: RequestHandlerDeps): RequestHandlerFn {
  return async (endpoint, rawOptions) => {
    const options = (rawOptions ?? {}) as GitbeakerRequestOptions;
    const method = (options.method ?? 'GET').toUpperCase();
    const base = options.prefixUrl === undefined ? undefined : options.prefixUrl.replace(/\/?$/, '/');
    const url = new URL(endpoint, base);
    url.search = options.searchParams ?? '';
    const where = `${method} ${apiPath(url)}`;
    const attempts = Math.max(1, deps.retry.attempts);

    for (let attempt = 1; ; attempt += 1) {
      const signals = [AbortSignal.timeout(deps.timeoutMs), ...(options.signal ? [options.signal] : [])];
      let failure: GitLabError;
      let delayMs: number | undefined;
      try {
        const response = await deps.fetch(url, {
          method,
          ...(options.headers === undefined ? {} : { headers: options.headers }),
          ...(options.body === undefined ? {} : { body: options.body }),
          signal: AbortSignal.any(signals),
        });
        deps.responseObserver?.observe(response);
        const text = await response.text();
        if (response.ok) return formatResponse(response, text, where);
        const kind = failureKindForStatus(response.status);
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), deps.now());
        failure = new GitLabError(
          kind,
          `GitLab ${where} answered ${response.status}: ${gitlabMessage(text)}.${remedyForStatus(response.status)}`,
          {
            status: response.status,
            method,
            path: apiPath(url),
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          },
        );
        delayMs = retryAfterMs;
      } catch (error) {
        if (error instanceof GitLabError) throw error;
        if (options.signal?.aborted) {
          throw new GitLabError('transient', `GitLab ${where} was aborted by the caller.`, {
            method,
            path: apiPath(url),
            cause: error,
          });
        }
        // No (complete) answer: connection refused or dropped, or the attempt timed out.
        failure = new GitLabError(
          'transient',
          `GitLab ${where} failed without an answer (${describeCause(error)}).`,
          {
            method,
            path: apiPath(url),
            cause: error,
          },
        );
      }

      if (failure.kind !== 'transient') throw failure;
      if (attempt >= attempts) throw failure;
      const wait = delayMs ?? exponentialBackoffDelay(attempt, deps.retry, deps.random);
      if (wait > deps.retry.maxDelayMs) throw failure;
      deps.logger?.warn('GitLab request failed, retrying', {
        request: where,
        status: failure.status,
        attempt,
        attempts,
        delayMs: wait,
        error: failure.message,
      });
      await deps.sleep(wait);
    }
  };
}
