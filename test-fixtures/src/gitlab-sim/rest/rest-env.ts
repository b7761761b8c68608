import type { Context } from 'hono';
import type { SimUser } from '../sim-model';

/** Per-request values the REST middleware sets. */
export interface RestEnv {
  Variables: {
    /** The authenticated user, if a valid token was sent. */
    user: SimUser | undefined;
    /** `X-Gitlab-Event-UUID` for every hook this request fires. */
    eventUuid: string;
    /** Request parameters: query string merged with the JSON or form body. */
    params: RequestParams;
  };
}

export type RestContext = Context<RestEnv>;

/** GitLab merges query string and body parameters; arrays come as JSON arrays or `key[]=`. */
export type RequestParams = ReadonlyMap<string, unknown>;
