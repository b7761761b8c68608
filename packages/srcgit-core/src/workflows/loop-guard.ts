/**
 * @module
 * The loop guard of docs/bot-behaviour.md §1: the bot's own reverse-sync MRs are never mirrored back.
 * (The title is a shortcut, checked on the MR as the forge has it; what the converters bring over
 * is decided by the `From-source-git-commit`/`From-dist-git-commit` trailers read from git.)
 */

/** Title prefix of the bot's dist-git → source-git MRs (§1.E); such MRs are ignored. */
export const LOOP_GUARD_PREFIX = 'Sync from dist-git';
