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
export { loadSourceGitConfig, SOURCE_GIT_CONFIG_PATHS } from './config/load-source-git-config';
export type { LoadSourceGitConfigOptions } from './config/load-source-git-config';
export { parseSourceGitConfig, DEFAULT_PRERELEASE_SUFFIX_PATTERN } from './config/parse-source-git-config';
export type { ParseSourceGitConfigOptions } from './config/parse-source-git-config';
export type {
  ActionCommand,
  FileSyncItem,
  SourceGitActionName,
  SourceGitConfig,
} from './config/source-git-config';
export {
  createGitRunner,
  HARDENED_GIT_CONFIG,
  INHERITED_ENVIRONMENT,
  NEUTRAL_GIT_CONFIG,
  USER_GIT_ENVIRONMENT,
} from './git/git-runner';
export type { CreateGitRunnerOptions, GitResult, GitRunner, GitRunOptions } from './git/git-runner';
export { generatePatchSeries } from './patches/generate-patch-series';
export {
  DEFAULT_CONVERSION_LIMITS,
  resolveConversionLimits,
  type ConversionLimits,
} from './limits/conversion-limits';
export type { GeneratePatchSeriesOptions, PatchSeriesProgress } from './patches/generate-patch-series';
export type { PatchCommit, PatchSeries, PlannedPatch, SkippedCommit } from './patches/patch-series';
export { computePatchIds, isSamePatch } from './patches/compute-patch-ids';
export type { ComputePatchIdsOptions } from './patches/compute-patch-ids';
export { compareSamePatchContent, isSamePatchContent } from './patches/same-patch-content';
export type {
  PatchContentComparison,
  PatchContentPair,
  SamePatchContentOptions,
} from './patches/same-patch-content';
export type { DiffRange } from './patches/compute-diff-patch-ids';
export { formatPatchFileName } from './patches/patch-file-name';
export { parseTrailers } from './patches/parse-trailers';
export type { Trailer } from './patches/parse-trailers';
export { PATCH_METADATA_TOKENS } from './patches/patch-metadata';
export { parseSpec } from './spec/parse-spec';
export { compareRpmVersions, specVersion } from './spec/compare-rpm-versions';
export { renderSpec } from './spec/render-spec';
export type {
  SpecCondition,
  SpecConditionBranch,
  SpecConditionalKeyword,
  SpecDocument,
  SpecEol,
  SpecLine,
  SpecLineKind,
  SpecProblem,
  SpecSection,
  SpecTag,
} from './spec/spec-document';
export { assertValidSpec } from './spec/assert-valid-spec';
export { expandMacros, MACRO_EXPANSION_LIMITS, type ExpandMacrosOptions } from './spec/expand-macros';
export { findPatchEntries } from './spec/find-patch-entries';
export type { SpecPatchEntry } from './spec/find-patch-entries';
export { removePatchEntries } from './spec/remove-patch-entries';
export { addPatchEntry } from './spec/add-patch-entry';
export type { AddPatchEntryOptions, AddPatchEntryResult, NewSpecPatchEntry } from './spec/add-patch-entry';
export { renderPatchComment } from './spec/render-patch-comment';
export { renderDistGitSpec } from './spec/render-dist-git-spec';
export type {
  RenderDistGitSpecInput,
  RenderDistGitSpecResult,
  SpecPatch,
  SpecPatchChange,
} from './spec/spec-patch';
export { readPrep } from './spec/read-prep';
export type { PrepDirective, PrepPatchApplication, PrepReport, PrepUnsupported } from './spec/read-prep';
export { updateSourceGit } from './update-source-git';
export type { BackSyncedCommit, UpdateSourceGitOptions, UpdateSourceGitResult } from './update-source-git';
export type { CreatedSourceGitCommit, SourceGitCommitKind } from './back-sync/apply-commit-plan';
export { updateDistGit } from './update-dist-git';
export { planDistGitUpdate } from './plan-dist-git-update';
export type { PlanDistGitUpdateOptions } from './plan-dist-git-update';
export { applyDistGitUpdate } from './apply-dist-git-update';
export type { ApplyDistGitUpdateOptions } from './apply-dist-git-update';
export type { DistGitUpdate, DistGitWrite } from './dist-git/dist-git-update';
export type {
  SyncStatusCheckContext,
  SyncStatusCheckResult,
  UpdateDistGitOptions,
  UpdateDistGitProgress,
  UpdateDistGitResult,
} from './update-dist-git';
export type {
  UpdateDistGitPlan,
  UpdateDistGitPlanCommit,
  UpdateDistGitPlanFile,
  UpdateDistGitPlanPatch,
} from './dist-git/update-dist-git-plan';
export type { ConverterFs } from './dist-git/converter-fs';
export { syncFiles, syncSourcePaths } from './sync/sync-files';
export type { SyncFilesInput } from './sync/sync-files';
export { readCommitTree } from './git/read-commit-tree';
export type { CommitTree, CommitTreeEntry, ReadCommitTreeOptions } from './git/read-commit-tree';
export type { FileTree, GitFileMode, TreeFile } from './sync/tree-file';
export { initSourceGit } from './init-source-git';
export type { InitPatch, InitSourceGitOptions, InitSourceGitResult, KeptPatch } from './init-source-git';
export { syncStatus } from './sync-status';
export type { SyncStatusOptions } from './sync-status';
export { checkSyncStatus } from './status/check-sync-status';
