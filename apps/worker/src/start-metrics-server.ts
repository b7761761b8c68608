/**
 * @module
 * The worker's small HTTP endpoint: `GET /metrics` (Prometheus) and `GET /healthz`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A running metrics endpoint. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `registry` at `GET /metrics` and liveness at `GET /healthz` (`healthy()` decides 200/503).
 *
 * @example
 * const server = await startMetricsServer({ registry, port: 9464, host: '0.0.0.0', healthy: () => worker.isRunning() });
 */
export async function startMetricsServer(options: {
  registry: Registry;
  port: number;
  host: string;
  healthy: () => boolean;
}): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      options.registry.metrics().then(
        (body) => {
          response.writeHead(200, { 'Content-Type': options.registry.contentType });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { 'Content-Type': 'text/plain' });
          response.end(String(error));
        },
      );
      return;
    }
    if (request.method === 'GET' && path === '/healthz') {
      const healthy = options.healthy();
      response.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'ok' : 'stopped' }));
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
