import { createGitRunner, initSourceGit } from '@srcgit/dist-git-converter';
import type { Command } from 'commander';
import { countOf } from '../count-of';
import type { CliIo } from '../create-program';
import { writeJson } from '../json-output';
import { createTerminalProgress } from '../terminal-progress';
import { checkRepositoryArgument } from './check-repository-argument';

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
        const git = createGitRunner({ userEnvironment: true });
        await checkRepositoryArgument('source-git', sourceGit.path, git);
        await checkRepositoryArgument('dist-git', distGit.path, git);
        const progress = createTerminalProgress(io, 'init');
        let result: Awaited<ReturnType<typeof initSourceGit>>;
        try {
          result = await initSourceGit({
            git,
            upstreamRef,
            sourceGitDir: sourceGit.path,
            ...(sourceGit.branch === undefined ? {} : { sourceGitBranch: sourceGit.branch }),
            distGitDir: distGit.path,
            ...(distGit.branch === undefined ? {} : { distGitBranch: distGit.branch }),
            ...(flags.upstreamUrl === undefined ? {} : { upstreamUrl: flags.upstreamUrl }),
            ...(flags.upstreamRemote === undefined ? {} : { upstreamRemote: flags.upstreamRemote }),
            ...(flags.pkgName === undefined ? {} : { packageName: flags.pkgName }),
            ...(flags.lookasideUrl === undefined ? {} : { lookasideUrl: flags.lookasideUrl }),
            onProgress: ({ done, total }) => progress.show(`applying patches ${done}/${total}`),
          });
        } finally {
          progress.clear();
        }
        if (flags.json === true) {
          writeJson(io, result);
          return;
        }
        const lines = [
          `Initialised ${sourceGit.path} as source-git of ${distGit.path} (${result.distGitCommit.slice(0, 8)}): ${countOf(result.patches.length, 'patch', 'patches')} as commits, HEAD ${result.head.slice(0, 8)}.`,
          ...result.keptPatches.map(
            (patch) => `Kept ${patch.fileName} (Patch${patch.number}) as a .distro file: ${patch.reason}.`,
          ),
          ...result.warnings.map((warning) => `warning: ${warning}`),
        ];
        io.stdout.write(`${lines.join('\n')}\n`);
      },
    );
}
