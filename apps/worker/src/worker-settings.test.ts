import { describe, expect, it } from 'vitest';
import { conversionTimeoutMs, parseWorkerSettings } from './worker-settings';

describe('the conversion limits', () => {
  it('default to a 1024 MB memory cap and 4/5 of the job timeout', () => {
    const settings = parseWorkerSettings({});
    expect(settings.conversionMaxRssMb).toBe(1024);
    expect(conversionTimeoutMs(settings, 900_000)).toBe(720_000);
  });

  it('take SRCGIT_CONVERSION_MAX_RSS_MB and SRCGIT_CONVERSION_TIMEOUT_MS, the time at most 4/5 of the job timeout', () => {
    const settings = parseWorkerSettings({
      SRCGIT_CONVERSION_MAX_RSS_MB: '256',
      SRCGIT_CONVERSION_TIMEOUT_MS: '60000',
    });
    expect(settings.conversionMaxRssMb).toBe(256);
    expect(conversionTimeoutMs(settings, 900_000)).toBe(60_000);
    expect(conversionTimeoutMs(settings, 10_000)).toBe(8_000);
  });

  it('refuse a memory cap too small to start a conversion, naming the variable', () => {
    expect(() => parseWorkerSettings({ SRCGIT_CONVERSION_MAX_RSS_MB: '16' })).toThrow(
      /SRCGIT_CONVERSION_MAX_RSS_MB/,
    );
  });
});

describe('the reconciliation settings', () => {
  it('default to a run every 30 minutes that repairs, within 5 000 requests and a reserve of 200', () => {
    expect(parseWorkerSettings({}).reconcile).toEqual({
      intervalSeconds: 1800,
      dryRun: false,
      maxRequests: 5000,
      rateLimitReserve: 200,
    });
  });

  it('take SRCGIT_RECONCILE_* (0 turns it off) and name a wrong one', () => {
    const settings = parseWorkerSettings({
      SRCGIT_RECONCILE_INTERVAL_SECONDS: '0',
      SRCGIT_RECONCILE_DRY_RUN: 'yes',
      SRCGIT_RECONCILE_MAX_REQUESTS: '300',
      SRCGIT_RECONCILE_RATE_LIMIT_RESERVE: '50',
    });
    expect(settings.reconcile).toEqual({
      intervalSeconds: 0,
      dryRun: true,
      maxRequests: 300,
      rateLimitReserve: 50,
    });
    expect(() => parseWorkerSettings({ SRCGIT_RECONCILE_DRY_RUN: 'maybe' })).toThrow(
      /SRCGIT_RECONCILE_DRY_RUN: expected true or false/,
    );
  });
});
