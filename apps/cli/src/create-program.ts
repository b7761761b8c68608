import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { exitCodesHelp } from './exit-codes';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * What a run ends with besides an error: a command whose result is its exit code (`status
 * --exit-code`) sets it here; it stays 0 otherwise.
 */
export interface CommandOutcome {
  exitCode: number;
}

/** Adds one command (or subcommand) with its options and action to the `srcgit` program. */
type RegisterCommand = (program: Command, io: CliIo, outcome: CommandOutcome) => void;

interface CommandModule {
  /** The top-level command name the module registers (`mr` for its subcommands). */
  readonly name: string;
  readonly load: () => Promise<RegisterCommand>;
}

/**
 * Every command module, in the order `srcgit --help` lists them. Loaded on demand: the bot
 * commands pull in GitLab's client and the service core, which a conversion never needs.
 */
const commandModules: readonly CommandModule[] = [
  {
    name: 'update-source-git',
    load: async () => (await import('./commands/update-source-git')).registerUpdateSourceGitCommand,
  },
  { name: 'status', load: async () => (await import('./commands/status')).registerStatusCommand },
  { name: 'init', load: async () => (await import('./commands/init')).registerInitCommand },
  {
    name: 'update-dist-git',
    load: async () => (await import('./commands/update-dist-git')).registerUpdateDistGitCommand,
  },
  { name: 'mr', load: async () => (await import('./commands/mr-sync')).registerMrSyncCommand },
  { name: 'mr', load: async () => (await import('./commands/mr-status')).registerMrStatusCommand },
  {
    name: 'completion',
    load: async () => (await import('./commands/completion')).registerCompletionCommand,
  },
];

/**
 * The command modules `argv` needs: only the named command's when the first argument names one
 * (`srcgit status …`, `srcgit mr sync …`), none for `--version`, and every one otherwise (root
 * help, `help`, `completion`, unknown commands and their suggestions), so every output is as if
 * all were loaded.
 */
function modulesFor(argv: readonly string[]): readonly CommandModule[] {
  const first = argv[0];
  if (first === '-V' || first === '--version') return [];
  if (first === 'completion') return commandModules;
  const named = commandModules.filter((module) => module.name === first);
  return named.length > 0 ? named : commandModules;
}

/**
 * Builds the `srcgit` command tree for running `argv` (without the node and script paths),
 * loading only the command modules it needs. Commands write through `io` and never exit the
 * process.
 */
export async function createProgram(
  io: CliIo,
  argv: readonly string[],
  outcome: CommandOutcome = { exitCode: 0 },
): Promise<Command> {
  const program = new Command('srcgit')
    .description("Keep an RPM package's source-git and dist-git repositories in step.")
    .version(packageJson.version, '-V, --version', 'print the srcgit version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run "srcgit --help" for usage)')
    .addHelpText('after', exitCodesHelp())
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });
  const registers = await Promise.all(modulesFor(argv).map((module) => module.load()));
  for (const register of registers) register(program, io, outcome);
  return program;
}
