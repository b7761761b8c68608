/**
 * @module
 * What every workflow is given: its side effects, passed in (docs/architecture.md decision 8).
 */
import type { ServiceConfig } from '../config/service-config';
import type { Forge } from '../forge/forge';
import type { PairingCache } from '../pairing/pairing-cache';
import type { GitWorkspace } from '../workspace/git-workspace';
import type { Converter } from './converter';

/** Log lines of the workflows (pino-compatible shape: message first, then fields). */
export interface CoreLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The configuration the workflows read. */
export type WorkflowConfig = Pick<
  ServiceConfig,
  'mappings' | 'git' | 'packageConfigPath' | 'forkBranchTemplate' | 'forkNamespace'
> &
  /** The conversion's size limits; the converter's defaults when absent. */
  Partial<Pick<ServiceConfig, 'limits'>>;

/** The side effects of a workflow. */
export interface WorkflowDeps {
  readonly forge: Forge;
  readonly workspace: GitWorkspace;
  readonly converter: Converter;
  readonly config: WorkflowConfig;
  /** The time of dist-git commits' changelog entries (`sync_changelog: false`). */
  readonly clock: () => Date;
  readonly logger: CoreLogger;
  /** Speeds up pairing lookups; optional, never the record. */
  readonly pairingCache?: PairingCache | undefined;
}

/** Per-run options of a workflow. */
export interface WorkflowOptions {
  /** Compute the conversion plan and what would be written, but write nothing to the forge. */
  readonly dryRun?: boolean;
  /** Cancels git processes of the run. */
  readonly signal?: AbortSignal;
}
