/** REST timestamps: ISO 8601 in UTC with milliseconds, `2024-01-01T12:00:00.000Z`. */
export function restTime(ms: number): string;
export function restTime(ms: number | null): string | null;
export function restTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Webhook timestamps of GitLab objects: `2024-01-01 12:00:00 UTC`. */
export function hookTime(ms: number): string;
export function hookTime(ms: number | null): string | null;
export function hookTime(ms: number | null): string | null {
  if (ms === null) return null;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A git date (`%aI`, strict ISO 8601 with the committer's offset) as the REST API shows commit
 * dates: `2019-09-11T11:13:22.000+02:00`.
 */
export function restCommitTime(isoWithOffset: string): string {
  return isoWithOffset.replace(/(T\d{2}:\d{2}:\d{2})([+-]|Z)/, '$1.000$2').replace(/Z$/, '+00:00');
}

/** A git date as webhooks show commit timestamps: `2021-08-02T10:33:26+02:00`. */
export function hookCommitTime(isoWithOffset: string): string {
  return isoWithOffset.replace(/Z$/, '+00:00');
}
