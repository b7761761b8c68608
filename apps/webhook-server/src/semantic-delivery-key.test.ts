import { describe, expect, it } from 'vitest';
import { semanticDeliveryKey } from './semantic-delivery-key';

const note = (path: string, projectId: number) => ({
  object_kind: 'note',
  project: { id: projectId, path_with_namespace: path },
  object_attributes: { id: 4242, action: 'create', updated_at: '2026-12-07 20:00:00 UTC' },
});

describe('semanticDeliveryKey', () => {
  it('is the same for the copies of one event (a group hook and a project hook)', () => {
    expect(semanticDeliveryKey('Note Hook', note('src/beer', 7))).toBe(
      semanticDeliveryKey('Note Hook', note('src/beer', 7)),
    );
  });

  it("differs when a delivery names another project's path, so a forged copy cannot claim the genuine event's key", () => {
    // A forger's token is bound to their own path; they cannot send the victim's path.
    expect(semanticDeliveryKey('Note Hook', note('src/stout', 7))).not.toBe(
      semanticDeliveryKey('Note Hook', note('src/beer', 7)),
    );
  });

  it('is null for events without one', () => {
    expect(semanticDeliveryKey('Issue Hook', note('src/beer', 7))).toBeNull();
    expect(semanticDeliveryKey('Note Hook', { project: { path_with_namespace: 'src/beer' } })).toBeNull();
  });
});
