import type { GitStore } from './git-store';
import type { SimState } from './sim-state';
import type { SimUser } from './sim-model';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import type { BackgroundWork } from './background-work';

/** Tunables of a running simulator (see `GitLabSimulatorOptions` for the documented defaults). */
export interface SimSettings {
  /**
   * Total time a fork takes to go scheduled → started → finished; `'manual'`: forks stay
   * `scheduled` until the test completes them.
   */
  readonly forkImportDelayMs: number | 'manual';
  /** `GitLab/<version>` in webhook `User-Agent`. */
  readonly version: string;
  /** Pipelines move pending → running → result by themselves, one step per `stepMs`. */
  readonly pipelineAutoRun: { readonly result: 'success' | 'failed'; readonly stepMs: number } | false;
}

/** Everything the domain operations share: state, repositories, clock, hooks, timers. */
export interface SimContext {
  readonly state: SimState;
  readonly git: GitStore;
  /** Epoch milliseconds of the simulator's clock. */
  readonly now: () => number;
  /** Instance base URL (`http://127.0.0.1:PORT`). */
  readonly baseUrl: string;
  /** Directory holding the bare repositories. */
  readonly storageRoot: string;
  readonly webhooks: WebhookDispatcher;
  readonly background: BackgroundWork;
  readonly settings: SimSettings;
  /** Fork imports waiting for the test to complete them (`forkImportDelayMs: 'manual'`). */
  readonly pendingForkImports: (() => Promise<void>)[];
}

/** Who does something, and which originating request it belongs to (`X-Gitlab-Event-UUID`). */
export interface Actor {
  readonly user: SimUser;
  readonly eventUuid: string;
}
