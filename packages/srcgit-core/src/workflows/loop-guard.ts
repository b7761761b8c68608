/**
 * @module
 * The loop guard of service-spec §1: the bot's own reverse-sync MRs are never mirrored back.
 */

/** Title prefix of the bot's dist-git → source-git MRs (§1.E); such MRs are ignored. */
export const LOOP_GUARD_PREFIX = 'Sync from dist-git';
