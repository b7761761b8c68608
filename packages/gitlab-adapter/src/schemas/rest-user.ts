/** @module Users and project members of the REST API. */
import { z } from 'zod';

/** `GET /user`, `GET /users?username=`. */
export const restUserSchema = z.object({
  id: z.number().int(),
  username: z.string().min(1),
  name: z.string().nullish(),
});
export type RestUser = z.infer<typeof restUserSchema>;

/** `GET /projects/:id/members/all/:user_id`. */
export const restMemberSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  access_level: z.number().int(),
});
