/**
 * @module
 * The worker's converter: each conversion in its own child process, killed with the git
 * processes it started at a time limit, at a memory cap, or when the job is aborted.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { CoreError } from '@srcgit/core';
import type { Converter, CoreLogger, GitIdentity } from '@srcgit/core';
import type {
  UpdateDistGitOptions,
  UpdateDistGitProgress,
  UpdateDistGitResult,
  UpdateSourceGitOptions,
  UpdateSourceGitResult,
} from '@srcgit/dist-git-converter';
import { conversionChildEnv } from './conversion-child-env';
import { fromWireError } from './conversion-protocol';
import type { ConversionReply, ConversionRequest, WireOptions } from './conversion-protocol';
import { readProcessGroup } from './read-process-group';

/** Options of {@link createIsolatedConverter}. */
export interface IsolatedConverterOptions {
  /** The child's entry file: `dist/conversion-child.js` next to the worker's `main.js`. */
  readonly childEntry: string;
  /** Node options placed before the entry (e.g. `['--import', 'tsx']` to run the TypeScript entry). */
  readonly execArgv?: readonly string[];
  /** The worker's environment; the child gets only its allow-listed part (no secrets). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Who makes the conversions' commits (the bot). */
  readonly identity: GitIdentity;
  /** Memory cap of one conversion (the child and its git processes), in MiB (`SRCGIT_CONVERSION_MAX_RSS_MB`). */
  readonly maxRssMb: number;
  /** Time limit of one conversion, in ms (`SRCGIT_CONVERSION_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  readonly logger: CoreLogger;
  /** How often the memory is measured. Default 200 ms. */
  readonly rssIntervalMs?: number;
}

/** Why a conversion child was killed. */
type KillReason = 'memory' | 'time' | 'abort';

/** What one conversion child ended with. */
type ChildEnd =
  | { readonly kind: 'reply'; readonly reply: ConversionReply & { type: 'result' | 'error' } }
  | { readonly kind: 'killed'; readonly reason: KillReason; readonly rssBytes?: number }
  | {
      readonly kind: 'crashed';
      readonly code: number | null;
      readonly signal: string | null;
      readonly stderr: string;
    };

const STDERR_TAIL_BYTES = 8_192;

/**
 * Creates a {@link Converter} that runs each conversion in a child process of its own
 * (`node --max-old-space-size=<cap> conversion-child.js`, detached in its own process group,
 * with an allow-listed environment). The worker stays responsive whatever the conversion does:
 * at `timeoutMs`, when the group's resident memory passes `maxRssMb` (or V8's heap limit is
 * hit), or when the job's signal aborts, the whole group — the child and its git processes — is
 * killed with `SIGKILL`.
 *
 * A conversion killed at a limit rejects with a `CONVERSION_KILLED` {@link CoreError} naming the
 * limit and its setting: the workflows explain it on the merge request once and do not retry it.
 * An aborted one rejects with the signal's reason. Results and `ConverterError`s cross as plain
 * data and come back as the same values and error type.
 *
 * What cannot cross a process boundary is built by the child: the `git` option is ignored (the
 * child runs git itself, as `identity`); the clock (`now`, `clock`) is read once, when the
 * conversion starts; `onProgress` is called for the progress the child reports. A custom `fs` or
 * a `checkSyncStatus` function cannot run in the child and is refused.
 *
 * @example
 * const converter = createIsolatedConverter({
 *   childEntry: fileURLToPath(new URL('./conversion-child.js', import.meta.url)),
 *   env: process.env, identity, maxRssMb: 1024, timeoutMs: 720_000, logger,
 * });
 */
export function createIsolatedConverter(options: IsolatedConverterOptions): Converter {
  return {
    updateDistGit: async (conversion) =>
      (await runInChild(options, {
        kind: 'updateDistGit',
        options: toWireOptions(conversion, conversion.now),
        ...callbacks(conversion),
      })) as UpdateDistGitResult,
    updateSourceGit: async (conversion) =>
      (await runInChild(options, {
        kind: 'updateSourceGit',
        options: toWireOptions(conversion, conversion.clock),
        ...callbacks(conversion),
      })) as UpdateSourceGitResult,
  };
}

interface Conversion {
  readonly kind: ConversionRequest['kind'];
  readonly options: WireOptions<UpdateDistGitOptions> & WireOptions<UpdateSourceGitOptions>;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: UpdateDistGitProgress) => void) | undefined;
}

function callbacks(
  conversion: UpdateDistGitOptions | UpdateSourceGitOptions,
): Pick<Conversion, 'signal' | 'onProgress'> {
  return {
    signal: conversion.signal,
    onProgress: 'onProgress' in conversion ? conversion.onProgress : undefined,
  };
}

/** The plain data of `conversion`; behaviour is dropped (`git`, `signal`) or refused (`fs`, `checkSyncStatus`). */
function toWireOptions(
  conversion: UpdateDistGitOptions | UpdateSourceGitOptions,
  clock: (() => Date) | undefined,
): Conversion['options'] {
  for (const key of ['fs', 'checkSyncStatus'] as const) {
    if ((conversion as Partial<Record<typeof key, unknown>>)[key] !== undefined) {
      throw new TypeError(
        `the isolated converter cannot run the "${key}" option in its child process: pass plain data only`,
      );
    }
  }
  const plain = Object.fromEntries(
    Object.entries(conversion).filter(
      ([key, value]) => typeof value !== 'function' && key !== 'git' && key !== 'signal',
    ),
  );
  return { ...plain, clockIso: (clock?.() ?? new Date()).toISOString() } as Conversion['options'];
}

/** Runs one conversion in a new child and settles when the child and its process group are gone. */
async function runInChild(options: IsolatedConverterOptions, conversion: Conversion): Promise<unknown> {
  conversion.signal?.throwIfAborted();
  const child = spawn(
    process.execPath,
    [...(options.execArgv ?? []), `--max-old-space-size=${options.maxRssMb}`, options.childEntry],
    {
      detached: true,
      env: conversionChildEnv(options.env),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    },
  );
  const request: ConversionRequest = {
    type: 'convert',
    kind: conversion.kind,
    options: conversion.options,
    identity: { name: options.identity.name, email: options.identity.email },
  };
  child.send(request, (error) => {
    // The child died before it read the request: its exit says why.
    if (error !== null) killGroup(child);
  });
  const end = await superviseChild(child, options, conversion);
  await killGroupUntilGone(child);
  return settle(end, child.pid, options, conversion);
}

/** Watches `child` until it exits and its group is killed: its replies, its limits, the job's signal. */
function superviseChild(
  child: ChildProcess,
  options: IsolatedConverterOptions,
  conversion: Conversion,
): Promise<ChildEnd> {
  return new Promise((resolve) => {
    let answer: ChildEnd | undefined;
    let stderr = '';
    const kill = (reason: KillReason, rssBytes?: number): void => {
      answer ??= { kind: 'killed', reason, ...(rssBytes === undefined ? {} : { rssBytes }) };
      killGroup(child);
    };
    const timer = setTimeout(() => kill('time'), options.timeoutMs);
    const stopWatching = watchRss(child, options, (rssBytes) => kill('memory', rssBytes));
    const onAbort = (): void => kill('abort');
    conversion.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.on('message', (reply: ConversionReply) => {
      if (reply.type === 'progress') conversion.onProgress?.(reply.progress);
      else answer ??= { kind: 'reply', reply };
    });
    child.once('error', () => killGroup(child));
    // Git processes of a killed child live on in its group: kill them at once.
    child.once('exit', () => killGroup(child));
    child.once('close', (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      stopWatching();
      conversion.signal?.removeEventListener('abort', onAbort);
      if (answer === undefined && isHeapExhausted(stderr)) answer = { kind: 'killed', reason: 'memory' };
      resolve(answer ?? { kind: 'crashed', code, signal, stderr });
    });
  });
}

/** Measures the group's memory every `rssIntervalMs`; calls `onExceeded` once over the cap. */
function watchRss(
  child: ChildProcess,
  options: IsolatedConverterOptions,
  onExceeded: (rssBytes: number) => void,
): () => void {
  const capBytes = options.maxRssMb * 1024 * 1024;
  let measuring = false;
  const interval = setInterval(() => {
    if (measuring || child.pid === undefined) return;
    measuring = true;
    void readProcessGroup(child.pid).then((group) => {
      measuring = false;
      if (group !== undefined && group.rssBytes > capBytes) onExceeded(group.rssBytes);
    });
  }, options.rssIntervalMs ?? 200);
  return () => clearInterval(interval);
}

/** What the conversion's caller gets for `end`. */
function settle(
  end: ChildEnd,
  pid: number | undefined,
  options: IsolatedConverterOptions,
  conversion: Conversion,
): unknown {
  switch (end.kind) {
    case 'reply':
      if (end.reply.type === 'result') return end.reply.result;
      throw fromWireError(end.reply.error);
    case 'killed': {
      if (end.reason === 'abort') {
        options.logger.warn('conversion stopped: the job was aborted', { pid, kind: conversion.kind });
        throw conversion.signal?.reason ?? new Error('the conversion was aborted');
      }
      const error = conversionKilled(end.reason, options, end.rssBytes);
      options.logger.warn('conversion stopped at its limit', {
        pid,
        kind: conversion.kind,
        limit: end.reason,
        ...error.data,
      });
      throw error;
    }
    case 'crashed':
      throw new Error(
        `the conversion process ended without an answer (${end.signal === null ? `exit code ${end.code}` : `signal ${end.signal}`}): ${end.stderr.trim() || 'no output'}`,
      );
  }
}

/** The `CONVERSION_KILLED` error: which limit, its value and the setting that controls it. */
function conversionKilled(
  reason: 'memory' | 'time',
  options: IsolatedConverterOptions,
  rssBytes: number | undefined,
): CoreError {
  const advice =
    'a commit of this merge request makes the conversion too big (very large files or patches, very many commits, or spec macros that expand without end): make the change smaller, or ask the operators of the bot to raise the limit';
  if (reason === 'memory') {
    return new CoreError(
      'CONVERSION_KILLED',
      `the conversion used more than ${options.maxRssMb} MB of memory and was stopped (limit SRCGIT_CONVERSION_MAX_RSS_MB): ${advice}`,
      {
        data: {
          limit: 'memory',
          setting: 'SRCGIT_CONVERSION_MAX_RSS_MB',
          maxRssMb: options.maxRssMb,
          ...(rssBytes === undefined ? {} : { rssMb: Math.round(rssBytes / 1024 / 1024) }),
        },
      },
    );
  }
  return new CoreError(
    'CONVERSION_KILLED',
    `the conversion ran longer than ${options.timeoutMs / 1000} s and was stopped (limit SRCGIT_CONVERSION_TIMEOUT_MS): ${advice}`,
    { data: { limit: 'time', setting: 'SRCGIT_CONVERSION_TIMEOUT_MS', timeoutMs: options.timeoutMs } },
  );
}

/** V8's last words when the heap limit (`--max-old-space-size`) is reached. */
function isHeapExhausted(stderr: string): boolean {
  return /heap out of memory|Reached heap limit/.test(stderr);
}

/**
 * Kills what is left of the child's process group (git processes of a killed child) and waits
 * until nothing of it runs any more, so that nothing writes in the job's directories afterwards.
 */
async function killGroupUntilGone(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  for (let round = 0; round < 100; round += 1) {
    killGroup(child);
    const group = await readProcessGroup(child.pid);
    if (group === undefined || group.pids.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGKILLs the child's process group (the child leads it: it was spawned detached). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
