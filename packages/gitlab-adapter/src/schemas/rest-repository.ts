/** @module Branches, commits and files of the REST API. */
import { z } from 'zod';

/** `GET /projects/:id/repository/branches/:branch`. */
export const restBranchSchema = z.object({
  name: z.string().min(1),
  commit: z.object({ id: z.string().min(1) }),
  protected: z.boolean().nullish(),
  default: z.boolean().nullish(),
});

/** `GET /projects/:id/repository/commits/:sha`. */
export const restCommitSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  message: z.string(),
  author_name: z.string(),
  author_email: z.string(),
  parent_ids: z.array(z.string()).nullish(),
  web_url: z.string().nullish(),
});

/** `GET /projects/:id/repository/files/:file_path?ref=`. */
export const restRepositoryFileSchema = z.object({
  encoding: z.string(),
  content: z.string(),
});
