/**
 * `pnpm bench`, the reconciliation's cost (registered in bench/run.ts): GitLab requests and wall
 * time of one reconciliation run over 1 000 open MR pairs against the GitLab simulator. The
 * measuring script lives in the worker's package, whose run it calls
 * (apps/worker/bench/reconcile-cost.ts); it runs here as a child process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ReconcileBenchOptions {
  /** The repository root. */
  readonly root: string;
}

/** Runs apps/worker/bench/reconcile-cost.ts, its output going to this process's. */
export async function benchReconcile(options: ReconcileBenchOptions): Promise<void> {
  const script = join(options.root, 'apps', 'worker', 'bench', 'reconcile-cost.ts');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, options.root], {
      cwd: options.root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`bench: ${script} failed (exit ${String(code)})`);
}
