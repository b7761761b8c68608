/**
 * @module
 * Project membership levels.
 */

/** Access levels of project members (GitLab's numbers, which other forges can map onto). */
export const AccessLevel = {
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

/** One of the {@link AccessLevel} numbers. */
export type AccessLevelValue = (typeof AccessLevel)[keyof typeof AccessLevel];
