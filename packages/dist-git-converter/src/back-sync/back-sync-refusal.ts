import { ConverterError, type ConverterErrorCode } from '../converter-error';
import type { CommitInfo } from './list-commits';

/**
 * The error of a dist-git commit that cannot be brought into source-git safely: names the commit,
 * the file and the reason, and says that nothing was changed.
 */
export function backSyncRefusal(
  code: ConverterErrorCode,
  commit: CommitInfo,
  file: string,
  reason: string,
): ConverterError {
  return new ConverterError(
    code,
    `Cannot bring dist-git commit ${commit.sha} ("${commit.subject}") into source-git: ${file}: ${reason}. Nothing was changed.`,
    { data: { commit: commit.sha, file, reason } },
  );
}
