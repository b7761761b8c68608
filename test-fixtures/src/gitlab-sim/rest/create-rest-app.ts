import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { SimContext } from '../sim-context';
import { GitLabSimulatorError } from '../simulator-error';
import { registerMergeRequestRoutes } from './merge-requests-routes';
import { registerPipelineRoutes } from './pipelines-routes';
import { registerProjectRoutes } from './projects-routes';
import { registerRepositoryRoutes } from './repository-routes';
import { readRequestParams } from './request-params';
import type { RestEnv } from './rest-env';
import { registerUserRoutes } from './users-routes';

/** GitLab.com's authenticated API limit, reported in `RateLimit-*` headers on every response. */
export const RATE_LIMIT = 2000;

/**
 * The REST v4 subset, mounted at `/api/v4`. Authentication: `PRIVATE-TOKEN`, `Authorization:
 * Bearer` or `private_token`/`access_token` query parameters; a wrong token is always a 401,
 * no token reads public data only. Errors are GitLab's JSON bodies.
 */
export function createRestApp(ctx: SimContext): Hono<RestEnv> {
  const app = new Hono<RestEnv>().basePath('/api/v4');
  let window = 0;
  let used = 0;

  app.use(async (c, next) => {
    const second = Math.floor(ctx.now() / 1000);
    const minute = Math.floor(second / 60);
    if (minute !== window) {
      window = minute;
      used = 0;
    }
    used += 1;
    c.header('RateLimit-Name', 'throttle_authenticated_api');
    c.header('RateLimit-Limit', String(RATE_LIMIT));
    c.header('RateLimit-Observed', String(used));
    c.header('RateLimit-Remaining', String(Math.max(RATE_LIMIT - used, 0)));
    c.header('RateLimit-Reset', String((minute + 1) * 60));
    c.header('RateLimit-ResetTime', new Date((minute + 1) * 60_000).toUTCString());
    c.header('Cache-Control', 'max-age=0, private, must-revalidate');
    const url = new URL(c.req.url);
    const authorization = c.req.header('authorization');
    const token =
      c.req.header('private-token') ??
      (authorization?.toLowerCase().startsWith('bearer ') === true
        ? authorization.slice(7).trim()
        : undefined) ??
      url.searchParams.get('private_token') ??
      url.searchParams.get('access_token') ??
      undefined;
    const user = token === undefined ? undefined : ctx.state.userByToken(token);
    if (token !== undefined && user === undefined) return c.json({ message: '401 Unauthorized' }, 401);
    c.set('user', user);
    c.set('eventUuid', randomUUID());
    c.set('params', await readRequestParams(c.req.raw));
    await next();
    return undefined;
  });

  registerUserRoutes(app, ctx);
  registerProjectRoutes(app, ctx);
  registerRepositoryRoutes(app, ctx);
  registerMergeRequestRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);

  app.notFound((c) => c.json({ error: '404 Not Found' }, 404));
  app.onError((error, c) => {
    if (error instanceof GitLabSimulatorError) {
      return c.json(error.http.body, error.http.status as 400);
    }
    if (error instanceof HTTPException) return error.getResponse();
    console.error('GitLab simulator: unexpected error', error);
    return c.json({ message: '500 Internal Server Error' }, 500);
  });
  return app;
}
