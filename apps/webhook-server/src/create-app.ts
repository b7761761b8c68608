import { Hono } from 'hono';

/** Builds the webhook server's HTTP application from injected dependencies. */
export function createApp(): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  return app;
}
