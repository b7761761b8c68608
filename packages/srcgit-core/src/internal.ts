/**
 * @module
 * `@srcgit/core/internal`: what srcgit's own apps (the webhook server, the worker, the CLI) share
 * and other tooling should not build on. It is not part of the public API: it changes whenever
 * the apps need it to, without a major release.
 */
export { envInteger, parseEnvSettings } from './config/parse-env-settings';
export { createJsonLogger, REDACTED_LOG_FIELDS } from './logging/create-json-logger';
export type { LogLevel } from './logging/create-json-logger';
export { acquireFileLock, tryAcquireFileLock } from './workspace/file-lock';
export type { FileLock, FileLockOptions } from './workspace/file-lock';
export { renderSyncGaveUpNote } from './templates/source-git-notes';
export { withGitIdentity } from './workflows/with-git-identity';
export {
  createStalenessBoard,
  STALENESS_GAUGES,
  stalenessDetails,
} from './observability/create-staleness-board';
export type {
  StalenessBoard,
  StalenessBoardOptions,
  StalenessGauge,
  StalenessReceiver,
  StalenessRedis,
  StalenessReport,
  StalenessSignal,
} from './observability/create-staleness-board';
export { metricsAccess } from './observability/metrics-access';
export type { MetricsAccess } from './observability/metrics-access';
