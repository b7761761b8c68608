import {
  BEER_GITIGNORE,
  BEER_SOURCES,
  BEER_SPEC,
  beerConfig,
  createGitRepo,
  DISTRO_GITIGNORE,
  type GitRepo,
} from '@srcgit/test-fixtures';
import { createGitRunner, type GitRunner } from '../../src/git/git-runner';

export { BEER_SPEC } from '@srcgit/test-fixtures';

export interface BeerPair {
  readonly sg: GitRepo;
  readonly dg: GitRepo;
  readonly dgInitial: string;
  readonly sgInit: string;
}

/**
 * Fixture F0 (docs/converter-behaviour.md §7, as `createBeerFixture` builds it) with extra files in both
 * repositories (under `.distro/` in source-git): dist-git `rpms/beer` with one commit, and a
 * source-git whose upstream release `0.1.0` is followed by the init commit pointing at it.
 */
export async function createBeerPair(extra: Readonly<Record<string, string>> = {}): Promise<BeerPair> {
  const dg = await createGitRepo();
  const dgInitial = await dg.commit('Initial dist-git commit', {
    files: {
      'beer.spec': BEER_SPEC,
      sources: BEER_SOURCES,
      '.gitignore': BEER_GITIGNORE,
      ...extra,
    },
  });
  const sg = await createGitRepo();
  await sg.commit('upstream release 0.1.0', {
    files: { README: 'Best upstream project ever!\n', hops: 'Cascade\n' },
  });
  await sg.git(['tag', '0.1.0']);
  const sgInit = await sg.commit(
    `Initialize as a source-git repository\n\nFrom-dist-git-commit: ${dgInitial}\n`,
    {
      files: {
        '.distro/beer.spec': BEER_SPEC,
        '.distro/.gitignore': DISTRO_GITIGNORE,
        '.distro/source-git.yaml': beerConfig(),
        ...Object.fromEntries(Object.entries(extra).map(([path, content]) => [`.distro/${path}`, content])),
      },
    },
  );
  return { sg, dg, dgInitial, sgInit };
}

/** The environment every test git process gets on top of the default runner's. */
const FIXED_GIT_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_COMMITTER_NAME: 'C O Mitter',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  TZ: 'UTC',
};

/** A git runner with a fixed committer identity and no user configuration, for reproducible commits. */
export function testGitRunner(): GitRunner {
  const base = createGitRunner();
  return {
    run: (args, options) => base.run(args, { ...options, env: { ...FIXED_GIT_ENV, ...options.env } }),
    text: (args, options) => base.text(args, { ...options, env: { ...FIXED_GIT_ENV, ...options.env } }),
  };
}

/** The fixed committer clock of tests. */
export const TEST_CLOCK = (): Date => new Date('2024-02-01T00:00:00Z');
