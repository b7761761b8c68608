import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access';

const TOKEN = 'metrics-token-0123456789';

describe('metricsAccess', () => {
  it('serves nobody on the public port without a configured token (404 naming both settings)', () => {
    const access = metricsAccess({
      authorization: `Bearer ${TOKEN}`,
      token: undefined,
      dedicatedListener: false,
    });
    expect(access).toEqual({
      allowed: false,
      status: 404,
      message: expect.stringContaining('SRCGIT_METRICS_PORT') as unknown,
    });
    expect(access.allowed || access.message).toContain('METRICS_TOKEN');
  });

  it('serves everyone on the metrics listener when no token is configured', () => {
    expect(metricsAccess({ authorization: undefined, token: undefined, dedicatedListener: true })).toEqual({
      allowed: true,
    });
  });

  it.each([false, true])(
    'needs the bearer token once one is configured (metrics listener: %s)',
    (dedicatedListener) => {
      const ask = (authorization: string | undefined) =>
        metricsAccess({ authorization, token: TOKEN, dedicatedListener });
      expect(ask(`Bearer ${TOKEN}`)).toEqual({ allowed: true });
      expect(ask(`bearer   ${TOKEN} `)).toEqual({ allowed: true });
      for (const wrong of [
        undefined,
        '',
        TOKEN,
        `Basic ${TOKEN}`,
        `Bearer ${TOKEN}x`,
        `Bearer ${TOKEN.slice(1)}`,
        'Bearer ',
      ]) {
        expect(ask(wrong)).toMatchObject({ allowed: false, status: 401 });
      }
    },
  );
});
