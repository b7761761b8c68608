/**
 * `pnpm bench`: how fast and how lean srcgit is on real-shaped packages, next to plain
 * `git format-patch` of the same range (bench/package-bench.ts: update-dist-git, status, init,
 * Node's own start-up), then the webhook intake and the MR-opened → dist-git MR path
 * (bench/intake.ts), and the reconciliation's GitLab requests and wall time per 1 000 open MRs
 * (bench/reconcile.ts). Figures, not pass/fail.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchIntake } from './intake';
import { benchReconcile } from './reconcile';
import { benchPackages } from './package-bench';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The environment, read once here: the children get it, and the settings below come from it. */
const inheritedEnv: NodeJS.ProcessEnv = { ...process.env };
/**
 * The built CLI. `SRCGIT_BENCH_CLI` may name another build, e.g. a snapshot made with
 * `pnpm --filter=@srcgit/cli deploy --prod --legacy DIR` (then `DIR/dist/main.js`), so that
 * rebuilds in the working tree cannot disturb a run.
 */
const cli = inheritedEnv.SRCGIT_BENCH_CLI ?? join(root, 'apps/cli/dist/main.js');
/**
 * Another build to compare with, e.g. the last release's `dist/` copied aside: its update-dist-git
 * rows run in the same turns as this build's, each with its paired ratio to git format-patch.
 */
const baselineCli = inheritedEnv.SRCGIT_BENCH_BASELINE_CLI;
/** Turns: every row runs once per turn, and figures are medians over the turns. */
const RUNS = 7;

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`bench: ${cli} is missing; run "pnpm build" first`);
  await mkdir(join(root, '.bench'), { recursive: true });
  const { glibc } = await benchPackages({ root, cli, baselineCli, environment: inheritedEnv, runs: RUNS });
  await benchIntake({
    root,
    repos: { sourceGitDir: glibc.sourceGitDir, distGitDir: glibc.upToDateDistGitDir },
  });
  await benchReconcile({ root });
}

await main();
