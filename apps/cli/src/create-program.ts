import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { registerUpdateDistGitCommand } from './commands/update-dist-git';
import { registerInitCommand } from './commands/init';
import { registerStatusCommand } from './commands/status';
import { registerUpdateSourceGitCommand } from './commands/update-source-git';
import { registerMrSyncCommand } from './commands/mr-sync';
import { registerMrStatusCommand } from './commands/mr-status';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Builds the `srcgit` command tree. Commands write through `io` and never exit the process. */
export function createProgram(io: CliIo): Command {
  const program = new Command('srcgit')
    .description("Keep an RPM package's source-git and dist-git repositories in step.")
    .version(packageJson.version, '-V, --version', 'print the srcgit version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run "srcgit --help" for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });
  registerUpdateSourceGitCommand(program, io);
  registerStatusCommand(program, io);
  registerInitCommand(program, io);
  registerUpdateDistGitCommand(program, io);
  registerMrSyncCommand(program, io);
  registerMrStatusCommand(program, io);
  return program;
}
