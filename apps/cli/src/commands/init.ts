import { createGitRunner, initSourceGit, isConverterError } from '@srcgit/dist-git-converter';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIo } from '../create-program';

interface InitFlags {
  readonly upstreamUrl?: string;
  readonly upstreamRemote?: string;
  readonly pkgName?: string;
  readonly lookasideUrl?: string;
  readonly json?: boolean;
}

/** `PATH[:BRANCH]`: a branch name cannot contain `:`, so the last one separates them. */
function splitBranch(argument: string): { path: string; branch: string | undefined } {
  const colon = argument.lastIndexOf(':');
  if (colon <= 0 || colon === argument.length - 1) return { path: argument, branch: undefined };
  return { path: argument.slice(0, colon), branch: argument.slice(colon + 1) };
}

/**
 * `srcgit init [--upstream-url URL] UPSTREAM_REF SOURCE_GIT[:BRANCH] DIST_GIT[:BRANCH]` (packit's
 * form): initialises source-git from dist-git without rpmbuild.
 */
export function registerInitCommand(program: Command, io: CliIo): void {
  program
    .command('init')
    .description(
      'Initialise a source-git repository from dist-git: .distro/, source-git.yaml, and every patch %prep applies as a commit.',
    )
    .argument('<upstream-ref>', 'where upstream history ends in source-git (tag, branch or commit)')
    .argument(
      '<source-git>',
      'the upstream clone to turn into source-git; SOURCE_GIT:BRANCH creates BRANCH at UPSTREAM_REF',
    )
    .argument(
      '<dist-git>',
      'the dist-git repository; DIST_GIT:BRANCH reads that branch (dist-git is never changed)',
    )
    .option('--upstream-url <url>', "upstream_project_url (default: the upstream remote's URL)")
    .option('--upstream-remote <name>', 'the remote whose URL is the upstream URL', 'origin')
    .option('--pkg-name <name>', "the package name (default: the dist-git directory's name)")
    .option(
      '--lookaside-url <url>',
      'lookaside cache URL with namespace (e.g. https://src.fedoraproject.org/repo/pkgs/rpms): write sources: entries',
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (upstreamRef: string, sourceGitArgument: string, distGitArgument: string, flags: InitFlags) => {
        const sourceGit = splitBranch(sourceGitArgument);
        const distGit = splitBranch(distGitArgument);
        const progress =
          flags.json !== true && 'isTTY' in io.stderr && io.stderr.isTTY === true
            ? ({ done, total }: { done: number; total: number }) =>
                void io.stderr.write(`\rapplying patches: ${done}/${total}${done === total ? '\n' : ''}`)
            : undefined;
        try {
          const result = await initSourceGit({
            git: createGitRunner({ userEnvironment: true }),
            upstreamRef,
            sourceGitDir: sourceGit.path,
            ...(sourceGit.branch === undefined ? {} : { sourceGitBranch: sourceGit.branch }),
            distGitDir: distGit.path,
            ...(distGit.branch === undefined ? {} : { distGitBranch: distGit.branch }),
            ...(flags.upstreamUrl === undefined ? {} : { upstreamUrl: flags.upstreamUrl }),
            ...(flags.upstreamRemote === undefined ? {} : { upstreamRemote: flags.upstreamRemote }),
            ...(flags.pkgName === undefined ? {} : { packageName: flags.pkgName }),
            ...(flags.lookasideUrl === undefined ? {} : { lookasideUrl: flags.lookasideUrl }),
            ...(progress === undefined ? {} : { onProgress: progress }),
          });
          if (flags.json === true) {
            io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
            return;
          }
          const lines = [
            `Initialised ${sourceGit.path} as source-git of ${distGit.path} (${result.distGitCommit.slice(0, 8)}): ${result.patches.length} patches as commits, HEAD ${result.head.slice(0, 8)}.`,
            ...result.keptPatches.map(
              (patch) => `Kept ${patch.fileName} (Patch${patch.number}) as a .distro file: ${patch.reason}.`,
            ),
            ...result.warnings.map((warning) => `warning: ${warning}`),
          ];
          io.stdout.write(`${lines.join('\n')}\n`);
        } catch (error) {
          if (isConverterError(error)) throw new CliError(error.message);
          throw error;
        }
      },
    );
}
