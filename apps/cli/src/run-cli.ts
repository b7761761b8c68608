import { CommanderError } from 'commander';
import { CliError } from './cli-error';
import { createProgram, type CliIo } from './create-program';

/**
 * The CLI's one error boundary: runs `srcgit` with `argv` (without the node and script paths) and
 * returns the exit code. 0 success, 2 usage or user error, 4 unexpected failure.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const program = await createProgram(io, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      io.stderr.write(`srcgit: ${error.message}\n`);
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`srcgit: unexpected failure, please report it with this output:\n${detail}\n`);
    return 4;
  }
}
