/**
 * @module
 * The worker's small HTTP endpoint: `GET /metrics` (Prometheus), `GET /healthz` and `GET /readyz`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAccess } from '@srcgit/core/internal';
import type { Registry } from 'prom-client';

/** A running metrics endpoint. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** What `GET /readyz` reports: `ready` decides 200/503, the rest are details. */
export interface WorkerReadiness {
  readonly ready: boolean;
  readonly [detail: string]: unknown;
}

/**
 * Serves `registry` at `GET /metrics`, liveness at `GET /healthz` (`healthy()` decides 200/503)
 * and readiness with details at `GET /readyz`. The port is the worker's own listener: metrics are
 * served to everyone unless `metricsToken` (`METRICS_TOKEN`) is set, then only with
 * `Authorization: Bearer <token>` (the rule of `metricsAccess`); the probes never need it.
 *
 * @example
 * const server = await startMetricsServer({ registry, port: 9464, host: '0.0.0.0', healthy, readiness, metricsToken });
 */
export async function startMetricsServer(options: {
  registry: Registry;
  port: number;
  host: string;
  healthy: () => boolean;
  readiness: () => Promise<WorkerReadiness>;
  metricsToken: string | undefined;
}): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const fail = (error: unknown): void => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    };
    if (request.method === 'GET' && path === '/metrics') {
      const access = metricsAccess({
        authorization: request.headers.authorization,
        token: options.metricsToken,
        dedicatedListener: true,
      });
      if (!access.allowed) {
        response.writeHead(access.status, {
          'Content-Type': 'text/plain',
          ...(access.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="srcgit metrics"' } : {}),
        });
        response.end(access.message);
        return;
      }
      options.registry.metrics().then((body) => {
        response.writeHead(200, { 'Content-Type': options.registry.contentType });
        response.end(body);
      }, fail);
      return;
    }
    if (request.method === 'GET' && path === '/healthz') {
      const healthy = options.healthy();
      response.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'ok' : 'stopped' }));
      return;
    }
    if (request.method === 'GET' && path === '/readyz') {
      options.readiness().then((report) => {
        response.writeHead(report.ready ? 200 : 503, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(report));
      }, fail);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
