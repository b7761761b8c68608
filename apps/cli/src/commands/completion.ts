import { Argument, type Command } from 'commander';
import { completionScript, COMPLETION_SHELLS, type CompletionShell } from '../completion-script';
import type { CliIo } from '../create-program';

/**
 * `srcgit completion bash|zsh|fish`: prints the shell completion script, generated from the
 * commands and options of this very program (every command module is loaded for it).
 */
export function registerCompletionCommand(program: Command, io: CliIo): void {
  program
    .command('completion')
    .description('Print the shell completion script for bash, zsh or fish.')
    .addArgument(new Argument('<shell>', 'the shell: bash, zsh or fish').choices(COMPLETION_SHELLS))
    .addHelpText(
      'after',
      [
        '',
        'Install:',
        '  bash: srcgit completion bash > ~/.local/share/bash-completion/completions/srcgit',
        '  zsh:  srcgit completion zsh > "${fpath[1]}/_srcgit"',
        '  fish: srcgit completion fish > ~/.config/fish/completions/srcgit.fish',
      ].join('\n'),
    )
    .action((shell: CompletionShell) => {
      io.stdout.write(completionScript(program, shell));
    });
}
