/**
 * @module
 * How the worker should treat an error a workflow threw (docs/bot-behaviour.md §1.A error handling).
 */
import { isConverterError } from '@srcgit/dist-git-converter';
import type { ConverterError, ConverterErrorCode } from '@srcgit/dist-git-converter';
import { CoreError } from '../core-error';
import { ForgeError } from '../forge/forge-error';

/**
 * Converter failures the contributor (or packager) can fix in the source-git MR: the workflows
 * turn them into a `user-error` outcome with a note, never a retry.
 */
export const USER_ACTIONABLE_CONVERTER_CODES: ReadonlySet<ConverterErrorCode> = new Set<ConverterErrorCode>([
  'CONFIG_INVALID',
  'CONFIG_MISSING',
  'SPEC_INVALID',
  'UPSTREAM_REF_UNKNOWN',
  'PATCH_NAME_INVALID',
  'PATCH_NAME_CONFLICT',
  'PATCH_METADATA_INVALID',
  'PATCH_ID_TOO_LOW',
  'PATCH_APPLY_FAILED',
  'NOTHING_TO_COMMIT',
  'OUT_OF_SYNC',
  'UNSUPPORTED_CHANGE',
  'RANGE_INVALID',
  'LIMIT_EXCEEDED',
]);

/**
 * Whether `error` is a conversion failure the contributor can fix: a converter failure with a
 * code of {@link USER_ACTIONABLE_CONVERTER_CODES}, or a conversion stopped at its time or memory
 * limit (`CONVERSION_KILLED`).
 */
export function isUserActionableError(error: unknown): error is ConverterError | CoreError {
  if (error instanceof CoreError) return error.code === 'CONVERSION_KILLED';
  return isConverterError(error) && USER_ACTIONABLE_CONVERTER_CODES.has(error.code);
}

/**
 * `transient`: retry the job with backoff (rate limits, server errors, network, git transport);
 * `permanent`: retrying will not help (a bug, a permission the bot lacks, unexpected data) — fail
 * the job and alert; `user`: a contributor-fixable problem (normally already returned as a
 * `user-error` outcome rather than thrown).
 */
export function classifyWorkflowError(error: unknown): 'transient' | 'permanent' | 'user' {
  if (error instanceof ForgeError) return error.kind === 'transient' ? 'transient' : 'permanent';
  if (error instanceof CoreError && error.code === 'GIT_TRANSPORT_FAILED') return 'transient';
  if (isUserActionableError(error)) return 'user';
  return 'permanent';
}
