/** @module Pipelines of the REST API. */
import { z } from 'zod';

/** A pipeline as the pipeline endpoints return it. */
export const restPipelineSchema = z.object({
  id: z.number().int(),
  iid: z.number().int().nullish(),
  project_id: z.number().int(),
  sha: z.string(),
  ref: z.string(),
  status: z.string(),
  source: z.string().nullish(),
  web_url: z.string(),
});
