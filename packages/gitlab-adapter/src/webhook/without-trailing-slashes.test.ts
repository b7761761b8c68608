import { describe, expect, it } from 'vitest';
import { webhookProjectDisagreement } from './webhook-project-disagreement';
import { withoutTrailingSlashes } from './without-trailing-slashes';

describe('withoutTrailingSlashes', () => {
  it('drops the slashes a text ends with, and only those', () => {
    expect(withoutTrailingSlashes('https://gitlab.com/a/b//')).toBe('https://gitlab.com/a/b');
    expect(withoutTrailingSlashes('/a/b')).toBe('/a/b');
    expect(withoutTrailingSlashes('///')).toBe('');
  });

  it(
    'ends at once on a long run of slashes followed by something else (no backtracking)',
    { timeout: 5_000 },
    () => {
      const hostile = `https://gitlab.com/${'/'.repeat(500_000)}x`;
      expect(withoutTrailingSlashes(hostile)).toBe(hostile);
      expect(withoutTrailingSlashes(`${hostile}${'/'.repeat(500_000)}`)).toBe(hostile);
    },
  );

  it('keeps the project agreement check linear on a hostile project URL', { timeout: 5_000 }, () => {
    const payload = {
      project: {
        id: 7,
        path_with_namespace: 'src/beer',
        web_url: `https://gitlab.com/src/beer${'/'.repeat(500_000)}x`,
      },
    };
    expect(webhookProjectDisagreement('Push Hook', payload)?.path).toBe('project.web_url');
  });
});
