import type { Hono } from 'hono';
import type { SimContext } from '../sim-context';
import { notFound } from '../simulator-error';
import { requireUser } from './lookups';
import { paginate } from './paginate';
import { stringParam } from './request-params';
import type { RestEnv } from './rest-env';
import { basicUserJson, currentUserJson, publicUserJson } from './user-json';

export function registerUserRoutes(app: Hono<RestEnv>, ctx: SimContext): void {
  app.get('/user', (c) => c.json(currentUserJson(ctx, requireUser(c))));

  app.get('/users', (c) => {
    const params = c.get('params');
    const username = stringParam(params, 'username')?.toLowerCase();
    const search = stringParam(params, 'search')?.toLowerCase();
    const users = [...ctx.state.users.values()].filter(
      (user) =>
        (username === undefined || user.username.toLowerCase() === username) &&
        (search === undefined ||
          user.username.toLowerCase().includes(search) ||
          user.name.toLowerCase().includes(search) ||
          user.email.toLowerCase() === search),
    );
    return c.json(paginate(c, users).map((user) => basicUserJson(ctx, user)));
  });

  app.get('/users/:user_id', (c) => {
    const user = ctx.state.users.get(Number(c.req.param('user_id')));
    if (user === undefined) throw notFound('User');
    return c.json(publicUserJson(ctx, user));
  });
}
