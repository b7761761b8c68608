/**
 * @module
 * Shell completion scripts generated from the commander program itself, so that they list
 * exactly the commands and options `srcgit --help` shows.
 */
import type { Command } from 'commander';

/** The shells `srcgit completion` writes a script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** One option as a completion offers it. */
interface CompletionOption {
  readonly long: string | undefined;
  readonly short: string | undefined;
  readonly description: string;
  /** True when the option takes a value (the next word is then a file or free text). */
  readonly takesValue: boolean;
}

/** One command (the root has the empty path) with what may follow it. */
interface CompletionNode {
  /** `''`, `status`, `mr sync`. */
  readonly path: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  readonly options: readonly CompletionOption[];
  /** The values of the first argument when it has a fixed set (`completion <shell>`). */
  readonly choices: readonly string[];
}

/** Every visible command of `program`, depth first, as the completion scripts need them. */
function collectNodes(program: Command): CompletionNode[] {
  const help = program.createHelp();
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string): void => {
    const subcommands = help.visibleCommands(command).filter((sub) => sub.name() !== 'help');
    nodes.push({
      path,
      subcommands: subcommands.map((sub) => ({ name: sub.name(), description: sub.description() })),
      options: help.visibleOptions(command).map((option) => ({
        long: option.long,
        short: option.short,
        description: option.description,
        takesValue: option.required || option.optional,
      })),
      choices: command.registeredArguments[0]?.argChoices ?? [],
    });
    for (const sub of subcommands) visit(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, '');
  return nodes;
}

function flagsOf(options: readonly CompletionOption[]): string[] {
  return options.flatMap((option) => [option.long, option.short].filter((flag) => flag !== undefined));
}

/** `text` as one single-quoted shell word (bash, zsh and fish alike). */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `text` as one single-quoted fish word (fish escapes `'` and `\` inside single quotes). */
function fishQuoted(text: string): string {
  return `'${text.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

function bashScript(nodes: readonly CompletionNode[]): string {
  const paths = nodes.filter((node) => node.path !== '').map((node) => node.path);
  const valueFlags = [...new Set(nodes.flatMap((node) => flagsOf(node.options.filter((o) => o.takesValue))))];
  const cases = nodes.map((node) => {
    const words = [...node.subcommands.map((sub) => sub.name), ...node.choices, ...flagsOf(node.options)];
    const kind = node.subcommands.length > 0 || node.choices.length > 0 ? 'commands' : 'files';
    return `    ${quoted(node.path)}) words=${quoted(words.join(' '))}; kind=${kind} ;;`;
  });
  return `# srcgit completion for bash: source it, or save it as
# ~/.local/share/bash-completion/completions/srcgit
_srcgit() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" word next i words kind
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ $word == -* ]] && continue
    next="\${cmd:+$cmd }$word"
    case "$next" in
      ${paths.map(quoted).join('|')}) cmd="$next" ;;
    esac
  done
  case "$prev" in
    ${valueFlags.map(quoted).join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  case "$cmd" in
${cases.join('\n')}
  esac
  if [[ $cur == -* || $kind == commands ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _srcgit srcgit
`;
}

function zshScript(nodes: readonly CompletionNode[]): string {
  const paths = nodes.filter((node) => node.path !== '').map((node) => node.path);
  const escape = (text: string) => text.replace(/:/g, '\\:');
  const cases = nodes.map((node) => {
    const subcommands = [
      ...node.subcommands.map((sub) => quoted(`${escape(sub.name)}:${escape(sub.description)}`)),
      ...node.choices.map((choice) => quoted(escape(choice))),
    ];
    const options = flagsOf(node.options).map(quoted);
    return `    ${quoted(node.path)}) subcommands=(${subcommands.join(' ')}); options=(${options.join(' ')}) ;;`;
  });
  return `#compdef srcgit
# srcgit completion for zsh: save it as _srcgit in a directory of $fpath, or source it
_srcgit() {
  local cmd="" word next i
  local -a subcommands options
  for (( i = 2; i < CURRENT; i++ )); do
    word=\${words[i]}
    [[ $word == -* ]] && continue
    next="\${cmd:+$cmd }$word"
    case "$next" in
      (${paths.map(quoted).join('|')}) cmd="$next" ;;
    esac
  done
  case "$cmd" in
${cases.join('\n')}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    compadd -- $options
  elif (( \${#subcommands} )); then
    _describe 'command' subcommands
  else
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _srcgit "$@"
else
  compdef _srcgit srcgit
fi
`;
}

function fishScript(nodes: readonly CompletionNode[]): string {
  const paths = nodes.filter((node) => node.path !== '').map((node) => node.path);
  const lines = nodes.flatMap((node) => {
    const at = `-n ${fishQuoted(`__srcgit_at ${quoted(node.path)}`)}`;
    return [
      ...node.subcommands.map(
        (sub) => `complete -c srcgit ${at} -f -a ${fishQuoted(sub.name)} -d ${fishQuoted(sub.description)}`,
      ),
      ...node.options.map((option) => {
        const long = option.long === undefined ? '' : ` -l ${fishQuoted(option.long.replace(/^--/, ''))}`;
        const short = option.short === undefined ? '' : ` -s ${fishQuoted(option.short.replace(/^-/, ''))}`;
        const value = option.takesValue ? ' -r -F' : '';
        return `complete -c srcgit ${at}${long}${short}${value} -d ${fishQuoted(option.description)}`;
      }),
      ...node.choices.map((choice) => `complete -c srcgit ${at} -f -a ${fishQuoted(choice)}`),
      ...(node.subcommands.length === 0 && node.choices.length === 0 ? [`complete -c srcgit ${at} -F`] : []),
    ];
  });
  return `# srcgit completion for fish: save it as ~/.config/fish/completions/srcgit.fish
function __srcgit_command
  set -l cmd ''
  set -l typed (commandline -opc)
  set -e typed[1]
  for word in $typed
    string match -q -- '-*' $word; and continue
    set -l next (string trim -- "$cmd $word")
    if contains -- $next ${paths.map(fishQuoted).join(' ')}
      set cmd $next
    end
  end
  echo $cmd
end
function __srcgit_at
  set -l cmd (__srcgit_command)
  test "$cmd" = "$argv[1]"
end
complete -c srcgit -f
${lines.join('\n')}
`;
}

/** The completion script for `shell`, from the commands and options of `program`. */
export function completionScript(program: Command, shell: CompletionShell): string {
  const nodes = collectNodes(program);
  const write = { bash: bashScript, zsh: zshScript, fish: fishScript }[shell];
  return write(nodes);
}
