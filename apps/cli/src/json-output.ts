import type { CliFailure } from './cli-failure';
import type { CliIo } from './create-program';

/** The version of every JSON document `srcgit --json` prints. Fields are only ever added. */
export const JSON_SCHEMA_VERSION = 1;

/** Prints `value` as a JSON document on stdout, with `schemaVersion` first when it has none. */
export function writeJson(io: CliIo, value: object): void {
  const document = 'schemaVersion' in value ? value : { schemaVersion: JSON_SCHEMA_VERSION, ...value };
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** Prints `failure` as `{ schemaVersion, error: { code, message, details } }` on stdout. */
export function writeJsonError(io: CliIo, failure: CliFailure): void {
  writeJson(io, {
    schemaVersion: JSON_SCHEMA_VERSION,
    error: { code: failure.code, message: failure.message, details: failure.details },
  });
}
