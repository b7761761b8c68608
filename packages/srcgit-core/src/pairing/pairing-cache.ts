/**
 * @module
 * The optional pairing cache port. GitLab is the record of pairings (docs/architecture.md decision 1);
 * a cache (the worker's Redis implementation) only saves lookups, so losing it loses nothing.
 */

/** What a cache entry names: the dist-git MR paired with a source-git MR. */
export interface CachedPairing {
  readonly distGitProjectId: number;
  readonly distGitMrIid: number;
}

/** A cache of pairings keyed by the source-git MR. Every entry is verified against GitLab on use. */
export interface PairingCache {
  get(sourceGitProjectId: number, sourceGitMrIid: number): Promise<CachedPairing | null>;
  set(sourceGitProjectId: number, sourceGitMrIid: number, pairing: CachedPairing): Promise<void>;
  delete(sourceGitProjectId: number, sourceGitMrIid: number): Promise<void>;
}
