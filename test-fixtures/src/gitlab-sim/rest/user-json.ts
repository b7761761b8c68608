import { restTime } from '../gitlab-time';
import type { SimContext } from '../sim-context';
import type { SimUser } from '../sim-model';

export function avatarUrl(user: SimUser): string {
  return `https://www.gravatar.com/avatar/${user.id.toString(16).padStart(32, '0')}?s=80&d=identicon`;
}

/** A user as embedded in other objects (`author`, `user`, …). */
export function basicUserJson(ctx: SimContext, user: SimUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: avatarUrl(user),
    web_url: `${ctx.baseUrl}/${user.username}`,
  };
}

/** `GET /user`: the authenticated user, with the private fields only they see. */
export function currentUserJson(ctx: SimContext, user: SimUser): Record<string, unknown> {
  const created = restTime(user.createdAt);
  return {
    ...basicUserJson(ctx, user),
    created_at: created,
    bio: '',
    bio_html: '',
    location: '',
    public_email: null,
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    github: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: user.bot,
    work_information: null,
    followers: 0,
    following: 0,
    is_followed: false,
    local_time: null,
    last_sign_in_at: created,
    confirmed_at: created,
    last_activity_on: created.slice(0, 10),
    email: user.email,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: 100000,
    current_sign_in_at: created,
    identities: [],
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
    preferred_language: 'en',
    shared_runners_minutes_limit: null,
    extra_shared_runners_minutes_limit: null,
    scim_identities: [],
    is_admin: user.admin,
  };
}
