/**
 * Helpers for the tests of the dist-git event and comment command workflows, on top of the
 * workflow world: a paired source-git/dist-git MR, webhooks on the bot's fork, and the domain
 * events of the deliveries so far.
 */
import { syncSourceGitMergeRequest } from '@srcgit/core';
import type {
  CommentCommandIssued,
  DistGitMrPipelineChanged,
  DistGitPushed,
  DomainEvent,
  EventWorkflowDeps,
} from '@srcgit/core';
import { startWebhookReceiver } from '@srcgit/test-fixtures';
import type { WebhookReceiver } from '@srcgit/test-fixtures';
import { parseGitLabWebhook } from '../../src/index';
import type { WorkflowWorld } from './workflow-world';

export const STRONGER = {
  'beer.c':
    '#include <stdio.h>\n#include <string.h>\n\nint main(int argc, char **argv) {\n  if (argc > 1 && strcmp(argv[1], "--strong") == 0) puts("a pint of imperial stout");\n  else puts("a pint of lager");\n  return 0;\n}\n',
};

/** The event workflows' dependencies in a workflow world. */
export function eventDeps(world: WorkflowWorld): EventWorkflowDeps {
  return { ...world.deps, config: world.config };
}

/** Every domain event of the deliveries of `eventName` so far, oldest first. */
export async function deliveredEvents(world: WorkflowWorld, eventName: string): Promise<DomainEvent[]> {
  await world.sim.settled();
  return world.sim
    .deliveries({ event: eventName })
    .map((delivery) => parseGitLabWebhook({ eventName: delivery.event, body: delivery.payload }))
    .flatMap((result) => (result.kind === 'event' ? [result.event] : []));
}

export async function pipelineEvents(world: WorkflowWorld): Promise<DistGitMrPipelineChanged[]> {
  return (await deliveredEvents(world, 'Pipeline Hook')).filter(
    (event): event is DistGitMrPipelineChanged => event.kind === 'dist-git-mr-pipeline-changed',
  );
}

export async function pushEvents(world: WorkflowWorld): Promise<DistGitPushed[]> {
  return (await deliveredEvents(world, 'Push Hook')).filter(
    (event): event is DistGitPushed => event.kind === 'dist-git-pushed',
  );
}

export async function commentEvents(world: WorkflowWorld): Promise<CommentCommandIssued[]> {
  return (await deliveredEvents(world, 'Note Hook')).filter(
    (event): event is CommentCommandIssued => event.kind === 'comment-command-issued',
  );
}

/** A source-git MR synced into its dist-git MR, with pipeline hooks on the bot's fork. */
export interface PairedMergeRequests {
  readonly sgIid: number;
  readonly sgHead: string;
  readonly dgIid: number;
  readonly forkId: number;
  readonly receiver: WebhookReceiver;
}

/**
 * The contributor opens a source-git MR, the bot syncs it; the operator adds the pipeline hook to
 * the bot's dist-git fork (docs/bot-behaviour.md §2.5.1) so that its detached pipelines are reported.
 */
export async function openPairedMergeRequests(world: WorkflowWorld): Promise<PairedMergeRequests> {
  await world.push('stronger', STRONGER, 'Make the strong beer stronger');
  const sgIid = await world.openMr({ branch: 'stronger', title: 'Stronger stout' });
  const outcome = await syncSourceGitMergeRequest(await world.lastMrEvent(sgIid), world.deps);
  if (outcome.distGitMr === null) throw new Error(`no dist-git MR: ${outcome.summary}`);
  const fork = world.sim.project(`${world.demo.users.bot.username}/beer`);
  const receiver = await startWebhookReceiver();
  world.sim.addWebhook({ project: fork.id, url: receiver.url, token: 'secret', events: ['pipeline'] });
  return {
    sgIid,
    sgHead: world.sim.mergeRequest(world.demo.projects.sourceGit, sgIid).sha,
    dgIid: outcome.distGitMr.iid,
    forkId: fork.id,
    receiver,
  };
}
