import { readFile } from 'node:fs/promises';
import {
  checkSyncStatus,
  createGitRunner,
  updateDistGit,
  type UpdateDistGitResult,
} from '@srcgit/dist-git-converter';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';
import { writeJson } from '../json-output';
import { createTerminalProgress } from '../terminal-progress';
import { checkRepositoryArgument } from './check-repository-argument';
import { addLimitOptions, limitsFromFlags, type LimitFlags } from './limit-options';

interface UpdateDistGitFlags extends LimitFlags {
  readonly message?: string;
  readonly file?: string;
  readonly upstreamRef?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly force?: boolean;
}

/**
 * `srcgit update-dist-git [-m MESSAGE | -F FILE] [-f] [--upstream-ref REF] [--dry-run] [--json]
 * SOURCE_GIT DIST_GIT` (packit's argument order): patches, spec and `.distro/` files into
 * dist-git; with a message, one commit carrying `From-source-git-commit`. Unless `-f`, the sync
 * status is checked first: in sync → nothing to do (exit 0); dist-git ahead or diverged → exit 2.
 */
export function registerUpdateDistGitCommand(program: Command, io: CliIo): void {
  const command = program
    .command('update-dist-git')
    .description(
      'Bring source-git into dist-git: downstream commits as patch files and spec Patch tags, .distro/ files per files_to_sync. All or nothing.',
    )
    .argument('<source-git>', 'the source-git repository')
    .argument('<dist-git>', 'the dist-git repository (must be pristine)')
    .option(
      '-m, --message <message>',
      'commit the result with this message (split at the first blank line into title and body); without -m or -F the files are left uncommitted and the message to commit them with, From-source-git-commit trailer included, is written to .git/SRCGIT_COMMIT_MSG',
    )
    .option('-F, --file <file>', 'commit with the message read from FILE ("-" reads standard input)')
    .option(
      '-f, --force',
      'skip the sync-status check (convert even when the trailers say "in sync"); a patch whose content is the same keeps its bytes',
    )
    .option('--upstream-ref <ref>', 'start of the downstream commits instead of upstream_ref from the config')
    .option('--dry-run', 'compute what would change, write nothing')
    .option('--json', 'print the plan as JSON (schemaVersion 1: commits, patches, files, spec diff)');
  addLimitOptions(command).action(async (sourceGit: string, distGit: string, flags: UpdateDistGitFlags) => {
    if (flags.message !== undefined && flags.file !== undefined) {
      throw new CliError('option -m cannot be combined with -F');
    }
    const message = flags.file === undefined ? flags.message : await readMessage(flags.file);
    const git = createGitRunner({ userEnvironment: true });
    await checkRepositoryArgument('source-git', sourceGit, git);
    await checkRepositoryArgument('dist-git', distGit, git);
    const progress = createTerminalProgress(io, 'update-dist-git');
    let result: UpdateDistGitResult;
    try {
      result = await updateDistGit({
        git,
        sourceGitDir: sourceGit,
        distGitDir: distGit,
        ...(message === undefined ? {} : { message }),
        ...(flags.upstreamRef === undefined ? {} : { upstreamRef: flags.upstreamRef }),
        dryRun: flags.dryRun === true,
        limits: limitsFromFlags(flags),
        ...(flags.force === true ? {} : { checkSyncStatus }),
        onProgress: ({ phase, done, total }) =>
          progress.show(total === undefined || total === 0 ? phase : `${phase} ${done ?? 0}/${total}`),
        onUncommittedChanges: (paths) => {
          progress.clear();
          io.stderr.write(`${uncommittedWarning(sourceGit, paths)}\n`);
        },
      });
    } finally {
      progress.clear();
    }
    if (flags.json === true) {
      writeJson(io, result.plan);
      return;
    }
    io.stdout.write(`${describe(result).join('\n')}\n`);
  });
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

/** One line: uncommitted files are not synced (the converter reads the commit). */
function uncommittedWarning(sourceGit: string, paths: readonly string[]): string {
  // A file name is shown, never obeyed: control characters would drive the terminal.
  const printable = paths
    .slice(0, 3)
    .map((path) => [...path].map((char) => (isControl(char) ? '?' : char)).join(''));
  const shown = printable.join(', ') + (paths.length > 3 ? `, … (${paths.length} paths)` : '');
  return `srcgit: warning: uncommitted changes in ${sourceGit} are not synced (HEAD is converted): ${shown}`;
}

async function readMessage(file: string): Promise<string> {
  try {
    if (file !== '-') return await readFile(file, 'utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw new CliError(`cannot read the commit message from ${file}: ${(error as Error).message}`);
  }
}

/** The human output: what happened to each commit and file, then the summary and the warnings. */
function describe(result: UpdateDistGitResult): string[] {
  const { plan } = result;
  const lines: string[] = [];
  if (plan.status === 'changes') {
    for (const commit of plan.commits) {
      const target = commit.patchFile === null ? `(${commit.reason ?? 'no patch'})` : commit.patchFile;
      lines.push(`${commit.sha.slice(0, 8)} ${commit.status.padEnd(9)} ${target}  ${commit.subject}`);
    }
    if (lines.length > 0) lines.push('');
    for (const file of plan.files) lines.push(`${file.change.padEnd(7)} ${file.path}`);
    lines.push('');
  }
  lines.push(result.summary);
  if (result.commitMessageFile !== undefined) {
    // The prepared message carries the trailer, so the next status and update-dist-git see the sync.
    const dir = shellQuote(plan.distGit.dir);
    lines.push(`To commit it: git -C ${dir} add -A && git -C ${dir} commit -F .git/SRCGIT_COMMIT_MSG`);
  }
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return lines;
}

/** A path as one shell word (single quotes unless it needs none). */
function shellQuote(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
