import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/** A failure as the CLI reports it: exit code, stable code, one-line message, structured details. */
export interface CliFailure {
  readonly exitCode: number;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The shape the converter's and the core's errors share (and their subclasses', such as the
 * GitLab adapter's): a literal `code` and structured `data`. Node's own errors have a `code` but
 * no `data`.
 */
interface CodedError extends Error {
  readonly code: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Codes that mean GitLab (or the git transport to it) failed, not the input. */
const FORGE_CODES: ReadonlySet<string> = new Set(['FORGE_FAILED', 'GIT_TRANSPORT_FAILED']);

function isCodedError(error: unknown): error is CodedError {
  const { code, data } = (error ?? {}) as { code?: unknown; data?: unknown };
  return error instanceof Error && typeof code === 'string' && typeof data === 'object' && data !== null;
}

/**
 * What the CLI reports for `error`: its own {@link CliError}s as they are; the converter's and
 * the core's errors (by their shape, so that a conversion never loads the bot stack) with their
 * code and data, GitLab's as exit 3; anything else is an internal error with its stack.
 */
export function toCliFailure(error: unknown): CliFailure {
  if (error instanceof CliError) {
    return { exitCode: error.exitCode, code: error.code, message: error.message, details: error.details };
  }
  if (isCodedError(error)) {
    const forge = FORGE_CODES.has(error.code);
    return {
      exitCode: forge ? EXIT_CODES.forgeError : EXIT_CODES.badInput,
      code: error.code,
      message: forge ? `GitLab: ${error.message}` : error.message,
      details: error.data,
    };
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    exitCode: EXIT_CODES.internalError,
    code: 'INTERNAL',
    message: `unexpected failure, please report it with this output:\n${detail}`,
    details: {},
  };
}
