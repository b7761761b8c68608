import type { IncomingMessage, ServerResponse } from 'node:http';
import { RATE_LIMIT } from './rest/create-rest-app';

/** A failure to inject into matching requests (REST and git alike). */
export interface FaultSpec {
  /** HTTP method to match; default any. */
  readonly method?: string;
  /** Tested against the raw request path (without the query string), e.g. `/api/v4/projects/3001/merge_requests`. */
  readonly path: RegExp;
  /** Answer with this status instead of handling the request. */
  readonly status?: 500 | 502 | 503 | 429;
  /** For 429: the `Retry-After` header, in seconds. Default 1. */
  readonly retryAfter?: number;
  /** Wait this long before answering (combined with `status`, or before handling normally). */
  readonly latencyMs?: number;
  /** Close the connection without an answer. */
  readonly drop?: true;
  /** How many matching requests the fault applies to. Default 1; `Infinity` for all. */
  readonly times?: number;
}

/** An injected fault: how often it fired, how often it still will, and a way to remove it. */
export interface InjectedFault {
  readonly hits: number;
  readonly remaining: number;
  remove(): void;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  hits: number;
  remaining: number;
}

/** Answers matching requests with 5xx, 429 with `Retry-After`, latency or a dropped connection. */
export class FaultInjector {
  private readonly faults: ActiveFault[] = [];

  add(spec: FaultSpec): InjectedFault {
    const fault: ActiveFault = { spec, hits: 0, remaining: spec.times ?? 1 };
    this.faults.push(fault);
    const faults = this.faults;
    return {
      get hits() {
        return fault.hits;
      },
      get remaining() {
        return fault.remaining;
      },
      remove() {
        const index = faults.indexOf(fault);
        if (index >= 0) faults.splice(index, 1);
      },
    };
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Applies the first matching fault; returns whether the request has been answered (or dropped). */
  async apply(request: IncomingMessage, response: ServerResponse, nowMs: number): Promise<boolean> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.spec.method === undefined || candidate.spec.method.toUpperCase() === request.method) &&
        candidate.spec.path.test(path),
    );
    if (fault === undefined) return false;
    fault.remaining -= 1;
    fault.hits += 1;
    const { spec } = fault;
    if (spec.latencyMs !== undefined) await new Promise((resolve) => setTimeout(resolve, spec.latencyMs));
    if (spec.drop === true) {
      request.socket.destroy();
      return true;
    }
    if (spec.status === undefined) return false;
    request.resume();
    if (spec.status === 429) {
      const retryAfter = spec.retryAfter ?? 1;
      const reset = Math.ceil(nowMs / 1000) + retryAfter;
      response.writeHead(429, {
        'Content-Type': 'text/plain',
        'Retry-After': String(retryAfter),
        'RateLimit-Name': 'throttle_authenticated_api',
        'RateLimit-Limit': String(RATE_LIMIT),
        'RateLimit-Observed': String(RATE_LIMIT + 1),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(reset),
        'RateLimit-ResetTime': new Date(reset * 1000).toUTCString(),
      });
      response.end('Retry later\n');
    } else if (spec.status === 500) {
      response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: '500 Internal Server Error' }));
    } else {
      response.writeHead(spec.status, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(
        `<!DOCTYPE html>\n<html><head><title>GitLab is not responding (${spec.status})</title></head><body><h1>${spec.status}</h1><p>GitLab is not responding.</p></body></html>\n`,
      );
    }
    return true;
  }
}
