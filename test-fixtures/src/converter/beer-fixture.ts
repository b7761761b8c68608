import { createGitRepo, type GitRepo } from '../git-repo';

/** The dist-git spec of fixture F0 (docs/converter-behaviour.md §7; also `.distro/beer.spec` after init). */
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

/** F0's dist-git `sources` and `.gitignore`. */
export const BEER_SOURCES = 'SHA512 (beerware-0.1.0.tar.gz) = 0123\n';
export const BEER_GITIGNORE = '/beerware-*.tar.gz\n';
/** `.distro/.gitignore` as `source-git init` writes it. */
export const DISTRO_GITIGNORE = '# Reset gitignore rules\n!*\n';

export interface BeerConfigOptions {
  /** `upstream_ref`; `null` leaves the key out. Default `0.1.0`. */
  readonly upstreamRef?: string | null;
  /** Default true (as `init` writes it). */
  readonly syncChangelog?: boolean;
  /** `patch_generation_patch_id_digits`. Default 1 (F0). */
  readonly patchIdDigits?: number;
  /** Extra YAML lines appended verbatim. */
  readonly extra?: string;
}

/** F0's init-style `.distro/source-git.yaml` (docs/converter-behaviour.md §1.4, §7). */
export function beerConfig(options: BeerConfigOptions = {}): string {
  const upstreamRef = options.upstreamRef === undefined ? '0.1.0' : options.upstreamRef;
  return [
    ...(upstreamRef === null ? [] : [`upstream_ref: ${upstreamRef}`]),
    'downstream_package_name: beer',
    'specfile_path: .distro/beer.spec',
    'patch_generation_ignore_paths:',
    '- .distro',
    `patch_generation_patch_id_digits: ${options.patchIdDigits ?? 1}`,
    `sync_changelog: ${String(options.syncChangelog ?? true)}`,
    'files_to_sync:',
    '- src: .distro/',
    '  dest: .',
    '  delete: true',
    '  filters:',
    '  - protect .git*',
    '  - protect sources',
    '  - exclude source-git.yaml',
    '  - exclude .gitignore',
    ...(options.extra === undefined ? [] : [options.extra.replace(/\n$/, '')]),
    '',
  ].join('\n');
}

/**
 * The date of the k-th commit of a test vector (docs/converter-behaviour.md §7): `2024-01-01 12:0k:00 +0000`.
 */
export function vectorDate(k: number): string {
  const minutes = String(k).padStart(2, '0');
  return `2024-01-01T12:${minutes}:00+00:00`;
}

/** The date of F0's own commits. */
export const FIXTURE_DATE = '2024-01-01T12:00:00+00:00';

export interface BeerFixture {
  /** `src/beer`: upstream release `0.1.0` (tagged) and the init commit. */
  readonly sourceGit: GitRepo;
  /** `rpms/beer`: one commit `Initial dist-git commit`. */
  readonly distGit: GitRepo;
  readonly distGitInitial: string;
  readonly sourceGitInit: string;
}

export interface BeerFixtureOptions extends BeerConfigOptions {
  /** Replaces the whole `.distro/source-git.yaml`. */
  readonly config?: string;
}

/**
 * Builds fixture F0 (docs/converter-behaviour.md §7) in two temp repositories with fixed identities and
 * dates, so that commit shas are the same on every run: dist-git with `beer.spec`, `sources` and
 * `.gitignore`; source-git with the upstream release (`README`, `hops`) tagged `0.1.0` and the
 * `Initialize as a source-git repository` commit adding `.distro/`.
 */
export async function createBeerFixture(options: BeerFixtureOptions = {}): Promise<BeerFixture> {
  const distGit = await createGitRepo();
  const distGitInitial = await distGit.commit('Initial dist-git commit', {
    date: FIXTURE_DATE,
    files: { 'beer.spec': BEER_SPEC, sources: BEER_SOURCES, '.gitignore': BEER_GITIGNORE },
  });
  const sourceGit = await createGitRepo();
  await sourceGit.commit('upstream release 0.1.0', {
    date: FIXTURE_DATE,
    files: { README: 'Best upstream project ever!\n', hops: 'Cascade\n' },
  });
  await sourceGit.git(['tag', '0.1.0']);
  const sourceGitInit = await sourceGit.commit(
    `Initialize as a source-git repository\n\nFrom-dist-git-commit: ${distGitInitial}\n`,
    {
      date: FIXTURE_DATE,
      files: {
        '.distro/beer.spec': BEER_SPEC,
        '.distro/.gitignore': DISTRO_GITIGNORE,
        '.distro/source-git.yaml': options.config ?? beerConfig(options),
      },
    },
  );
  return { sourceGit, distGit, distGitInitial, sourceGitInit };
}

/**
 * The environment for a converter's git runner in tests: no user configuration, the fixture
 * identities, and fixed author/committer dates, so that dist-git commits are reproducible.
 */
export function converterGitEnv(date = '2024-02-01T00:00:00+00:00'): Readonly<Record<string, string>> {
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'A U Thor',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'C O Mitter',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    TZ: 'UTC',
  };
}
