import type { RestContext } from './rest-env';
import { intParam } from './request-params';

/**
 * GitLab's offset pagination: `page` (default 1) and `per_page` (default 20, at most 100), with
 * `X-Page`, `X-Per-Page`, `X-Next-Page`, `X-Prev-Page`, `X-Total`, `X-Total-Pages` and a `Link`
 * header (`first`, `last`, and `prev`/`next` when they exist) built from the request URL.
 */
export function paginate<T>(c: RestContext, items: readonly T[]): T[] {
  const params = c.get('params');
  const perPage = Math.min(Math.max(intParam(params, 'per_page') ?? 20, 1), 100);
  const page = Math.max(intParam(params, 'page') ?? 1, 1);
  const total = items.length;
  const totalPages = Math.max(Math.ceil(total / perPage), 1);
  const url = new URL(c.req.url);
  const link = (target: number): string => {
    const copy = new URL(url);
    copy.searchParams.set('page', String(target));
    copy.searchParams.set('per_page', String(perPage));
    return copy.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${link(Math.min(page - 1, totalPages))}>; rel="prev"`);
  if (page < totalPages) links.push(`<${link(page + 1)}>; rel="next"`);
  links.push(`<${link(1)}>; rel="first"`, `<${link(totalPages)}>; rel="last"`);
  c.header('Link', links.join(', '));
  c.header('X-Page', String(page));
  c.header('X-Per-Page', String(perPage));
  c.header('X-Next-Page', page < totalPages ? String(page + 1) : '');
  c.header('X-Prev-Page', page > 1 ? String(page - 1) : '');
  c.header('X-Total', String(total));
  c.header('X-Total-Pages', String(totalPages));
  return items.slice((page - 1) * perPage, page * perPage);
}
