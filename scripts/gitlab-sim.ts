/**
 * `pnpm gitlab-sim`: starts the GitLab simulator with the demo world (source-git `src/beer`,
 * dist-git `rpms/beer`, a maintainer, a contributor with a fork, the bot user) and runs until
 * Ctrl-C. Options: `--webhook-url URL` (the bot's hooks deliver there), `--webhook-token TOKEN`,
 * `--port N`, `--pipelines success|failed` (pipelines run by themselves to that result).
 */
import { parseArgs } from 'node:util';
import { seedDemo, startGitLabSimulator } from '../test-fixtures/src/index';

const { values } = parseArgs({
  options: {
    'webhook-url': { type: 'string' },
    'webhook-token': { type: 'string' },
    port: { type: 'string' },
    pipelines: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help === true) {
  console.log(
    'Usage: pnpm gitlab-sim [--webhook-url URL] [--webhook-token TOKEN] [--port N] [--pipelines success|failed]',
  );
  process.exit(0);
}
const pipelines = values.pipelines;
if (pipelines !== undefined && pipelines !== 'success' && pipelines !== 'failed') {
  console.error(`--pipelines expects "success" or "failed", got "${pipelines}"`);
  process.exit(2);
}

const sim = await startGitLabSimulator({
  ...(values.port === undefined ? {} : { port: Number(values.port) }),
  ...(pipelines === undefined ? {} : { pipelineAutoRun: { result: pipelines, stepMs: 2000 } }),
});
const world = await seedDemo(sim, {
  ...(values['webhook-url'] === undefined ? {} : { webhookUrl: values['webhook-url'] }),
  ...(values['webhook-token'] === undefined ? {} : { webhookToken: values['webhook-token'] }),
});

const lines = [
  `GitLab simulator running at ${sim.url}  (REST: ${sim.apiUrl})`,
  '',
  'Projects (clone over HTTP with any username and a token as password):',
  ...Object.values(world.projects).map(
    (project) => `  ${project.pathWithNamespace.padEnd(18)} ${project.httpUrlToRepo}`,
  ),
  '',
  'Users and personal access tokens:',
  ...[sim.root, ...Object.values(world.users)].map((user) => `  ${user.username.padEnd(12)} ${user.token}`),
  '',
  values['webhook-url'] === undefined
    ? 'No webhooks (pass --webhook-url to point the bot hooks somewhere).'
    : `Webhooks: src (merge requests, notes) and rpms (pipelines, merge requests, pushes) → ${values['webhook-url']}`,
  `Default branch: ${world.branch}; upstream tag: ${world.upstreamTag}. Ctrl-C stops.`,
];
console.log(lines.join('\n'));

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
