/**
 * `pnpm demo`: the bot's main job on your machine, no GitLab needed. Starts the GitLab simulator
 * with the demo world, a private Redis, and the real webhook server and worker processes; a
 * contributor opens a source-git merge request; prints the dist-git MR the bot opened, its patch
 * files and the notes. Cleans up after itself (also on Ctrl-C).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createTempDir,
  freePort,
  runGit,
  seedDemo,
  startGitLabSimulator,
  startRedisServer,
} from '../test-fixtures/src/index';

const WEBHOOK_SECRET = 'demo-webhook-secret';
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
const logs: string[] = [];
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => child.once('exit', () => resolve())),
      ),
    );
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  })();
  return cleaning;
}
process.once('SIGINT', () => {
  process.stdout.write('\nInterrupted: cleaning up…\n');
  void cleanUp().then(() => process.exit(130));
});

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function startApp(
  app: 'webhook-server' | 'worker',
  env: Record<string, string>,
  ready: string,
): Promise<void> {
  const binary = fileURLToPath(new URL(`../apps/${app}/dist/main.js`, import.meta.url));
  const child = spawn(process.execPath, [binary], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter((text) => text !== '')) {
        logs.push(`${app}: ${line}`);
        if (line.includes(`"msg":"${ready}"`)) resolve();
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => logs.push(`${app}: ${chunk}`));
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code}:\n${logs.join('\n')}`)));
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  say('Starting a private Redis and the GitLab simulator with the demo world…');
  const redis = await startRedisServer();
  cleanups.push(() => redis.stop());
  const port = await freePort();
  const sim = await startGitLabSimulator({ forkImportDelayMs: 200 });
  cleanups.push(() => sim.close());
  const world = await seedDemo(sim, {
    webhookUrl: `http://127.0.0.1:${port}/api/webhooks/gitlab`,
    webhookToken: WEBHOOK_SECRET,
  });
  const work = createTempDir('demo');
  cleanups.push(() => work.remove());
  say(
    `  GitLab simulator: ${sim.url}  (source-git ${world.projects.sourceGit.webUrl}, dist-git ${world.projects.distGit.webUrl})`,
  );

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? work.path,
    GITLAB_URL: sim.url,
    GITLAB_TOKEN: world.users.bot.token,
    SRCGIT_BOT_USERNAME: world.users.bot.username,
    WEBHOOK_SECRET,
    REDIS_URL: redis.url,
    SRCGIT_HOST: '127.0.0.1',
    SRCGIT_PORT: String(port),
    SRCGIT_SOURCE_GIT_NAMESPACE: 'src',
    SRCGIT_DIST_GIT_NAMESPACE: 'rpms',
    SRCGIT_GIT_AUTHOR_NAME: 'srcgit bot',
    SRCGIT_GIT_AUTHOR_EMAIL: world.users.bot.email,
    SRCGIT_WORK_DIR: work.path,
    SRCGIT_METRICS_PORT: '0',
    SRCGIT_METRICS_HOST: '127.0.0.1',
    SRCGIT_FORK_POLL_INTERVAL_MS: '100',
  };
  say('Starting the webhook server and the worker…');
  await Promise.all([
    startApp('webhook-server', env, 'listening'),
    startApp('worker', env, 'worker started'),
  ]);
  say(`  webhook server: http://127.0.0.1:${port}/api/webhooks/gitlab`);

  say('\nThe contributor pushes a fix to their fork and opens a merge request on src/beer…');
  const { contributorFork, sourceGit, distGit } = world.projects;
  await sim.commitFiles(contributorFork, {
    branch: 'stronger-lager',
    startBranch: world.branch,
    files: {
      'beer.c':
        '#include <stdio.h>\n#include <string.h>\n\nint main(int argc, char **argv) {\n  if (argc > 1 && strcmp(argv[1], "--strong") == 0) puts("a pint of stout");\n  else puts("a pint of pale ale");\n  return 0;\n}\n',
    },
    message: 'Pour pale ale by default\n\nLager is out of stock.',
    user: world.users.contributor,
  });
  const sg = await sim.createMergeRequest({
    sourceProject: contributorFork,
    targetProject: sourceGit,
    sourceBranch: 'stronger-lager',
    targetBranch: world.branch,
    title: 'Pour pale ale by default',
    description: 'Lager is out of stock.\n\nBugzilla: 2024001',
    author: world.users.contributor,
  });
  say(`  source-git MR: ${sourceGit.webUrl}/-/merge_requests/${sg.iid}`);

  const note = await waitFor('the bot', () =>
    sim.notes(sourceGit, sg.iid).find((candidate) => candidate.body.startsWith('[Dist-git MR #')),
  );
  await sim.settled();
  const [dg] = sim.mergeRequests({ project: distGit });
  if (dg === undefined) throw new Error(`the bot left a note but no dist-git MR:\n${logs.join('\n')}`);
  const fork = sim.project(dg.sourceProjectId);

  say(`\n=== The dist-git MR the bot opened: ${distGit.webUrl}/-/merge_requests/${dg.iid}`);
  say(
    `from ${world.users.bot.username}/${fork.path}:${dg.sourceBranch} into ${distGit.pathWithNamespace}:${dg.targetBranch}`,
  );
  say(`title: ${dg.title}\n\n${dg.description}`);

  const repo = { cwd: sim.repositoryPath(fork) };
  const ref = `refs/heads/${dg.sourceBranch}`;
  say(`\n=== Its commit\n${await runGit(['log', '-1', '--format=%an <%ae>%n%n%B', ref], repo)}`);
  const changed = (await runGit(['diff', '--name-only', `${ref}~1`, ref], repo)).split('\n').filter(Boolean);
  say(`=== Files changed: ${changed.join(', ')}`);
  for (const file of changed.filter((name) => name.endsWith('.patch'))) {
    say(`\n=== ${file}\n${await runGit(['show', `${ref}:${file}`], repo)}`);
  }
  const spec = changed.find((name) => name.endsWith('.spec'));
  if (spec !== undefined)
    say(`=== ${spec} (diff)\n${await runGit(['diff', `${ref}~1`, ref, '--', spec], repo)}`);

  say(`=== The bot's note on the source-git MR\n${note.body}`);
  const dgNotes = sim.notes(distGit, dg.iid).filter((candidate) => !candidate.system);
  say(
    `=== Notes on the dist-git MR: ${dgNotes.length === 0 ? 'none' : dgNotes.map((n) => n.body).join('\n---\n')}`,
  );
  say('\nDone. Cleaning up.');
}

try {
  await main();
  await cleanUp();
  process.exit(0);
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanUp();
  process.exit(1);
}
