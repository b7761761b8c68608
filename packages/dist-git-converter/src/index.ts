/**
 * @module
 * `@srcgit/dist-git-converter`: conversions between an RPM package's source-git repository
 * (upstream history, downstream commits, packaging in `.distro/`) and its dist-git repository
 * (spec file, patch files, `sources`).
 */
export { ConverterError, isConverterError } from './converter-error';
export type { ConverterErrorCode } from './converter-error';
export { syncStatusFromTrailers } from './status/sync-status-from-trailers';
export type { SyncStatusFromTrailersOptions } from './status/sync-status-from-trailers';
export { formatSyncStatus } from './status/format-sync-status';
export type { FormatSyncStatusOptions } from './status/format-sync-status';
export { STATUS_COMMIT_LIMIT } from './status/sync-status-report';
export type {
  StatusCommit,
  SyncConfirmation,
  SyncPoint,
  SyncSide,
  SyncState,
  SyncStatusReport,
} from './status/sync-status-report';
export { FROM_DIST_GIT_COMMIT, FROM_SOURCE_GIT_COMMIT } from './status/sync-trailers';
