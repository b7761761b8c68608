import { EXIT_CODES } from './exit-codes';

/** What a {@link CliError} carries besides its message. */
export interface CliErrorOptions {
  /** The exit code (default {@link EXIT_CODES.badInput}). */
  readonly exitCode?: number;
  /** The stable code of the `--json` error document (default `USAGE`). */
  readonly code?: string;
  /** Structured details of the `--json` error document. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * A failure the CLI reports as one line on stderr (and, with `--json`, as an error document on
 * stdout) with its exit code.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message);
    this.exitCode = options.exitCode ?? EXIT_CODES.badInput;
    this.code = options.code ?? 'USAGE';
    this.details = options.details ?? {};
  }
}
