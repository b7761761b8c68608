/**
 * Generates, deterministically, a package shaped like a real one patch by patch (for `pnpm bench`):
 * an upstream repository (a large tree, a long history, the release tag) and the packager's
 * dist-git — a long spec with one Patch tag per row of a {@link PatchShape} series, applied by
 * `%autosetup -p1`, and patch files written the way packagers write them (format-patch mails, a
 * description followed by a git diff, gendiff `diff -up` with `.orig` names, `diff -Nrup` with
 * timestamps), each with the row's size, file diffs, added/removed lines, renames, new, deleted
 * and binary files. Also renders a few more commits as mails, to be `git am`-ed on the
 * source-git that `srcgit init` makes ("new commits since the last sync").
 *
 * History is written with `git fast-import`; the patch files are rendered by git itself
 * (`format-patch`, `diff`) from commits made in a scratch repository that borrows upstream's
 * objects, so upstream holds nothing of the patches (init writes their blobs as it would for real).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FastImportStream, runGit, runGitRaw } from '../test-fixtures/src/index';
import type { PatchShape } from './patch-series-shape';

/** Bump when the generated content changes, so that caches keyed on it are rebuilt. */
export const SHAPED_PACKAGE_GENERATOR_VERSION = 1;

export interface ShapedPackageOptions {
  /** Parent directory; `upstream/`, `<name>/` (dist-git) and `new-commits/` are created in it. */
  readonly dir: string;
  /** Package name (dist-git directory and spec name). */
  readonly name: string;
  readonly version: string;
  /** The upstream release tag. */
  readonly upstreamRef: string;
  /** The patch series, in spec order. */
  readonly shape: readonly PatchShape[];
  /** Shapes of the commits rendered into `new-commits/` (made after the whole series). */
  readonly newCommits: readonly PatchShape[];
  /** Files in the upstream tree. */
  readonly files: number;
  /** Upstream commits up to the release tag. */
  readonly upstreamCommits: number;
  /** Lines of the final dist-git spec. */
  readonly specLines: number;
  readonly seed: number;
}

export interface ShapedPackage {
  readonly name: string;
  readonly upstreamDir: string;
  readonly distGitDir: string;
  readonly upstreamRef: string;
  /** The new commits as mails, in order (`git am` them). */
  readonly newCommitMails: readonly string[];
  readonly patches: number;
  readonly files: number;
  readonly specLines: number;
  /** Bytes of the generated patch files, and their file diffs. */
  readonly patchBytes: number;
  readonly fileDiffs: number;
}

const START = Date.UTC(2021, 0, 1) / 1000;
const COMMITTER = 'C O Mitter <committer@example.com>';

/** Generates the package (replacing what `dir` held). */
export async function createShapedPackage(options: ShapedPackageOptions): Promise<ShapedPackage> {
  const random = mulberry32(options.seed);
  const upstreamDir = join(options.dir, 'upstream');
  const renderDir = join(options.dir, 'render');
  const distGitDir = join(options.dir, options.name);
  const newCommitsDir = join(options.dir, 'new-commits');
  for (const dir of [upstreamDir, renderDir, distGitDir, newCommitsDir]) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }

  const tree = upstreamTree(random, options.files);
  const tag = await importUpstream(upstreamDir, tree, options, random);
  const series = options.shape.map((patch) => planCommit(random, tree, patch, options.version));
  const extra = options.newCommits.map((patch) => planCommit(random, tree, patch, options.version));
  const patchFiles = await renderPatchFiles(
    renderDir,
    upstreamDir,
    tag,
    series,
    extra,
    options,
    newCommitsDir,
  );
  await rm(renderDir, { recursive: true, force: true });
  const spec = await writeDistGit(distGitDir, options, patchFiles, random);
  const newCommitMails = (await readdir(newCommitsDir))
    .filter((file) => file.endsWith('.patch'))
    .sort()
    .map((file) => join(newCommitsDir, file));
  return {
    name: options.name,
    upstreamDir,
    distGitDir,
    upstreamRef: options.upstreamRef,
    newCommitMails,
    patches: options.shape.length,
    files: options.files,
    specLines: spec.split('\n').length - 1,
    patchBytes: patchFiles.reduce((sum, file) => sum + file.content.length, 0),
    fileDiffs: series.reduce((sum, commit) => sum + commit.fileDiffs, 0),
  };
}

/** The upstream tree: text files of varied length (most short, a long tail), and no binary yet. */
interface Tree {
  readonly text: Map<string, string[]>;
  readonly directories: string[];
}

function upstreamTree(random: () => number, count: number): Tree {
  const text = new Map<string, string[]>();
  const directoryCount = Math.max(1, Math.round(count / 60));
  const directories = Array.from(
    { length: directoryCount },
    (_, index) =>
      `${TOP_DIRECTORIES[index % TOP_DIRECTORIES.length] ?? 'misc'}/${pick(random, AREAS)}${index}`,
  );
  for (let index = 0; index < count; index++) {
    const directory = directories[index % directoryCount] ?? 'misc';
    const path = `${directory}/${pick(random, WORDS)}-${index}.${index % 5 === 0 ? 'h' : 'c'}`;
    const length = 10 + Math.floor(random() ** 8 * 360);
    const lines = [`/* File ${index}: generated for the srcgit benchmark. */`, '#include <stddef.h>', ''];
    for (let line = 0; line < length; line++) {
      lines.push(`static int value_${index}_${line} = ${Math.floor(random() * 100_000)};`);
    }
    text.set(path, lines);
  }
  return { text, directories };
}

/** Writes the upstream history (the tree, then small commits) and the release tag; returns the tag's commit. */
async function importUpstream(
  dir: string,
  tree: Tree,
  options: ShapedPackageOptions,
  random: () => number,
): Promise<string> {
  const stream = new FastImportStream();
  const paths = [...tree.text.keys()];
  let time = START - options.upstreamCommits * 3_600;
  for (let index = 0; index < options.upstreamCommits; index++) {
    time += 3_600;
    stream.line('commit refs/heads/main');
    stream.line(`author ${pick(random, AUTHORS)} ${time} +0000`);
    stream.line(`committer ${COMMITTER} ${time} +0000`);
    stream.data(index === 0 ? 'Initial import\n' : `${pick(random, SUBJECTS)} (upstream change ${index})\n`);
    const changed = index === 0 ? paths : [pick(random, paths), pick(random, paths)];
    for (const path of changed) {
      const lines = tree.text.get(path) ?? [];
      if (index > 0) lines.splice(3, 1, `static int upstream_${index} = ${Math.floor(random() * 100_000)};`);
      stream.line(`M 100644 inline ${path}`);
      stream.data(`${lines.join('\n')}\n`);
    }
    stream.line('');
  }
  stream.line(`reset refs/tags/${options.upstreamRef}`);
  stream.line('from refs/heads/main');
  stream.line('');
  stream.line('done');
  await runGit(['init', '--quiet', '--initial-branch=main', dir], { cwd: dir });
  await configure(dir);
  await runGitRaw(['fast-import', '--quiet', '--done'], { cwd: dir, input: stream.bytes() });
  await runGit(['reset', '--quiet', '--hard', 'main'], { cwd: dir });
  return (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim();
}

/** A planned commit: its message and author, and its changes as fast-import commands. */
interface PlannedCommit {
  readonly shape: PatchShape;
  readonly author: string;
  readonly subject: string;
  readonly body: string;
  readonly changes: readonly (string | Buffer)[];
  readonly fileDiffs: number;
}

/** One file diff of a patch, planned before the lines are written (their width depends on the total). */
type PlannedFile =
  | { kind: 'modify'; path: string; add: number; remove: number }
  | { kind: 'new'; path: string; add: number }
  | { kind: 'delete'; path: string }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'binary'; path: string };

/**
 * Plans the commit of one patch: which files it modifies, creates, deletes, renames or writes as
 * binary, with the row's counts of added and removed lines, and added lines as wide as it takes
 * for the patch file to come out near the row's size. Updates `tree`.
 */
function planCommit(random: () => number, tree: Tree, shape: PatchShape, version: string): PlannedCommit {
  const files = chooseFiles(random, tree, shape);
  const { width, padding } = addedLineWidth(tree, shape, files);
  const changes: (string | Buffer)[] = [];
  let serial = 0;
  const addedLine = (): string => {
    serial++;
    const text = `\tr${shape.order}_${serial} = f (${Math.floor(random() * 1_000)});`;
    return text.length + 8 >= width ? text : `${text} /* ${filler(random, width - text.length - 6)} */`;
  };
  for (const file of files) {
    if (file.kind === 'delete') {
      tree.text.delete(file.path);
      changes.push(`D ${file.path}\n`);
    } else if (file.kind === 'rename') {
      const lines = tree.text.get(file.from) ?? [];
      tree.text.delete(file.from);
      tree.text.set(file.to, lines);
      changes.push(`D ${file.from}\n`, inlineChange(file.to, `${lines.join('\n')}\n`));
    } else if (file.kind === 'binary') {
      const bytes = Buffer.from(Array.from({ length: 512 }, () => Math.floor(random() * 256)));
      changes.push(inlineChange(file.path, bytes));
    } else if (file.kind === 'new') {
      const lines = ['/* Added by the patch. */', ...Array.from({ length: file.add - 1 }, addedLine)];
      tree.text.set(file.path, lines);
      changes.push(inlineChange(file.path, `${lines.join('\n')}\n`));
    } else {
      const lines = tree.text.get(file.path) ?? [];
      editInHunks(lines, file.add, file.remove, addedLine);
      changes.push(inlineChange(file.path, `${lines.join('\n')}\n`));
    }
  }
  const bug = 30_000 + Math.floor(random() * 2_000);
  const subject =
    shape.order > 7
      ? `${pick(random, AREAS)}: ${pick(random, SUBJECTS)} (BZ #${bug})`
      : `${pick(random, SUBJECTS)} (downstream, rhbz#${2_000_000 + bug})`;
  const explanation = padding > 0 ? `\n\n${wrap(filler(random, padding))}` : '';
  const body =
    shape.bytes < 1_000
      ? `${pick(random, BODIES)}\n`
      : shape.order > 7
        ? `${pick(random, BODIES)}${explanation}\n\nReviewed-by: ${pick(random, AUTHORS)}\n(cherry picked from commit ${hex(random, 40)})\n`
        : `${pick(random, BODIES)}${explanation}\n\nThis patch is needed until ${version} is replaced.\n`;
  return { shape, author: pick(random, AUTHORS), subject, body, changes, fileDiffs: files.length };
}

function chooseFiles(random: () => number, tree: Tree, shape: PatchShape): PlannedFile[] {
  const taken = new Set<string>();
  const files: PlannedFile[] = [];
  const modifications = shape.files - shape.renames - shape.newFiles - shape.deletedFiles - shape.binary;
  let removedByDeletion = 0;
  const deletedLength = Math.ceil(shape.removed / Math.max(1, shape.deletedFiles));
  for (let index = 0; index < shape.deletedFiles; index++) {
    const path = existingFile(random, tree, taken, 0, deletedLength);
    removedByDeletion += tree.text.get(path)?.length ?? 0;
    files.push({ kind: 'delete', path });
  }
  for (let index = 0; index < shape.renames; index++) {
    const from = existingFile(random, tree, taken, 0);
    const to = `${pick(random, tree.directories)}/${from.slice(from.lastIndexOf('/') + 1)}`.replace(
      /(\.[ch])$/,
      `-moved${shape.order}$1`,
    );
    files.push({ kind: 'rename', from, to });
  }
  for (let index = 0; index < shape.binary; index++) {
    files.push({
      kind: 'binary',
      path: `${pick(random, tree.directories)}/data-${shape.order}-${index}.bin`,
    });
  }
  const addedInNewFiles =
    shape.newFiles === 0
      ? 0
      : modifications === 0
        ? shape.added
        : Math.round((shape.added * shape.newFiles) / (shape.newFiles + modifications));
  const newShares = split(random, Math.max(addedInNewFiles, shape.newFiles), shape.newFiles);
  for (const [index, add] of newShares.entries()) {
    files.push({
      kind: 'new',
      path: `${pick(random, tree.directories)}/new-${shape.order}-${index}.${index % 3 === 0 ? 'h' : 'c'}`,
      add: Math.max(1, add),
    });
  }
  const addShares = split(random, shape.added - addedInNewFiles, modifications);
  const removeShares = split(random, Math.max(0, shape.removed - removedByDeletion), modifications);
  for (let index = 0; index < modifications; index++) {
    let add = addShares[index] ?? 0;
    const remove = removeShares[index] ?? 0;
    if (add + remove === 0) add = 1;
    const path = existingFile(random, tree, taken, remove + 8);
    const available = Math.max(0, (tree.text.get(path)?.length ?? 0) - 8);
    files.push({ kind: 'modify', path, add, remove: Math.min(remove, available) });
  }
  return files;
}

/**
 * The width of added lines that brings the patch file near the row's size: what is left of the
 * size after the headers, removed lines and context, shared by the added lines; and, when even
 * the widest lines leave the patch short, the bytes of explanation its message gets.
 */
function addedLineWidth(
  tree: Tree,
  shape: PatchShape,
  files: readonly PlannedFile[],
): { width: number; padding: number } {
  const header = shape.style === 'format-patch' ? 560 : shape.style === 'git-diff' ? 300 : 60;
  let fixed = header;
  let added = 0;
  for (const file of files) {
    fixed += 150;
    if (file.kind === 'delete') fixed += lineBytes(tree.text.get(file.path) ?? []);
    else if (file.kind === 'binary') fixed += 700;
    else if (file.kind === 'new') added += file.add;
    else if (file.kind === 'modify') {
      added += file.add;
      fixed += hunks(file.add, file.remove, tree.text.get(file.path)?.length ?? 0) * (7 * 40 + 30);
      fixed += file.remove * 40;
    }
  }
  const width =
    added === 0
      ? 40
      : Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round((shape.bytes - fixed) / added) - 2));
  const padding = shape.style === 'gendiff' ? 0 : shape.bytes - fixed - added * (width + 2);
  return { width, padding: padding > 80 ? padding : 0 };
}

const MIN_WIDTH = 16;
const MAX_WIDTH = 100;

/** Text as lines of at most 72 characters. */
function wrap(text: string): string {
  return text.replace(/(.{1,72})(?: |$)/g, '$1\n').trimEnd();
}

function lineBytes(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 2, 0);
}

function hunks(add: number, remove: number, length: number): number {
  return Math.max(1, Math.min(Math.ceil((add + remove) / 12), Math.floor(length / 14)));
}

/** Replaces `remove` lines with `add` new ones, spread over hunks far enough apart to stay separate. */
function editInHunks(lines: string[], add: number, remove: number, addedLine: () => string): void {
  const count = hunks(add, remove, lines.length);
  const adds = evenly(add, count);
  const removes = evenly(remove, count);
  const segment = Math.floor(lines.length / count);
  for (let hunk = count - 1; hunk >= 0; hunk--) {
    const removeHere = removes[hunk] ?? 0;
    const at = Math.max(3, hunk * segment + Math.floor((segment - removeHere) / 2));
    lines.splice(at, removeHere, ...Array.from({ length: adds[hunk] ?? 0 }, addedLine));
  }
}

/** A file not yet used by this commit with `minLines` to `maxLines` lines (or the closest of a few hundred tried). */
function existingFile(
  random: () => number,
  tree: Tree,
  taken: Set<string>,
  minLines: number,
  maxLines = Infinity,
): string {
  const paths = [...tree.text.keys()];
  const length = (path: string): number => tree.text.get(path)?.length ?? 0;
  const distance = (path: string): number => Math.max(0, minLines - length(path), length(path) - maxLines);
  let best = '';
  for (let attempt = 0; attempt < 400; attempt++) {
    const path = pick(random, paths);
    if (taken.has(path) || path.includes('/new-')) continue;
    if (best === '' || distance(path) < distance(best)) best = path;
    if (distance(best) === 0) break;
  }
  taken.add(best);
  return best;
}

/** A dist-git patch file. */
interface PatchFile {
  readonly shape: PatchShape;
  readonly name: string;
  readonly content: Buffer;
  readonly author: string;
}

/**
 * Commits the series (then the new commits) in a scratch repository that borrows upstream's
 * objects, and renders each commit in its row's style; the new commits go to `newCommitsDir` as mails.
 */
async function renderPatchFiles(
  renderDir: string,
  upstreamDir: string,
  tag: string,
  series: readonly PlannedCommit[],
  extra: readonly PlannedCommit[],
  options: ShapedPackageOptions,
  newCommitsDir: string,
): Promise<PatchFile[]> {
  await runGit(['init', '--quiet', '--initial-branch=main', renderDir], { cwd: renderDir });
  await configure(renderDir);
  await writeFile(join(renderDir, '.git/objects/info/alternates'), `${join(upstreamDir, '.git/objects')}\n`);
  const stream = new FastImportStream();
  let time = START;
  for (const [index, commit] of [...series, ...extra].entries()) {
    time += 86_400;
    stream.line('commit refs/heads/main');
    stream.line(`author ${commit.author} ${time} +0000`);
    stream.line(`committer ${COMMITTER} ${time} +0000`);
    stream.data(`${commit.subject}\n\n${commit.body}`);
    if (index === 0) stream.line(`from ${tag}`);
    for (const change of commit.changes) stream.raw(change);
    stream.line('');
  }
  stream.line('done');
  await runGitRaw(['fast-import', '--quiet', '--done'], { cwd: renderDir, input: stream.bytes() });
  const shas = (await runGit(['rev-list', '--reverse', `${tag}..main`], { cwd: renderDir }))
    .trim()
    .split('\n');

  const mailsDir = join(renderDir, 'mails');
  await runGit(['format-patch', '--quiet', '-M', '-o', mailsDir, `${tag}..main`], { cwd: renderDir });
  const mails = (await readdir(mailsDir)).sort();
  const files: PatchFile[] = [];
  for (const [index, commit] of series.entries()) {
    const name = patchFileName(options.name, options.version, commit.shape, index);
    const mail = await readFile(join(mailsDir, mails[index] ?? ''));
    if (commit.shape.style === 'format-patch') {
      files.push({ shape: commit.shape, name, content: mail, author: commit.author });
      continue;
    }
    const sha = shas[index] ?? '';
    const diff = await runGit(['diff', '-M', '--binary', `${sha}^`, sha], { cwd: renderDir });
    const description = `Short description: ${commit.subject}\nAuthor(s): ${commit.author}\nOrigin: PATCH\nUpstream status: not-needed\n\n${commit.body}\n`;
    const content =
      commit.shape.style === 'git-diff'
        ? `${description}${diff}`
        : `${index % 2 === 0 ? description : ''}${traditionalDiff(diff, `${options.name}-${options.version}`, index % 4 === 1)}`;
    files.push({ shape: commit.shape, name, content: Buffer.from(content), author: commit.author });
  }
  for (const [position, mail] of mails.slice(series.length).entries()) {
    await writeFile(
      join(newCommitsDir, `${String(position + 1).padStart(4, '0')}.patch`),
      await readFile(join(mailsDir, mail)),
    );
  }
  return files;
}

/**
 * A git diff of text files rewritten as packagers' tools write it: gendiff's `diff -up` with the
 * old name `<path>.orig`, or `diff -Nrup` between `<top>.orig/` and `<top>/`, with timestamps.
 */
function traditionalDiff(diff: string, top: string, recursive: boolean): string {
  const out: string[] = [];
  let path = '';
  for (const line of diff.split('\n')) {
    const header = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
    if (header !== null) {
      path = header[2] ?? '';
      out.push(
        recursive
          ? `diff -Nrup ${top}.orig/${path} ${top}/${path}`
          : `diff -up ${top}/${path}.orig ${top}/${path}`,
      );
      continue;
    }
    if (/^(index |new file mode |deleted file mode |similarity |rename )/.test(line)) continue;
    if (line.startsWith('--- ')) {
      out.push(
        `--- ${recursive ? `${top}.orig/${path}` : `${top}/${path}.orig`}\t2024-01-31 09:12:44.000000000 +0100`,
      );
    } else if (line.startsWith('+++ ')) {
      out.push(`+++ ${top}/${path}\t2024-02-01 15:40:02.591833284 +0100`);
    } else out.push(line);
  }
  return out.join('\n');
}

function patchFileName(name: string, version: string, shape: PatchShape, index: number): string {
  if (shape.order > 7) return `${name}-upstream-${version}-${shape.order - 7}.patch`;
  return `${name}-${shape.style === 'gendiff' ? 'fedora' : 'rh'}-${WORDS[index % WORDS.length] ?? 'fix'}-${shape.order}.patch`;
}

/**
 * The dist-git: a first commit with the spec (no patches yet), `sources`, `.gitignore` and a few
 * packaging files, then one commit per patch (its file, its Patch tag, a changelog entry) by a
 * packager. Returns the final spec.
 */
async function writeDistGit(
  dir: string,
  options: ShapedPackageOptions,
  patchFiles: readonly PatchFile[],
  random: () => number,
): Promise<string> {
  const filler =
    options.specLines - specText(options, patchFiles.length, 0, patchFiles).split('\n').length + 1;
  const stream = new FastImportStream();
  let time = START;
  const commit = (message: string, changes: readonly Buffer[]): void => {
    time += 43_200;
    stream.line('commit refs/heads/main');
    stream.line(`author ${pick(random, PACKAGERS)} ${time} +0000`);
    stream.line(`committer ${COMMITTER} ${time} +0000`);
    stream.data(message);
    for (const change of changes) stream.raw(change);
    stream.line('');
  };
  commit('Initial import', [
    inlineChange(`${options.name}.spec`, specText(options, 0, filler)),
    inlineChange('sources', `SHA512 (${options.name}-${options.version}.tar.xz) = ${hex(random, 128)}\n`),
    inlineChange('.gitignore', `/${options.name}-*.tar.xz\n`),
    inlineChange('README.scripts', 'Helper scripts for maintaining this package.\n'),
    inlineChange('gating.yaml', '--- !Policy\nproduct_versions:\n  - fedora-*\n'),
    inlineChange('tests/Sanity/basic/runtest.sh', '#!/bin/bash\nrlJournalStart\nrlJournalEnd\n', '100755'),
  ]);
  for (const [index, file] of patchFiles.entries()) {
    commit(`Add ${file.name} (${file.shape.tag})\n`, [
      inlineChange(file.name, file.content),
      inlineChange(`${options.name}.spec`, specText(options, index + 1, filler, patchFiles)),
    ]);
  }
  stream.line('done');
  await runGit(['init', '--quiet', '--initial-branch=main', dir], { cwd: dir });
  await configure(dir);
  await runGitRaw(['fast-import', '--quiet', '--done'], { cwd: dir, input: stream.bytes() });
  await runGit(['reset', '--quiet', '--hard', 'main'], { cwd: dir });
  return specText(options, patchFiles.length, filler, patchFiles);
}

/**
 * The spec with the first `patchCount` Patch tags: preamble, tags (some with a comment above),
 * sub-packages, `%prep` with `%autosetup -p1`, build and install scripts, file lists, and a
 * changelog; `filler` lines of install script and changelog bring it to the wanted length.
 */
function specText(
  options: ShapedPackageOptions,
  patchCount: number,
  filler: number,
  patchFiles: readonly PatchFile[] = [],
): string {
  const lines = [
    `%global srcdir ${options.name}-${options.version}`,
    '%bcond_without testsuite',
    '',
    `Summary: The ${options.name} package`,
    `Name: ${options.name}`,
    `Version: ${options.version}`,
    `Release: ${patchCount + 1}%{?dist}`,
    'License: LGPL-2.1-or-later AND GPL-2.0-or-later',
    `URL: https://example.org/${options.name}/`,
    `Source0: https://example.org/${options.name}/%{srcdir}.tar.xz`,
    'Source1: README.scripts',
    '',
  ];
  for (const [index, file] of patchFiles.slice(0, patchCount).entries()) {
    if (file.shape.order <= 7)
      lines.push(`# ${index % 2 === 0 ? 'Not needed upstream' : 'Upstream: pending'}`);
    lines.push(`${file.shape.tag}: ${file.name}`);
  }
  lines.push(
    '',
    'BuildRequires: gcc, make, bison, perl-interpreter',
    '',
    '%description',
    `The ${options.name} package.`,
    '',
  );
  for (const sub of ['common', 'devel', 'headers', 'utils', 'static', 'doc']) {
    lines.push(
      `%package ${sub}`,
      `Summary: ${sub} files`,
      '',
      `%description ${sub}`,
      `The ${sub} files.`,
      '',
    );
  }
  lines.push(
    '%prep',
    '%autosetup -n %{srcdir} -p1',
    '',
    '%build',
    '%configure',
    '%make_build',
    '',
    '%install',
    '%make_install',
  );
  const installLines = Math.floor(filler / 2);
  for (let index = 0; index < installLines; index++) {
    lines.push(`install -p -m 644 build/file-${index} %{buildroot}%{_libdir}/${options.name}/file-${index}`);
  }
  lines.push('', '%files', '%license COPYING', '%{_libdir}/*.so.*', '', '%changelog');
  let remaining = filler - installLines;
  for (let entry = 0; remaining > 0; entry++) {
    const block = [
      `* Mon Jan ${String(1 + (entry % 28)).padStart(2, '0')} 2024 Packager ${entry % 40} <packager${entry % 40}@example.com> - ${options.version}-${400 - entry}`,
      `- Sync with upstream branch (RHEL-${10_000 + entry})`,
      '',
    ];
    lines.push(...block.slice(0, remaining));
    remaining -= block.length;
  }
  return `${lines.join('\n')}\n`;
}

function inlineChange(path: string, content: string | Uint8Array, mode = '100644'): Buffer {
  const bytes = Buffer.from(content);
  return Buffer.concat([
    Buffer.from(`M ${mode} inline ${path}\ndata ${bytes.length}\n`),
    bytes,
    Buffer.from('\n'),
  ]);
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

/** `total` split into `parts` uneven whole shares (one patch file usually carries most of a change). */
function split(random: () => number, total: number, parts: number): number[] {
  if (parts <= 0) return [];
  const weights = Array.from({ length: parts }, () => random() ** 2 + 0.05);
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / sum));
  shares[0] = (shares[0] ?? 0) + total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

function evenly(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, index) => Math.floor((total * (index + 1)) / parts) - Math.floor((total * index) / parts),
  );
}

function filler(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += `${pick(random, FILLER_WORDS)} `;
  return text.slice(0, Math.max(1, length)).trimEnd();
}

function hex(random: () => number, length: number): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
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
  'manual',
  'localedata',
];
const AREAS = [
  'elf',
  'nptl',
  'malloc',
  'string',
  'iconv',
  'posix',
  'nss',
  'libio',
  'x86',
  'aarch64',
  'powerpc',
  'resolv',
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
  'Avoid a race in dlopen',
  'Correct the cancellation state',
  'Harden tcache checks',
  'Accept the new charset alias',
  'Handle EINTR in the spawn path',
  'Adjust the default configuration',
  'Do not crash on a malformed entry',
  'Add test case for the regression',
  'Use the correct alignment on this target',
];
const BODIES = [
  'The previous code could read past the end of the buffer when the input was not terminated.',
  'Reported by a user; the reproducer is now part of the test suite.',
  'This is a downstream-only change required by the distribution policy.',
  'Backport of the upstream fix with context adjusted for this release.',
];
const AUTHORS = [
  'Florian Weimer <fweimer@example.com>',
  'Adhemerval Zanella <adhemerval@example.org>',
  'Carlos O Donell <carlos@example.com>',
  'H J Lu <hjl@example.com>',
  'Siddhesh Poyarekar <siddhesh@example.org>',
  'Arjun Shankar <arjun@example.com>',
];
const PACKAGERS = ['Patsy Packager <patsy@example.org>', 'Paul Packager <paul@example.org>'];
const FILLER_WORDS = [
  'the',
  'buffer',
  'length',
  'is',
  'checked',
  'before',
  'use',
  'so',
  'that',
  'no',
  'overflow',
  'occurs',
];
