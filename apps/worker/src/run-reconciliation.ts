/**
 * @module
 * One reconciliation run (docs/bot-behaviour.md §1.H): lists the open source-git MRs of the
 * configured namespaces and the bot's open dist-git MRs, pairs them, asks core which drift each
 * pair has (`findReconcileDrift`) and queues the event a webhook would have delivered
 * (`reconcileRepairEvent`), within a request budget.
 */
import { createHash } from 'node:crypto';
import {
  distGitProjectPath,
  findMapping,
  findReconcileDrift,
  forkBranchName,
  isForgeError,
  isForkBranchOf,
  lifecycleNoteMarker,
  endsWithMarker,
  parseSourceGitMrMarker,
  RECONCILE_DRIFT_KINDS,
  reconcileRepairEvent,
  requestBudgetVerdict,
  sourceGitCommitOf,
} from '@srcgit/core';
import type {
  CoreLogger,
  DistGitPartner,
  Forge,
  ForgeListedMergeRequest,
  ForgeMergeRequest,
  NamespaceMapping,
  ProjectRef,
  RateLimitReading,
  ReconcileDriftKind,
  ReconcilePair,
  RequestBudget,
  ServiceConfig,
  SourceGitMrEvent,
} from '@srcgit/core';

/** A repair to queue: the event, its deterministic job id and nothing else to decide. */
export interface ReconcileRepair {
  readonly event: SourceGitMrEvent;
  /** Same drift of the same MR state → same id, so overlapping runs queue it once. */
  readonly jobId: string;
}

/** What became of a queued repair. */
export type RepairOutcome = 'queued' | 'duplicate' | 'coalesced';

/** What a run needs. */
export interface ReconciliationDeps {
  /** A forge whose every HTTP answer `meter` sees (a forge of its own: its count is the run's). */
  readonly forge: Forge;
  readonly meter: { requests(): number; rateLimit(): RateLimitReading | null };
  readonly config: Pick<ServiceConfig, 'mappings' | 'forkBranchTemplate'>;
  /** Queues a repair like the webhook server queues an event (same job options, same deduplication id). */
  readonly queueRepair: (repair: ReconcileRepair) => Promise<RepairOutcome>;
  readonly logger: CoreLogger;
  readonly now: () => number;
  /**
   * `<projectId>:<sha>` → the commit's `From-source-git-commit` trailer: commits never change, so
   * a long-lived worker keeps it across runs and steady-state runs read no commit twice.
   */
  readonly trailerCache?: Map<string, string | null>;
}

/** Options of one run. */
export interface ReconciliationOptions {
  readonly budget: RequestBudget;
  /** Report drift only: queue nothing. */
  readonly dryRun: boolean;
}

/** What a run found and did. */
export interface ReconciliationReport {
  /** Open, handled source-git MRs listed. */
  readonly sourceGitMrs: number;
  /** Open dist-git MRs of the bot listed. */
  readonly distGitMrs: number;
  /** Pairs compared (open source-git MRs, and open dist-git MRs whose source-git MR is not). */
  readonly pairsChecked: number;
  readonly drift: Readonly<Record<ReconcileDriftKind, number>>;
  readonly repairs: Readonly<Record<RepairOutcome, number>>;
  /** Requests sent to the forge. */
  readonly requests: number;
  /** Why the run stopped early, or `null` when it went through everything. */
  readonly budgetExhausted: { readonly reason: string; readonly detail: string } | null;
  readonly dryRun: boolean;
}

const TRAILER_CACHE_LIMIT = 100_000;
const PAGE_SIZE = 100;
/** Pairs compared at once: GitLab's latency, not its work, dominates a run of reads. */
const PARALLEL_PAIRS = 8;

class BudgetExhausted extends Error {
  override readonly name = 'BudgetExhausted';
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The state of one run: counters, memoized project reads, the budget check. */
class Run {
  readonly startRequests: number;
  readonly drift = Object.fromEntries(RECONCILE_DRIFT_KINDS.map((kind) => [kind, 0])) as Record<
    ReconcileDriftKind,
    number
  >;
  readonly repairs: Record<RepairOutcome, number> = { queued: 0, duplicate: 0, coalesced: 0 };
  readonly projects = new Map<number, Promise<ProjectRef>>();
  pairsChecked = 0;
  /** Requests {@link Run.spend} allowed so far (each is followed by at least one answer). */
  granted = 0;

  constructor(
    readonly deps: ReconciliationDeps,
    readonly options: ReconciliationOptions,
    readonly trailers: Map<string, string | null>,
  ) {
    this.startRequests = deps.meter.requests();
  }

  requests(): number {
    return this.deps.meter.requests() - this.startRequests;
  }

  /**
   * Throws {@link BudgetExhausted} unless one more request fits the budget; counts it as granted
   * at once, so that requests still in flight in other lanes count too.
   */
  spend(): void {
    const verdict = requestBudgetVerdict(
      Math.max(this.requests(), this.granted),
      this.deps.meter.rateLimit(),
      this.options.budget,
      this.deps.now(),
    );
    if (!verdict.ok) throw new BudgetExhausted(verdict.reason, verdict.detail);
    this.granted += 1;
  }

  project(id: number): Promise<ProjectRef> {
    let found = this.projects.get(id);
    if (found === undefined) {
      this.spend();
      found = this.deps.forge
        .getProject(id)
        .then((project) => ({ id: project.id, path: project.path, webUrl: project.webUrl }));
      this.projects.set(id, found);
    }
    return found;
  }
}

/**
 * Runs one reconciliation. In order:
 * 1. lists the open MRs of every mapping's source-git namespace (group and subgroups), keeping
 *    those a mapping handles;
 * 2. lists the bot's open MRs of every dist-git namespace and indexes them by the source-git MR
 *    their marker names (opened by the bot, marker last, from a fork branch of that MR);
 * 3. compares each open source-git MR with its dist-git MR (its head commit's trailer, its title
 *    and description), looking an unlisted one up by its fork branch;
 * 4. once the source-git listing is complete, reads the source-git MR of every open dist-git MR
 *    not paired with an open one: closed or merged while the bot was away.
 * Pairs are compared 8 at a time (a run is GitLab's latency, not work). A drifted pair gets the
 * event its repair needs (unless `dryRun`). Before every request the budget is checked (requests
 * in flight count): a run that would exceed `maxRequests` (only the adapter's retries of failed
 * requests may add to it) or eat into the rate-limit reserve stops there and says so in its
 * report; the next run starts over.
 *
 * @example
 * const report = await runReconciliation(deps, { budget: { maxRequests: 5000, rateLimitReserve: 200 }, dryRun: false });
 * report.drift.head; // 3
 */
export async function runReconciliation(
  deps: ReconciliationDeps,
  options: ReconciliationOptions,
): Promise<ReconciliationReport> {
  const run = new Run(deps, options, deps.trailerCache ?? new Map<string, string | null>());
  let sourceGit = new Map<string, ForgeListedMergeRequest>();
  let distGit = new Map<string, ForgeMergeRequest>();
  let budgetExhausted: ReconciliationReport['budgetExhausted'] = null;
  try {
    run.spend();
    const bot = await deps.forge.getCurrentUser();
    sourceGit = await listOpenSourceGitMrs(run);
    distGit = await listOpenDistGitMrs(run, bot.username);
    await inParallel([...sourceGit], ([key, mr]) =>
      reconcileOpenSourceGitMr(run, mr, distGit.get(key) ?? null, bot),
    );
    await inParallel(
      [...distGit].filter(([key]) => !sourceGit.has(key)),
      ([, partner]) => reconcileOrphanedDistGitMr(run, partner, bot),
    );
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    budgetExhausted = { reason: error.reason, detail: error.detail };
    deps.logger.warn('reconciliation stopped early: request budget spent', {
      reason: error.reason,
      detail: error.detail,
      requests: run.requests(),
      pairsChecked: run.pairsChecked,
    });
  }
  trimCache(run.trailers);
  return {
    sourceGitMrs: sourceGit.size,
    distGitMrs: distGit.size,
    pairsChecked: run.pairsChecked,
    drift: run.drift,
    repairs: run.repairs,
    requests: run.requests(),
    budgetExhausted,
    dryRun: options.dryRun,
  };
}

const pairKey = (projectId: number, iid: number): string => `${projectId}!${iid}`;

/**
 * Runs `task` for every item, {@link PARALLEL_PAIRS} at a time; the first failure (a spent budget)
 * stops taking new items, lets the running ones end and is rethrown.
 */
async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PAIRS, items.length) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** Step 1: the open MRs a mapping handles, by `<projectId>!<iid>`. */
async function listOpenSourceGitMrs(run: Run): Promise<Map<string, ForgeListedMergeRequest>> {
  const found = new Map<string, ForgeListedMergeRequest>();
  const namespaces = new Set(run.deps.config.mappings.map((mapping) => mapping.sourceGitNamespace));
  for (const namespace of namespaces) {
    for await (const mr of listGroup(run, namespace, undefined)) {
      if (findMapping(run.deps.config, mr.projectPath, mr.targetBranch) === null) continue;
      found.set(pairKey(mr.projectId, mr.iid), mr);
    }
  }
  return found;
}

/** Step 2: the bot's open dist-git MRs, by the source-git MR their marker names (newest wins). */
async function listOpenDistGitMrs(run: Run, botUsername: string): Promise<Map<string, ForgeMergeRequest>> {
  const found = new Map<string, ForgeMergeRequest>();
  const namespaces = new Set(run.deps.config.mappings.map((mapping) => mapping.distGitNamespace));
  for (const namespace of namespaces) {
    for await (const mr of listGroup(run, namespace, botUsername)) {
      const named = parseSourceGitMrMarker(mr.description);
      if (named === null || mr.authorUsername !== botUsername) continue;
      if (!isForkBranchOf(run.deps.config.forkBranchTemplate, mr.sourceBranch, named.iid)) continue;
      const key = pairKey(named.projectId, named.iid);
      const known = found.get(key);
      if (known === undefined || known.iid < mr.iid) found.set(key, mr);
    }
  }
  return found;
}

/** The open MRs of a group and its subgroups, page by page within the budget. */
async function* listGroup(
  run: Run,
  group: string,
  authorUsername: string | undefined,
): AsyncGenerator<ForgeListedMergeRequest> {
  for (let page: number | null = 1; page !== null;) {
    run.spend();
    let listed;
    try {
      listed = await run.deps.forge.listGroupMergeRequests(group, {
        state: 'opened',
        page,
        perPage: PAGE_SIZE,
        ...(authorUsername === undefined ? {} : { authorUsername }),
      });
    } catch (error) {
      if (!isForgeError(error, 'not-found')) throw error;
      run.deps.logger.warn('reconciliation: a configured namespace is not a group the bot can see', {
        namespace: group,
      });
      return;
    }
    yield* listed.mergeRequests;
    page = listed.nextPage;
  }
}

/** Step 3: an open source-git MR and its dist-git MR (listed open, or looked up by fork branch). */
async function reconcileOpenSourceGitMr(
  run: Run,
  mr: ForgeListedMergeRequest,
  openPartner: ForgeMergeRequest | null,
  bot: { username: string; id: number },
): Promise<void> {
  const mapping = findMapping(run.deps.config, mr.projectPath, mr.targetBranch);
  if (mapping === null) return;
  let partner: DistGitPartner;
  if (openPartner !== null) {
    partner = {
      kind: 'found',
      mergeRequest: openPartner,
      syncedSourceGitSha: await syncedSourceGitSha(run, openPartner),
    };
  } else {
    partner = await lookUpPartner(run, mr, mapping, bot.username);
  }
  await judge(run, { sourceGit: mr, distGit: partner, addRunPipelineHint: mapping.addRunPipelineHint }, bot);
}

/**
 * A source-git MR without an open dist-git MR: the bot's MR from its fork branch in the dist-git
 * project named like the source-git project (any state, newest first); with the lifecycle notes
 * when it is closed (was it the bot that closed it?).
 */
async function lookUpPartner(
  run: Run,
  mr: ForgeListedMergeRequest,
  mapping: NamespaceMapping,
  botUsername: string,
): Promise<DistGitPartner> {
  const packageName = mr.projectPath.slice(mr.projectPath.lastIndexOf('/') + 1);
  run.spend();
  let candidates: ForgeMergeRequest[];
  try {
    candidates = await run.deps.forge.findMergeRequests(distGitProjectPath(mapping, packageName), {
      state: 'all',
      sourceBranch: forkBranchName(run.deps.config.forkBranchTemplate, mr.targetBranch, mr.iid),
      authorUsername: botUsername,
    });
  } catch (error) {
    if (!isForgeError(error, 'not-found')) throw error;
    candidates = [];
  }
  const named = candidates
    .filter((candidate) => {
      const marker = parseSourceGitMrMarker(candidate.description);
      return marker?.projectId === mr.projectId && marker.iid === mr.iid;
    })
    .sort((a, b) => b.iid - a.iid);
  const partner = named.find((candidate) => candidate.state === 'opened') ?? named[0];
  if (partner === undefined) return { kind: 'none' };
  if (partner.state !== 'closed') return { kind: 'found', mergeRequest: partner };
  return {
    kind: 'found',
    mergeRequest: partner,
    lifecycleNotes: await lifecycleNotes(run, partner, botUsername),
  };
}

/** Step 4: an open dist-git MR whose source-git MR was not listed open: closed or merged since? */
async function reconcileOrphanedDistGitMr(
  run: Run,
  partner: ForgeMergeRequest,
  bot: { username: string; id: number },
): Promise<void> {
  const named = parseSourceGitMrMarker(partner.description);
  if (named === null) return;
  run.spend();
  let mr: ForgeMergeRequest;
  try {
    mr = await run.deps.forge.getMergeRequest(named.projectId, named.iid);
  } catch (error) {
    if (isForgeError(error, 'not-found', 'permission')) return;
    throw error;
  }
  // Open but not listed: not handled by a mapping, or opened after the listing; not ours now.
  if (mr.state === 'opened' || mr.state === 'locked') return;
  const project = await run.project(mr.projectId);
  const mapping = findMapping(run.deps.config, project.path, mr.targetBranch);
  if (mapping === null) return;
  const distGit: DistGitPartner =
    mr.state === 'merged'
      ? {
          kind: 'found',
          mergeRequest: partner,
          lifecycleNotes: await lifecycleNotes(run, partner, bot.username),
        }
      : { kind: 'found', mergeRequest: partner };
  await judge(
    run,
    {
      sourceGit: { ...mr, projectPath: project.path },
      distGit,
      addRunPipelineHint: mapping.addRunPipelineHint,
    },
    bot,
  );
}

/** The `From-source-git-commit` trailer of the dist-git MR's head commit (cached by sha). */
async function syncedSourceGitSha(run: Run, partner: ForgeMergeRequest): Promise<string | null> {
  if (partner.headSha === null) return null;
  const key = `${partner.projectId}:${partner.headSha}`;
  const cached = run.trailers.get(key);
  if (cached !== undefined) return cached;
  run.spend();
  let synced: string | null;
  try {
    synced = sourceGitCommitOf((await run.deps.forge.getCommit(partner.projectId, partner.headSha)).message);
  } catch (error) {
    if (!isForgeError(error, 'not-found')) throw error;
    synced = null;
  }
  run.trailers.set(key, synced);
  return synced;
}

/** The lifecycle notes the bot wrote on a dist-git MR. */
async function lifecycleNotes(
  run: Run,
  partner: ForgeMergeRequest,
  botUsername: string,
): Promise<Set<'closed' | 'reopened' | 'merged'>> {
  run.spend();
  const notes = await run.deps.forge.listNotes(partner.projectId, partner.iid);
  const mine = notes.filter((note) => note.authorUsername === botUsername && !note.system);
  const events = ['closed', 'reopened', 'merged'] as const;
  return new Set(
    events.filter((event) => mine.some((note) => endsWithMarker(note.body, lifecycleNoteMarker(event)))),
  );
}

/** Counts and logs a pair's drift and, unless this is a dry run, queues its repair. */
async function judge(
  run: Run,
  pair: ReconcilePair & { readonly sourceGit: ForgeListedMergeRequest },
  bot: { username: string; id: number },
): Promise<void> {
  run.pairsChecked += 1;
  const drift = findReconcileDrift(pair);
  if (drift.length === 0) return;
  for (const kind of drift) run.drift[kind] += 1;
  const mr = pair.sourceGit;
  const fields = {
    sourceGitMr: `${mr.projectPath}!${mr.iid}`,
    distGitMr: pair.distGit.kind === 'found' ? pair.distGit.mergeRequest.webUrl : null,
    drift,
    dryRun: run.options.dryRun,
  };
  if (run.options.dryRun) {
    run.deps.logger.info('reconciliation found drift (dry run: nothing queued)', fields);
    return;
  }
  const [project, sourceProject] = await Promise.all([
    run.project(mr.projectId),
    run.project(mr.sourceProjectId),
  ]);
  const event = reconcileRepairEvent(pair, drift, { project, sourceProject }, bot);
  if (event === null) {
    run.deps.logger.info('reconciliation found drift it cannot repair (the MR has no head)', fields);
    return;
  }
  const outcome = await run.deps.queueRepair({ event, jobId: repairJobId(pair, drift) });
  run.repairs[outcome] += 1;
  run.deps.logger.info('reconciliation found drift; repair queued', {
    ...fields,
    repair: event.kind,
    outcome,
  });
}

/**
 * The repair's job id: the MR, the drift and the state of both sides. Overlapping runs that find
 * the same drift queue one job; a drift that outlives its repair (a user error, explained on the
 * MR) is not re-queued until something changes.
 */
function repairJobId(pair: ReconcilePair, drift: readonly ReconcileDriftKind[]): string {
  const mr = pair.sourceGit;
  const partner = pair.distGit.kind === 'found' ? pair.distGit.mergeRequest : null;
  const state = JSON.stringify([
    drift,
    mr.state,
    mr.headSha,
    mr.title,
    mr.description,
    mr.targetBranch,
    partner?.iid,
    partner?.state,
    partner?.headSha,
    partner?.title,
    partner?.description,
  ]);
  return `r-${mr.projectId}-${mr.iid}-${createHash('sha256').update(state).digest('hex').slice(0, 24)}`;
}

/** Keeps the trailer cache bounded (oldest entries first out). */
function trimCache(cache: Map<string, string | null>): void {
  for (const key of cache.keys()) {
    if (cache.size <= TRAILER_CACHE_LIMIT) return;
    cache.delete(key);
  }
}
