/**
 * How `pnpm bench` measures a command: as a child process under `/usr/bin/time` (Debian `time`),
 * for its wall time (measured here), its CPU time (user + system of the process and every child
 * it waited for) and its peak RSS (the largest single process of the tree, `ru_maxrss`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { converterGitEnv } from '../test-fixtures/src/index';

export interface Measurement {
  readonly seconds: number;
  /** User + system CPU time of the process and its children (comparable on a busy machine). */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` under `/usr/bin/time` in `cwd` with `environment` plus the fixed git identity and dates. */
export async function measure(
  command: string,
  args: readonly string[],
  cwd: string,
  environment: NodeJS.ProcessEnv,
): Promise<Measurement> {
  const scratch = await mkdtemp(join(tmpdir(), 'srcgit-bench-time-'));
  const report = join(scratch, 'time');
  const started = performance.now();
  const result = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', report, command, ...args], {
      cwd,
      env: { ...environment, ...converterGitEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ exitCode: code ?? -1, stdout, stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  const [maxRssKb = 0, user = 0, system = 0] = (
    (await readFile(report, 'utf8')).trim().split('\n').pop() ?? ''
  )
    .split(' ')
    .map(Number);
  await rm(scratch, { recursive: true, force: true });
  return { seconds, cpuSeconds: user + system, maxRssMb: maxRssKb / 1024, ...result };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * The median over turns of `ours[i] / theirs[i]` (wall and CPU): two rows measured in the same
 * turns, so that a machine whose load drifts affects both sides of each ratio alike.
 */
export function pairedRatios(
  ours: readonly Measurement[],
  theirs: readonly Measurement[],
): { wall: number; cpu: number } {
  const ratio = (pick: (m: Measurement) => number) =>
    median(
      ours.map((measured, turn) => {
        const other = theirs[turn];
        return other === undefined ? Number.NaN : pick(measured) / Math.max(pick(other), 0.005);
      }),
    );
  return { wall: ratio((m) => m.seconds), cpu: ratio((m) => m.cpuSeconds) };
}
