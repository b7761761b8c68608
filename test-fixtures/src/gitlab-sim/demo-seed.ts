import type { Tree } from '../git-repo';
import type {
  GitLabSimulator,
  SimulatorGroup,
  SimulatorProject,
  SimulatorUser,
} from './start-gitlab-simulator';

export interface DemoSeedOptions {
  /** Where the bot's webhooks deliver; without it no hooks are created. */
  readonly webhookUrl?: string;
  /** Secret token of those hooks (`X-Gitlab-Token`). Default `demo-webhook-secret`. */
  readonly webhookToken?: string;
}

/** What {@link seedDemo} created. */
export interface DemoWorld {
  readonly users: {
    /** Maintainer of both groups (merges, runs parent pipelines). */
    readonly maintainer: SimulatorUser;
    /** Owns the fork `contributor/beer` of the source-git project. */
    readonly contributor: SimulatorUser;
    /** The bot account: Developer on `rpms`, Reporter on `src`. */
    readonly bot: SimulatorUser;
  };
  readonly groups: { readonly src: SimulatorGroup; readonly rpms: SimulatorGroup };
  readonly projects: {
    /** `src/beer`: upstream history, the tag `v1.0`, and `.distro/` on top. */
    readonly sourceGit: SimulatorProject;
    /** `rpms/beer`: spec, `sources`, `.gitignore` and an MR-only `.gitlab-ci.yml`. */
    readonly distGit: SimulatorProject;
    /** `contributor/beer`: the contributor's fork of `src/beer` (import finished). */
    readonly contributorFork: SimulatorProject;
  };
  /** The branch both repositories develop on (their default branch). */
  readonly branch: string;
  /** The upstream tag `.distro/source-git.yaml` names as `upstream_ref`. */
  readonly upstreamTag: string;
  /** Hooks pointing at `webhookUrl`, if one was given. */
  readonly hooks: { readonly sourceGit?: number; readonly distGit?: number };
}

const BRANCH = 'c10s';
const UPSTREAM_TAG = 'v1.0';
const UPSTREAM_AUTHOR = { name: 'Bea Brewer', email: 'bea@beer.example.org' };
const TARBALL_SHA512 =
  '2f1c7cbd4c6e61b0d62a5f58d8c3d3e7f1aa4b3b0c2c5e6a9e4b3d2c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6';

const SPEC = `Name:           beer
Version:        1.0
Release:        1%{?dist}
Summary:        Brews beer on the command line
License:        MIT
URL:            https://beer.example.org
Source0:        https://beer.example.org/releases/beer-%{version}.tar.gz

BuildRequires:  gcc
BuildRequires:  make

%description
Beer prints a pint of beer, or a stronger one.

%prep
%autosetup -p1

%build
%make_build

%install
%make_install PREFIX=%{_prefix}

%files
%license LICENSE
%doc README.md
%{_bindir}/beer

%changelog
* Mon Jan 08 2024 Mai Ntainer <maintainer@example.com> - 1.0-1
- Initial package
`;

const SOURCE_GIT_YAML = `upstream_project_url: https://beer.example.org
downstream_package_name: beer
specfile_path: .distro/beer.spec
upstream_ref: ${UPSTREAM_TAG}
patch_generation_ignore_paths:
  - .distro
files_to_sync:
  - src: .distro/
    dest: .
    delete: true
    filters:
      - "protect .git*"
      - "protect sources"
      - "exclude source-git.yaml"
      - "exclude .gitignore"
sources:
  - path: beer-1.0.tar.gz
    url: https://beer.example.org/releases/beer-1.0.tar.gz
`;

/** Dist-git CI that, like CentOS Stream's gating, runs only for merge requests. */
const DIST_GIT_CI = `workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

stages: [test]

check-spec:
  stage: test
  script:
    - rpmspec -P beer.spec
`;

const UPSTREAM_HISTORY: readonly { message: string; date: string; files: Tree }[] = [
  {
    message: 'Initial import of beer',
    date: '2024-01-01T10:00:00+01:00',
    files: {
      LICENSE: 'MIT License\n\nCopyright (c) 2024 Bea Brewer\n',
      'README.md': '# beer\n\nPrints a pint.\n',
      Makefile:
        'PREFIX ?= /usr/local\n\nbeer: beer.c\n\tcc -o beer beer.c\n\ninstall: beer\n\tinstall -D beer $(DESTDIR)$(PREFIX)/bin/beer\n',
      'beer.c': '#include <stdio.h>\n\nint main(void) {\n  puts("a pint of lager");\n  return 0;\n}\n',
    },
  },
  {
    message: 'Add --strong\n\nPour a stout when asked for something stronger.',
    date: '2024-01-03T15:30:00+01:00',
    files: {
      'beer.c':
        '#include <stdio.h>\n#include <string.h>\n\nint main(int argc, char **argv) {\n  if (argc > 1 && strcmp(argv[1], "--strong") == 0) puts("a pint of stout");\n  else puts("a pint of lager");\n  return 0;\n}\n',
    },
  },
];

/**
 * Seeds the demo world of `pnpm gitlab-sim` (and of the bot's end-to-end tests): a source-git
 * project `src/beer` (upstream history, tag `v1.0`, `.distro/` packaging), its dist-git project
 * `rpms/beer`, a maintainer, a contributor with a fork, and the bot user, plus — given a
 * `webhookUrl` — the bot's group hooks (merge request and note events on `src`; pipeline, merge
 * request and push events on `rpms`).
 */
export async function seedDemo(sim: GitLabSimulator, options: DemoSeedOptions = {}): Promise<DemoWorld> {
  const maintainer = sim.createUser({
    username: 'maintainer',
    name: 'Mai Ntainer',
    email: 'maintainer@example.com',
  });
  const contributor = sim.createUser({
    username: 'contributor',
    name: 'Con Tributor',
    email: 'contributor@example.com',
  });
  const bot = sim.createUser({
    username: 'srcgit-bot',
    name: 'srcgit bot',
    email: 'srcgit-bot@example.com',
    bot: true,
  });
  const src = sim.createGroup({ path: 'src', name: 'Source-git' });
  const rpms = sim.createGroup({ path: 'rpms', name: 'Dist-git' });
  sim.addMember({ group: src }, maintainer, 'maintainer');
  sim.addMember({ group: rpms }, maintainer, 'maintainer');
  sim.addMember({ group: src }, bot, 'reporter');
  sim.addMember({ group: rpms }, bot, 'developer');

  const [first, ...rest] = UPSTREAM_HISTORY;
  const sourceGit = await sim.createProject({
    namespace: src.fullPath,
    path: 'beer',
    description: 'Source-git repository of beer',
    defaultBranch: BRANCH,
    creator: maintainer,
    files: first?.files ?? {},
    commitMessage: first?.message ?? 'Initial import',
  });
  for (const commit of rest) {
    await sim.commitFiles(sourceGit, {
      branch: BRANCH,
      files: commit.files,
      message: commit.message,
      author: UPSTREAM_AUTHOR,
      date: commit.date,
      user: maintainer,
    });
  }
  await sim.createTag(sourceGit, UPSTREAM_TAG, BRANCH, { message: 'beer 1.0', user: maintainer });
  await sim.commitFiles(sourceGit, {
    branch: BRANCH,
    files: { '.distro/beer.spec': SPEC, '.distro/source-git.yaml': SOURCE_GIT_YAML },
    message: 'Add packaging for beer 1.0',
    author: { name: maintainer.name, email: maintainer.email },
    date: '2024-01-08T09:00:00+01:00',
    user: maintainer,
  });

  const distGit = await sim.createProject({
    namespace: rpms.fullPath,
    path: 'beer',
    description: 'The beer rpms',
    defaultBranch: BRANCH,
    creator: maintainer,
    files: {
      'beer.spec': SPEC,
      sources: `SHA512 (beer-1.0.tar.gz) = ${TARBALL_SHA512}\n`,
      '.gitignore': '/beer-1.0.tar.gz\n',
      '.gitlab-ci.yml': DIST_GIT_CI,
    },
    commitMessage: 'Import beer 1.0-1',
  });

  const contributorFork = await sim.forkProject(sourceGit, contributor);

  const hooks: { sourceGit?: number; distGit?: number } = {};
  if (options.webhookUrl !== undefined) {
    const token = options.webhookToken ?? 'demo-webhook-secret';
    hooks.sourceGit = sim.addWebhook({
      group: src,
      url: options.webhookUrl,
      token,
      events: ['merge_request', 'note'],
    }).id;
    hooks.distGit = sim.addWebhook({
      group: rpms,
      url: options.webhookUrl,
      token,
      events: ['pipeline', 'merge_request', 'push'],
    }).id;
  }
  return {
    users: { maintainer, contributor, bot },
    groups: { src, rpms },
    projects: { sourceGit, distGit, contributorFork },
    branch: BRANCH,
    upstreamTag: UPSTREAM_TAG,
    hooks,
  };
}
