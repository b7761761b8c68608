import { restTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { SimMembership } from '../sim-model';
import { basicUserJson } from './user-json';

export function memberJson(ctx: SimContext, membership: SimMembership): Record<string, unknown> {
  const creator = membership.createdById === null ? undefined : ctx.state.users.get(membership.createdById);
  return {
    ...basicUserJson(ctx, ctx.state.requireUser(membership.userId)),
    access_level: membership.accessLevel,
    created_at: restTime(membership.createdAt),
    ...(creator === undefined ? {} : { created_by: basicUserJson(ctx, creator) }),
    expires_at: membership.expiresAt,
    membership_state: 'active',
  };
}
