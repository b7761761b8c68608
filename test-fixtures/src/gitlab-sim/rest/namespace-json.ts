import type { SimContext } from '../sim-context';
import type { SimNamespace } from '../sim-model';

export function namespaceWebUrl(ctx: SimContext, namespace: SimNamespace): string {
  const fullPath = ctx.state.namespaceFullPath(namespace);
  return namespace.kind === 'user' ? `${ctx.baseUrl}/${fullPath}` : `${ctx.baseUrl}/groups/${fullPath}`;
}

/** A namespace as embedded in projects. */
export function namespaceJson(ctx: SimContext, namespace: SimNamespace): Record<string, unknown> {
  return {
    id: namespace.id,
    name: namespace.name,
    path: namespace.path,
    kind: namespace.kind,
    full_path: ctx.state.namespaceFullPath(namespace),
    parent_id: namespace.parentId,
    avatar_url:
      namespace.kind === 'user'
        ? `https://www.gravatar.com/avatar/${(namespace.ownerId ?? 0).toString(16).padStart(32, '0')}?s=80&d=identicon`
        : `/uploads/-/system/group/avatar/${namespace.id}/avatar.png`,
    web_url: namespaceWebUrl(ctx, namespace),
  };
}
