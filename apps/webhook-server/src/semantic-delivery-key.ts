/**
 * @module
 * A key that is the same for the copies of one GitLab event that different hooks deliver (a
 * project hook and a group hook both configured).
 */
import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;

const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/**
 * The semantic key of a delivery, or `null` when the event has none:
 * - merge request: target project id, iid, action, head commit, `updated_at` and the changed
 *   fields (so two edits within the same second stay distinct);
 * - pipeline: pipeline id and status;
 * - push: project id, ref and the new head;
 * - note: note id, action and `updated_at`.
 *
 * Every key also holds `project.path_with_namespace`, the path the delivery's token was bound to:
 * the copies of one event carry the same path, but a delivery forged with another project's ids
 * under the forger's own path can never claim the key of the genuine event and make the server
 * answer it as a duplicate.
 *
 * The key is a sha256, so it is safe to use in Redis key names.
 */
export function semanticDeliveryKey(eventName: string, body: unknown): string | null {
  const root = object(body);
  const attributes = object(root['object_attributes']);
  const project = object(root['project']);
  let parts: unknown[];
  switch (eventName) {
    case 'Merge Request Hook':
      parts = [
        'mr',
        attributes['target_project_id'] ?? project['id'],
        attributes['iid'],
        attributes['action'],
        object(attributes['last_commit'])['id'],
        attributes['updated_at'],
        Object.keys(object(root['changes'])).sort(),
        root['changes'],
      ];
      break;
    case 'Pipeline Hook':
      parts = ['pipeline', attributes['id'], attributes['status']];
      break;
    case 'Push Hook':
      parts = ['push', root['project_id'] ?? project['id'], root['ref'], root['after']];
      break;
    case 'Note Hook':
      parts = ['note', attributes['id'], attributes['action'] ?? null, attributes['updated_at']];
      break;
    default:
      return null;
  }
  if (parts[1] === undefined || parts[1] === null) return null;
  const boundPath = project['path_with_namespace'] ?? null;
  return createHash('sha256')
    .update(JSON.stringify([...parts, boundPath]))
    .digest('hex');
}
