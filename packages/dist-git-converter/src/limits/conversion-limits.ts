import { ConverterError } from '../converter-error';

/**
 * Size limits of one conversion: a hostile source-git MR can hold any number of commits and
 * blobs of any size, and the converter keeps patches and synced files in memory. Each limit is
 * checked before the data it bounds is read or accumulated.
 */
export interface ConversionLimits {
  /** Commits in the converted range `upstream_ref..HEAD`. */
  readonly maxCommits: number;
  /** Bytes of one generated patch (one `git format-patch` message). */
  readonly maxPatchBytes: number;
  /** Bytes of all generated patches together. */
  readonly maxPatchSeriesBytes: number;
  /** Bytes of one file synced from source-git (`files_to_sync`). */
  readonly maxBlobBytes: number;
  /** Bytes of the spec file. */
  readonly maxSpecBytes: number;
}

/**
 * The defaults: far above a real package (glibc: 127 patches of 783 KB in all, a 4,800-line spec
 * of about 200 KB), far below what exhausts a worker.
 */
export const DEFAULT_CONVERSION_LIMITS: ConversionLimits = {
  maxCommits: 1000,
  maxPatchBytes: 20 * 1024 * 1024,
  maxPatchSeriesBytes: 100 * 1024 * 1024,
  maxBlobBytes: 50 * 1024 * 1024,
  maxSpecBytes: 4 * 1024 * 1024,
};

/** How each limit is raised: the option, the CLI flag, the bot's setting. */
const SETTINGS: Readonly<Record<keyof ConversionLimits, { flag: string; env: string }>> = {
  maxCommits: { flag: '--max-commits', env: 'SRCGIT_MAX_COMMITS' },
  maxPatchBytes: { flag: '--max-patch-bytes', env: 'SRCGIT_MAX_PATCH_BYTES' },
  maxPatchSeriesBytes: { flag: '--max-patch-series-bytes', env: 'SRCGIT_MAX_PATCH_SERIES_BYTES' },
  maxBlobBytes: { flag: '--max-blob-bytes', env: 'SRCGIT_MAX_BLOB_BYTES' },
  maxSpecBytes: { flag: '--max-spec-bytes', env: 'SRCGIT_MAX_SPEC_BYTES' },
};

/**
 * The limits in force: the defaults, overridden by `limits`.
 *
 * @throws ConverterError `CONFIG_INVALID` when a given limit is not a positive whole number.
 */
export function resolveConversionLimits(limits: Partial<ConversionLimits> = {}): ConversionLimits {
  const resolved = { ...DEFAULT_CONVERSION_LIMITS };
  for (const name of Object.keys(SETTINGS) as (keyof ConversionLimits)[]) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ConverterError(
        'CONFIG_INVALID',
        `limits.${name} must be a positive whole number, found ${String(value)}`,
        { data: { limit: name, value } },
      );
    }
    resolved[name] = value;
  }
  return resolved;
}

/**
 * The error for a limit a conversion would exceed: names the limit, its value, what exceeds it
 * and how to raise it.
 *
 * @param what the offender and its size, e.g. `commit 1a2b3c4d5e6f: its patch has more than 20971520 bytes`
 */
export function conversionLimitError(
  name: keyof ConversionLimits,
  value: number,
  what: string,
  data: Record<string, unknown> = {},
): ConverterError {
  const { flag, env } = SETTINGS[name];
  return new ConverterError(
    'LIMIT_EXCEEDED',
    `${what}: over the limit limits.${name} = ${value} (raise it with limits.${name}, CLI: ${flag}, bot: ${env})`,
    { data: { ...data, limit: name, value } },
  );
}
