import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** One git process as the recording wrapper saw it. */
export interface RecordedGitCall {
  /** Its arguments, as the runner passed them (`-c` settings included). */
  readonly args: readonly string[];
  /** Its whole environment, without the variables the wrapper's shell sets itself (`PWD`, …). */
  readonly env: ReadonlyMap<string, string>;
}

export interface RecordingGit {
  /** The wrapper's path: give it to a git runner as its `binary`. */
  readonly binary: string;
  /** Every git process started through the wrapper so far (in no particular order). */
  calls(): Promise<RecordedGitCall[]>;
}

const SHELL_VARIABLES = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

/**
 * Creates, in `dir`, a `git` wrapper that records each process's arguments and environment
 * (NUL-separated files, one pair per process) and then runs the real git from `PATH` — to see what
 * srcgit's git children are given, without trusting the runner under test to report it.
 */
export async function createRecordingGit(dir: string): Promise<RecordingGit> {
  const records = join(dir, 'git-calls');
  await mkdir(records, { recursive: true });
  const binary = join(dir, 'git');
  await writeFile(
    binary,
    [
      '#!/bin/sh',
      `record=$(mktemp '${records}/call.XXXXXX')`,
      'printf "%s\\0" "$@" > "$record.args"',
      'env -0 > "$record.env"',
      `exec '${realGit()}' "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(binary, 0o755);
  return {
    binary,
    async calls() {
      const names = (await readdir(records)).filter((name) => !name.includes('.', 'call.'.length));
      return Promise.all(
        names.map(async (name) => {
          const args = (await readFile(join(records, `${name}.args`), 'utf8')).split('\0').slice(0, -1);
          const env = new Map(
            (await readFile(join(records, `${name}.env`), 'utf8'))
              .split('\0')
              .filter((entry) => entry.includes('='))
              .map(
                (entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const,
              )
              .filter(([key]) => !SHELL_VARIABLES.has(key)),
          );
          return { args, env };
        }),
      );
    },
  };
}

/** The real git on `PATH`. */
function realGit(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'git');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  throw new Error('git is not on PATH');
}
