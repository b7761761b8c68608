/** GitLab's role levels, as the REST API reports them in `access_level`. */
export const AccessLevel = {
  none: 0,
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export type AccessLevelValue = (typeof AccessLevel)[keyof typeof AccessLevel];

/** A role given by name or by its numeric level. */
export type AccessLevelInput = AccessLevelValue | Exclude<keyof typeof AccessLevel, 'none'>;

export function toAccessLevel(input: AccessLevelInput): AccessLevelValue {
  return typeof input === 'number' ? input : AccessLevel[input];
}
