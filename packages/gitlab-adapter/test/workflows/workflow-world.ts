/**
 * The world the workflow tests run in: the GitLab simulator (seeded demo: `src/beer`, its
 * dist-git `rpms/beer`, a contributor fork, the bot), the real GitLab adapter over HTTP, a real
 * git workspace in a temp directory and the real converter. Events come from the simulator's
 * webhook deliveries, parsed by the adapter, exactly as the worker gets them.
 */
import { createConverter, createGitWorkspace, parseServiceConfig } from '@srcgit/core';
import type {
  CoreLogger,
  Forge,
  ServiceConfig,
  SourceGitMrClosed,
  SourceGitMrMerged,
  SourceGitMrOpened,
  SourceGitMrReopened,
  SourceGitMrUpdated,
  WorkflowDeps,
} from '@srcgit/core';
import { createTempDir, seedDemo, startGitLabSimulator, startWebhookReceiver } from '@srcgit/test-fixtures';
import type { DemoWorld, GitLabSimulator, Tree, WebhookReceiver } from '@srcgit/test-fixtures';
import { createGitLabForge, parseGitLabWebhook } from '../../src/index';

/** Any event about a source-git merge request. */
export type SourceGitMrEvent =
  SourceGitMrOpened | SourceGitMrUpdated | SourceGitMrClosed | SourceGitMrReopened | SourceGitMrMerged;

/** A log line recorded by the test logger. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

export interface WorkflowWorld {
  sim: GitLabSimulator;
  demo: DemoWorld;
  forge: Forge;
  config: ServiceConfig;
  deps: WorkflowDeps;
  logs: LogLine[];
  /** The contributor pushes `files` to `branch` of their fork (created from `c10s`). */
  push(branch: string, files: Tree, message: string): Promise<string>;
  /** The contributor opens an MR from `branch` of their fork into `src/beer` `c10s`. */
  openMr(input: { branch: string; title: string; description?: string }): Promise<number>;
  /** The domain events of every Merge Request Hook delivered so far for source-git MR `iid`, oldest first. */
  mrEvents(iid: number): Promise<SourceGitMrEvent[]>;
  /** The newest such event. */
  lastMrEvent(iid: number): Promise<SourceGitMrEvent>;
  close(): Promise<void>;
}

const CLOCK = new Date('2024-02-01T12:00:00Z');

export async function startWorkflowWorld(
  options: { env?: Record<string, string>; forkImportDelayMs?: number | 'manual' } = {},
): Promise<WorkflowWorld> {
  const sim = await startGitLabSimulator({ forkImportDelayMs: options.forkImportDelayMs ?? 50 });
  let receiver: WebhookReceiver | undefined;
  try {
    receiver = await startWebhookReceiver();
    const demo = await seedDemo(sim, { webhookUrl: receiver.url, webhookToken: 'secret' });
    const work = createTempDir('workflow');
    const config = parseServiceConfig({
      GITLAB_URL: sim.url,
      GITLAB_TOKEN: demo.users.bot.token,
      WEBHOOK_SECRET: 'secret',
      SRCGIT_SOURCE_GIT_NAMESPACE: 'src',
      SRCGIT_DIST_GIT_NAMESPACE: 'rpms',
      SRCGIT_BRANCHES: 'c10s|c11s',
      SRCGIT_GIT_AUTHOR_NAME: 'srcgit bot',
      SRCGIT_GIT_AUTHOR_EMAIL: 'srcgit-bot@example.com',
      SRCGIT_WORK_DIR: work.path,
      ...options.env,
    });
    const forge = createGitLabForge({
      url: sim.url,
      token: config.gitlab.token,
      forkPollIntervalMs: 20,
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    const logs: LogLine[] = [];
    const log =
      (level: LogLine['level']) =>
      (message: string, fields?: Record<string, unknown>): void => {
        logs.push({ level, message, fields });
      };
    const logger: CoreLogger = {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
    };
    const deps: WorkflowDeps = {
      forge,
      workspace: createGitWorkspace({ workDir: config.workDir }),
      converter: createConverter(),
      config,
      clock: () => CLOCK,
      logger,
    };
    const { contributor } = demo.users;
    const fork = demo.projects.contributorFork;
    const source = demo.projects.sourceGit;

    const mrEvents = async (iid: number): Promise<SourceGitMrEvent[]> => {
      await sim.settled();
      return sim
        .deliveries({ event: 'Merge Request Hook' })
        .map((delivery) => parseGitLabWebhook({ eventName: delivery.event, body: delivery.payload }))
        .flatMap((result) => (result.kind === 'event' ? [result.event] : []))
        .filter(
          (event): event is SourceGitMrEvent =>
            event.kind.startsWith('source-git-mr-') &&
            (event as SourceGitMrEvent).mergeRequest.project.id === source.id &&
            (event as SourceGitMrEvent).mergeRequest.iid === iid,
        );
    };

    const closeReceiver = receiver;
    return {
      sim,
      demo,
      forge,
      config,
      deps,
      logs,
      push: (branch, files, message) =>
        sim.commitFiles(fork, { branch, files, message, user: contributor, startBranch: demo.branch }),
      async openMr(input) {
        const mr = await sim.createMergeRequest({
          sourceProject: fork,
          targetProject: source,
          sourceBranch: input.branch,
          targetBranch: demo.branch,
          title: input.title,
          description: input.description ?? '',
          author: contributor,
        });
        return mr.iid;
      },
      mrEvents,
      async lastMrEvent(iid) {
        const events = await mrEvents(iid);
        const last = events.at(-1);
        if (last === undefined) throw new Error(`no Merge Request Hook for !${iid}`);
        return last;
      },
      async close() {
        await sim.settled().catch(() => undefined);
        await sim.close();
        await closeReceiver.close();
        await work.remove();
      },
    };
  } catch (error) {
    await receiver?.close();
    await sim.close();
    throw error;
  }
}
