import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit, runGitRaw } from '../run-git';
import { FastImportStream } from './fast-import-stream';

/** The shape of a generated glibc-like package. Defaults give the size of glibc's source-git. */
export interface GlibcLikeOptions {
  /** Parent directory; `source-git/` and `dist-git/` are created in it (replaced when present). */
  readonly dir: string;
  /** Files in the upstream tree. Default 20 000. */
  readonly files?: number;
  /** Upstream commits before the release tag. Default 3 000. */
  readonly upstreamCommits?: number;
  /** Downstream patches (spec Patch tags). Default 127. */
  readonly patches?: number;
  /** Of those, how many consist of two adjacent commits with one `Patch-name`. Default 2. */
  readonly squashedPatches?: number;
  /** `.distro`-only downstream commits. Default 1. */
  readonly distroCommits?: number;
  /** Seed of the pseudo-random content. Default 1. */
  readonly seed?: number;
}

export interface GlibcLikeRepositories {
  readonly sourceGitDir: string;
  /** Dist-git as before the first sync: spec (without Patch tags), `sources`, `.gitignore`. */
  readonly distGitDir: string;
  /** The upstream release tag, `upstream_ref` of the config. */
  readonly upstreamRef: string;
  /** Downstream commits after the init commit (patch commits plus `.distro`-only ones). */
  readonly downstreamCommits: number;
  readonly patches: number;
  readonly files: number;
  /** Lines of `.distro/glibc.spec`. */
  readonly specLines: number;
}

/** Bump when the generated content changes, so that caches keyed on it are rebuilt. */
export const GLIBC_LIKE_GENERATOR_VERSION = 2;

const IDENTITY = 'A U Thor <author@example.com>';
const START = Date.UTC(2020, 0, 1) / 1000;
const UPSTREAM_REF = 'glibc-2.39';

/**
 * Generates, deterministically (same options → same commit shas), a source-git repository shaped
 * like glibc's — a large upstream tree with a long history, the release tag, the init commit with
 * `.distro/` (a ~250-line spec without Patch tags, its config and packaging files) and downstream
 * commits: one per patch (with `Patch-name`/`Patch-status` trailers on many, two commits for the
 * squashed ones) plus `.distro`-only commits — and its dist-git before the first sync.
 *
 * History is written with one `git fast-import`, so the full size takes seconds. Used by
 * `pnpm bench` (full size) and by tests (small sizes).
 */
export async function createGlibcLikeRepositories(options: GlibcLikeOptions): Promise<GlibcLikeRepositories> {
  const fileCount = options.files ?? 20_000;
  const upstreamCommits = options.upstreamCommits ?? 3_000;
  const patchCount = options.patches ?? 127;
  const squashed = Math.min(options.squashedPatches ?? 2, patchCount);
  const distroCommits = options.distroCommits ?? 1;
  const random = mulberry32(options.seed ?? 1);
  const sourceGitDir = join(options.dir, 'source-git');
  const distGitDir = join(options.dir, 'dist-git');
  await rm(sourceGitDir, { recursive: true, force: true });
  await rm(distGitDir, { recursive: true, force: true });
  await mkdir(sourceGitDir, { recursive: true });
  await mkdir(distGitDir, { recursive: true });

  const spec = glibcSpec(mulberry32((options.seed ?? 1) + 1));
  // Dist-git before the first sync.
  await runGit(['init', '--quiet', '--initial-branch=main', distGitDir], { cwd: distGitDir });
  await configure(distGitDir);
  await writeFile(join(distGitDir, 'glibc.spec'), spec);
  await writeFile(join(distGitDir, 'sources'), 'SHA512 (glibc-2.39.tar.xz) = 0123\n');
  await writeFile(join(distGitDir, '.gitignore'), '/glibc-*.tar.xz\n');
  await runGit(['add', '--all'], { cwd: distGitDir });
  await runGit(['commit', '--quiet', '-m', 'Initial dist-git commit'], {
    cwd: distGitDir,
    env: { GIT_AUTHOR_DATE: `@${START} +0000`, GIT_COMMITTER_DATE: `@${START} +0000` },
  });

  const distGitInitial = (await runGit(['rev-parse', 'HEAD'], { cwd: distGitDir })).trim();

  // Upstream tree: directories of C sources and headers.
  const paths: string[] = [];
  const contents = new Map<string, string[]>();
  const directories = Math.max(1, Math.round(fileCount / 80));
  for (let index = 0; index < fileCount; index++) {
    const directory = `${TOP_DIRECTORIES[index % TOP_DIRECTORIES.length] ?? 'misc'}/d${index % directories}`;
    const path = `${directory}/${WORDS[index % WORDS.length] ?? 'f'}-${index}.${index % 5 === 0 ? 'h' : 'c'}`;
    paths.push(path);
    contents.set(path, sourceLines(random, 12 + Math.floor(random() * 40), index));
  }

  const stream = new FastImportStream();
  let mark = 0;
  let time = START;
  const commit = (message: string, changes: readonly string[], from?: string): number => {
    mark++;
    time += 3_600;
    stream.line('commit refs/heads/main');
    stream.line(`mark :${mark}`);
    stream.line(`author ${IDENTITY} ${time} +0000`);
    stream.line(`committer C O Mitter <committer@example.com> ${time} +0000`);
    stream.data(message);
    if (from !== undefined) stream.line(`from ${from}`);
    for (const change of changes) stream.raw(change);
    stream.line('');
    return mark;
  };
  const modify = (path: string, text: string, mode = '100644'): string => {
    const bytes = Buffer.from(text);
    return `M ${mode} inline ${path}\ndata ${bytes.length}\n${text}\n`;
  };

  commit(
    'Initial import',
    paths.map((path) => modify(path, `${(contents.get(path) ?? []).join('\n')}\n`)),
  );
  for (let index = 1; index < upstreamCommits; index++) {
    const changes: string[] = [];
    const touched = 1 + Math.floor(random() * 4);
    for (let k = 0; k < touched; k++) {
      const path = paths[Math.floor(random() * paths.length)] as string;
      changes.push(modify(path, `${editLines(random, contents, path, index).join('\n')}\n`));
    }
    commit(`${pick(random, SUBJECTS)} (upstream change ${index})\n\nSigned-off-by: ${IDENTITY}\n`, changes);
  }
  stream.line(`reset refs/tags/${UPSTREAM_REF}`);
  stream.line(`from :${mark}`);
  stream.line('');

  // The init commit: .distro/ with the spec, the config and packaging files.
  const distroFiles: Record<string, string> = {
    '.distro/glibc.spec': spec,
    '.distro/.gitignore': '# Reset gitignore rules\n!*\n',
    '.distro/source-git.yaml': GLIBC_CONFIG,
    '.distro/nscd.conf': 'logfile /var/log/nscd.log\nthreads 4\n',
    '.distro/glibc.req.in': '#!/bin/sh\n# dependency generator\nexec sed -e s/x/y/\n',
    '.distro/tests/Sanity/basic/runtest.sh':
      '#!/bin/bash\n. /usr/share/beakerlib/beakerlib.sh\nrlJournalStart\n',
    '.distro/gating.yaml': '--- !Policy\nproduct_versions:\n  - fedora-*\n',
  };
  commit(
    `Initialize as a source-git repository\n\nFrom-dist-git-commit: ${distGitInitial}\n`,
    Object.entries(distroFiles).map(([path, text]) =>
      modify(path, text, path.endsWith('.sh') ? '100755' : '100644'),
    ),
  );

  // Downstream commits: one per patch, two for a squashed one, and .distro-only ones spread in.
  let downstream = 0;
  let distroDone = 0;
  const distroEvery =
    distroCommits === 0 ? Infinity : Math.max(1, Math.floor(patchCount / (distroCommits + 1)));
  for (let patch = 0; patch < patchCount; patch++) {
    const bug = 1_000_000 + Math.floor(random() * 1_000_000);
    const named = patch % 3 !== 2;
    const parts = patch < squashed ? 2 : 1;
    for (let part = 0; part < parts; part++) {
      const path = paths[Math.floor(random() * paths.length)] as string;
      const lines = editLines(random, contents, path, upstreamCommits + patch * 2 + part);
      const trailers = [
        ...(named || parts > 1 ? [`Patch-name: glibc-rh${bug}.patch`] : []),
        ...(patch % 4 === 0 && part === 0 ? ['Patch-status: |', `    # Upstream: RHBZ#${bug}`] : []),
        `Signed-off-by: ${IDENTITY}`,
      ];
      commit(
        `${pick(random, SUBJECTS)} (rhbz#${bug}${parts > 1 ? `, part ${part + 1}` : ''})\n\n${pick(random, BODIES)}\n\n${trailers.join('\n')}\n`,
        [modify(path, `${lines.join('\n')}\n`)],
      );
      downstream++;
    }
    if ((patch + 1) % distroEvery === 0 && distroDone < distroCommits) {
      distroDone++;
      commit(`Update nscd.conf (${patch})\n`, [
        modify('.distro/nscd.conf', `logfile /var/log/nscd.log\nthreads ${patch}\n`),
      ]);
      downstream++;
    }
  }

  stream.line('done');
  await runGit(['init', '--quiet', '--initial-branch=main', sourceGitDir], { cwd: sourceGitDir });
  await configure(sourceGitDir);
  await runGitRaw(['fast-import', '--quiet', '--done'], { cwd: sourceGitDir, input: stream.bytes() });
  await runGit(['reset', '--quiet', '--hard', 'main'], { cwd: sourceGitDir });

  return {
    sourceGitDir,
    distGitDir,
    upstreamRef: UPSTREAM_REF,
    downstreamCommits: downstream,
    patches: patchCount,
    files: fileCount,
    specLines: spec.split('\n').length - 1,
  };
}

async function configure(dir: string): Promise<void> {
  for (const [key, value] of [
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
    ['commit.gpgsign', 'false'],
    ['user.name', 'C O Mitter'],
    ['user.email', 'committer@example.com'],
  ] as const) {
    await runGit(['config', key, value], { cwd: dir });
  }
}

const GLIBC_CONFIG = `upstream_ref: ${UPSTREAM_REF}
downstream_package_name: glibc
specfile_path: .distro/glibc.spec
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

const TOP_DIRECTORIES = [
  'sysdeps',
  'elf',
  'nptl',
  'stdio-common',
  'malloc',
  'string',
  'iconvdata',
  'posix',
  'nss',
  'libio',
];
const WORDS = [
  'memcpy',
  'strlen',
  'dl-load',
  'pthread',
  'vfprintf',
  'malloc',
  'iconv',
  'getaddrinfo',
  'fork',
  'tst',
];
const SUBJECTS = [
  'Fix buffer overflow in string handling',
  'elf: Avoid a race in dlopen',
  'nptl: Correct the cancellation state',
  'malloc: Harden tcache checks',
  'iconv: Accept the new charset alias',
  'posix: Handle EINTR in the spawn path',
  'Downstream: adjust the default configuration',
  'nss: Do not crash on a malformed entry',
];
const BODIES = [
  'The previous code could read past the end of the buffer when the input was not terminated.',
  'Reported by a customer; the reproducer is in the bug.',
  'This is a downstream-only change required by the distribution policy.',
  'Backport of the upstream fix with context adjusted for this release.',
];

function sourceLines(random: () => number, count: number, seed: number): string[] {
  const lines = [`/* File ${seed}: generated for the srcgit benchmark. */`, '#include <stddef.h>', ''];
  for (let index = 0; index < count; index++) {
    lines.push(`static int value_${seed}_${index} = ${Math.floor(random() * 100_000)};`);
  }
  return lines;
}

function editLines(
  random: () => number,
  contents: Map<string, string[]>,
  path: string,
  stamp: number,
): string[] {
  const lines = [...(contents.get(path) ?? [])];
  const at = 3 + Math.floor(random() * Math.max(1, lines.length - 3));
  if (random() < 0.3 && lines.length > 6) lines.splice(at, 1);
  else
    lines.splice(
      at,
      random() < 0.5 ? 1 : 0,
      `static int changed_${stamp} = ${Math.floor(random() * 100_000)};`,
    );
  contents.set(path, lines);
  return lines;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A glibc-like spec of about 250 lines: macros, sub-packages, scripts, file lists, changelog. */
function glibcSpec(random: () => number): string {
  const lines = [
    '%global glibcsrcdir glibc-2.39',
    '%global glibcversion 2.39',
    '%global glibcrelease 1',
    '%bcond_without testsuite',
    '%bcond_with bootstrap',
    '',
    'Summary: The GNU libc libraries',
    'Name: glibc',
    'Version: %{glibcversion}',
    'Release: %{glibcrelease}%{?dist}',
    'License: LGPL-2.1-or-later AND GPL-2.0-or-later',
    'URL: http://www.gnu.org/software/glibc/',
    'Source0: %{?glibc_release_url}%{glibcsrcdir}.tar.xz',
    'Source1: nscd.conf',
    'Source2: glibc.req.in',
    '',
  ];
  for (const requirement of [
    'gcc',
    'make',
    'bison',
    'texinfo',
    'perl-interpreter',
    'python3',
    'gd-devel',
    'libpng-devel',
    'zlib-devel',
    'libselinux-devel',
    'audit-libs-devel',
    'systemtap-sdt-devel',
    'gettext',
    'binutils',
  ]) {
    lines.push(`BuildRequires: ${requirement}`);
  }
  lines.push(
    'Requires: %{name}-common = %{version}-%{release}',
    '',
    '%description',
    'The glibc package contains standard libraries which are used by',
    'multiple programs on the system.',
    '',
  );
  const subpackages = [
    'common',
    'devel',
    'headers',
    'utils',
    'static',
    'langpack-en',
    'locale-source',
    'minimal-langpack',
    'nss-devel',
    'benchtests',
    'doc',
    'gconv-extra',
  ];
  for (const subpackage of subpackages) {
    lines.push(
      `%package ${subpackage}`,
      `Summary: The ${subpackage} part of glibc`,
      'Requires: %{name} = %{version}-%{release}',
      '',
      `%description ${subpackage}`,
      `The glibc-${subpackage} package holds the ${subpackage} files of glibc.`,
      '',
    );
  }
  lines.push('%prep', '%autosetup -n %{glibcsrcdir} -p1', '', '%build', 'mkdir -p build', 'pushd build');
  for (let index = 0; index < 18; index++)
    lines.push(`../configure --option-${index}=value${Math.floor(random() * 100)} \\`);
  lines.push(
    '  --prefix=%{_prefix}',
    '%make_build',
    'popd',
    '',
    '%install',
    'pushd build',
    '%make_install',
    'popd',
  );
  for (let index = 0; index < 20; index++)
    lines.push(`install -p -m 644 %{SOURCE1} %{buildroot}/etc/file-${index}`);
  lines.push('', '%check', '%if %{with testsuite}', 'make check || :', '%endif', '');
  for (const subpackage of subpackages) {
    lines.push(`%files ${subpackage}`, `%{_libdir}/${subpackage}/*`, `%doc README.${subpackage}`, '');
  }
  lines.push('%files', '%license COPYING COPYING.LIB', '%{_libdir}/libc.so.6', '', '%changelog');
  for (let index = 0; index < 25; index++) {
    lines.push(
      `* Mon Jan ${String(1 + (index % 28)).padStart(2, '0')} 2024 Packager ${index} <packager${index}@example.com> - 2.38-${30 - index}`,
      `- Rebuild with fixes for rhbz#${2_000_000 + index}`,
      '',
    );
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
