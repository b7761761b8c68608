import { DEFAULT_CONVERSION_LIMITS, type ConversionLimits } from '@srcgit/dist-git-converter';
import { InvalidArgumentError, type Command } from 'commander';

/** The CLI flag of each conversion limit. */
const LIMIT_FLAGS: readonly (readonly [keyof ConversionLimits, string, string])[] = [
  ['maxCommits', '--max-commits <n>', 'most commits in the converted range'],
  ['maxPatchBytes', '--max-patch-bytes <n>', 'most bytes of one generated patch'],
  ['maxPatchSeriesBytes', '--max-patch-series-bytes <n>', 'most bytes of all generated patches'],
  ['maxBlobBytes', '--max-blob-bytes <n>', 'most bytes of one file synced from source-git'],
  ['maxSpecBytes', '--max-spec-bytes <n>', 'most bytes of the spec file'],
];

/** The conversion limit flags as commander gives them. */
export type LimitFlags = Partial<ConversionLimits>;

/** Adds `--max-commits`, `--max-patch-bytes`, … (each a positive whole number, with its default). */
export function addLimitOptions(command: Command): Command {
  for (const [name, flag, description] of LIMIT_FLAGS) {
    command.option(flag, `${description} (default ${DEFAULT_CONVERSION_LIMITS[name]})`, parsePositive);
  }
  return command;
}

/** The limits given on the command line, for `updateDistGit`/`syncStatus`'s `limits`. */
export function limitsFromFlags(flags: LimitFlags): Partial<ConversionLimits> {
  const limits: Partial<Record<keyof ConversionLimits, number>> = {};
  for (const [name] of LIMIT_FLAGS) {
    const value = flags[name];
    if (value !== undefined) limits[name] = value;
  }
  return limits;
}

function parsePositive(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected a positive whole number, found "${value}"`);
  }
  return Number(value);
}
