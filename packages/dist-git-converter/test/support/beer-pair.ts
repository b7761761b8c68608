import { createGitRepo, type GitRepo } from '@srcgit/test-fixtures';
import { createGitRunner, type GitRunner } from '../../src/git/git-runner';

/** The dist-git spec of converter-spec fixture F0. */
export const BEER_SPEC = `Name:           beer
Version:        0.1.0
Release:        1%{?dist}
Summary:        A tool to make you happy

License:        Beerware
Source0:        beerware-%{version}.tar.gz
BuildArch:      noarch

%description
...but not too happy.

%prep
%autosetup -p1 -n beerware-%{version}

%changelog
* Mon Feb 25 2019 Tomas Tomecek <ttomecek@redhat.com> - 0.1.0-1
- Initial brewing
`;

/** The init-style `.distro/source-git.yaml` of F0. */
export const BEER_CONFIG = `upstream_ref: 0.1.0
downstream_package_name: beer
specfile_path: .distro/beer.spec
patch_generation_ignore_paths:
- .distro
patch_generation_patch_id_digits: 1
sync_changelog: true
files_to_sync:
- src: .distro/
  dest: .
  delete: true
  filters:
  - protect .git*
  - protect sources
  - exclude source-git.yaml
  - exclude .gitignore
`;

export interface BeerPair {
  readonly sg: GitRepo;
  readonly dg: GitRepo;
  readonly dgInitial: string;
  readonly sgInit: string;
}

/**
 * Converter-spec fixture F0: dist-git `rpms/beer` with one commit, and a source-git whose
 * upstream release `0.1.0` is followed by the init commit pointing at it. Extra files go into
 * both (`.distro/` in source-git).
 */
export async function createBeerPair(extra: Readonly<Record<string, string>> = {}): Promise<BeerPair> {
  const dg = await createGitRepo();
  const dgInitial = await dg.commit('Initial dist-git commit', {
    files: {
      'beer.spec': BEER_SPEC,
      sources: 'SHA512 (beerware-0.1.0.tar.gz) = 0123\n',
      '.gitignore': '/beerware-*.tar.gz\n',
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
        '.distro/.gitignore': '# Reset gitignore rules\n!*\n',
        '.distro/source-git.yaml': BEER_CONFIG,
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
