/**
 * @module
 * The messages between the worker and a conversion child process (IPC, JSON): one request down,
 * progress and one answer up. Only plain data crosses: the worker strips functions from the
 * converter options, and errors travel as their name, code, message and data.
 */
import { ConverterError } from '@srcgit/dist-git-converter';
import type {
  ConverterErrorCode,
  UpdateDistGitOptions,
  UpdateDistGitProgress,
  UpdateSourceGitOptions,
} from '@srcgit/dist-git-converter';

/** Option keys that hold functions or objects with behaviour: they never cross the boundary. */
type BehaviourKey = 'git' | 'fs' | 'signal' | 'onProgress' | 'checkSyncStatus' | 'now' | 'clock';

/**
 * The plain-data options of a conversion; the conversion's clock crosses as the time it gave when
 * the worker started the conversion (ISO 8601).
 */
export type WireOptions<Options> = Omit<Options, BehaviourKey & keyof Options> & {
  readonly clockIso: string;
};

/** Who makes the conversion's commits (committer, and author unless git is told otherwise). */
export interface WireIdentity {
  readonly name: string;
  readonly email: string;
}

/** The one message the worker sends a child. */
export type ConversionRequest = { readonly type: 'convert'; readonly identity: WireIdentity } & (
  | { readonly kind: 'updateDistGit'; readonly options: WireOptions<UpdateDistGitOptions> }
  | { readonly kind: 'updateSourceGit'; readonly options: WireOptions<UpdateSourceGitOptions> }
);

/** An error as it crosses the boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** A `ConverterError`'s code, or a system error's (`ENOENT`, …). */
  readonly code?: string;
  readonly data?: Record<string, unknown>;
  readonly stack?: string;
}

/** What a child sends back: progress any number of times, then one result or error. */
export type ConversionReply =
  | { readonly type: 'progress'; readonly progress: UpdateDistGitProgress }
  | { readonly type: 'result'; readonly result: unknown }
  | { readonly type: 'error'; readonly error: WireError };

/** Whether `value` is a {@link ConversionRequest} (the child's check of what it was sent). */
export function isConversionRequest(value: unknown): value is ConversionRequest {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Partial<Record<keyof ConversionRequest, unknown>>;
  return (
    message.type === 'convert' &&
    (message.kind === 'updateDistGit' || message.kind === 'updateSourceGit') &&
    typeof message.options === 'object' &&
    message.options !== null &&
    typeof message.identity === 'object' &&
    message.identity !== null
  );
}

/**
 * `error` as plain data: a `ConverterError` keeps its code and data (data that is not JSON is
 * dropped), any other error its name, message and string `code`.
 */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const data = 'data' in error ? plainData(error.data) : undefined;
  return {
    name: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(data === undefined ? {} : { data }),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}

/**
 * The error a {@link WireError} stands for: a `ConverterError` again (so the workflows classify
 * it as before), or an `Error` with the same name, message and `code`.
 */
export function fromWireError(wire: WireError): Error {
  if (wire.name === 'ConverterError' && wire.code !== undefined) {
    return new ConverterError(wire.code as ConverterErrorCode, wire.message, {
      ...(wire.data === undefined ? {} : { data: wire.data }),
    });
  }
  const error: Error & { code?: string } = new Error(wire.message);
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

function plainData(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  try {
    return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
