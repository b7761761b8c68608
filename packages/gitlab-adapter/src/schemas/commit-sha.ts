/** @module A full commit id as GitLab sends it (SHA-1 or SHA-256, lower-case hex). */
import { z } from 'zod';

/** A full commit id. */
export const commitShaSchema = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'a full hex commit id');
