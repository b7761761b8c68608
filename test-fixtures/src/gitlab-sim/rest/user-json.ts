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
  return { ...publicUserJson(ctx, user), ...privateUserJson(user) };
}

/** `GET /users/:id`: the public profile. */
export function publicUserJson(ctx: SimContext, user: SimUser): Record<string, unknown> {
  const { profile } = user;
  const work =
    profile.jobTitle !== null && profile.organization !== null
      ? `${profile.jobTitle} at ${profile.organization}`
      : (profile.jobTitle ?? profile.organization);
  const now = new Date(ctx.now());
  const hours = now.getUTCHours();
  return {
    ...basicUserJson(ctx, user),
    created_at: restTime(user.createdAt),
    bio: profile.bio ?? '',
    bio_html: profile.bio === null ? '' : `<p dir="auto">${profile.bio}</p>`,
    location: profile.location ?? '',
    public_email: profile.publicEmail,
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    github: '',
    website_url: '',
    organization: profile.organization ?? '',
    job_title: profile.jobTitle ?? '',
    pronouns: profile.pronouns,
    bot: user.bot,
    work_information: work,
    followers: 0,
    following: 0,
    is_followed: false,
    local_time: `${hours % 12 === 0 ? 12 : hours % 12}:${String(now.getUTCMinutes()).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`,
  };
}

function privateUserJson(user: SimUser): Record<string, unknown> {
  const created = restTime(user.createdAt);
  return {
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
    shared_runners_minutes_limit: 400,
    extra_shared_runners_minutes_limit: null,
    scim_identities: [],
    is_admin: user.admin,
  };
}
