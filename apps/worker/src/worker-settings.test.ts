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
