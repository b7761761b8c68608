import { CommanderError } from 'commander';
import { toCliFailure, type CliFailure } from './cli-failure';
import { createProgram, type CliIo, type CommandOutcome } from './create-program';
import { EXIT_CODES } from './exit-codes';
import { writeJsonError } from './json-output';

/**
 * The CLI's one error boundary: runs `srcgit` with `argv` (without the node and script paths) and
 * returns the exit code (see `exit-codes.ts`). A failure is one `srcgit: …` line on stderr; with
 * `--json` it is also a JSON error document on stdout.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const outcome: CommandOutcome = { exitCode: EXIT_CODES.success };
  let json: boolean | undefined;
  try {
    const program = await createProgram(io, argv, outcome);
    program.hook('preAction', (_program, action) => {
      json = action.opts<{ json?: boolean }>().json === true;
    });
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.exitCode;
  } catch (error) {
    const asJson = json ?? mentionsJson(argv);
    if (error instanceof CommanderError) {
      // Commander has printed its message (and the usage hint) on stderr already.
      if (error.exitCode === 0) return EXIT_CODES.success;
      if (asJson) writeJsonError(io, usageFailure(error));
      return EXIT_CODES.badInput;
    }
    const failure = toCliFailure(error);
    io.stderr.write(`srcgit: ${failure.message}\n`);
    if (asJson) writeJsonError(io, failure);
    return failure.exitCode;
  }
}

/** Before the arguments are parsed: whether `--json` is among the options (before any `--`). */
function mentionsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** A command-line error of commander (unknown option, missing argument, …) as a failure. */
function usageFailure(error: CommanderError): CliFailure {
  return {
    exitCode: EXIT_CODES.badInput,
    code: 'USAGE',
    message: error.message.replace(/^error: /, ''),
    details: { reason: error.code },
  };
}
