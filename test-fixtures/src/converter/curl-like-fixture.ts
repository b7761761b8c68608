import { readFile } from 'node:fs/promises';
import { createGitRepo, type GitRepo } from '../git-repo';

/** The real curl.spec of the shared fixtures: 32 commented patches, `%bcond`, `%ifarch` in `%prep`. */
export const CURL_SPEC_URL = new URL('../../recorded/specs/curl.spec', import.meta.url);

export interface CurlLikeFixture {
  /** The upstream clone (tag `curl-8_6_0`, remote `origin`), to become source-git. */
  readonly sourceGit: GitRepo;
  /** `rpms/curl`: curl.spec, its 32 patch files, `sources`, `mykey.asc`, `.gitignore`, a gating test. */
  readonly distGit: GitRepo;
  readonly upstreamRef: string;
  /** The patch file names in the order `%prep` applies them. */
  readonly patchNames: readonly string[];
}

/** The Patch tags of a spec: number, file name, and the first comment line above (the subject). */
function patchTags(spec: string): { number: number; fileName: string; subject: string }[] {
  const lines = spec.split('\n');
  const tags: { number: number; fileName: string; subject: string }[] = [];
  lines.forEach((line, index) => {
    const match = /^Patch(\d+):\s*(\S+)\s*$/.exec(line);
    if (match === null) return;
    let start = index;
    while (start > 0 && lines[start - 1]?.startsWith('#') === true) start--;
    const subject = start < index ? (lines[start] ?? '').replace(/^#\s*/, '') : `Apply ${match[2] ?? ''}`;
    tags.push({ number: Number(match[1]), fileName: match[2] ?? '', subject });
  });
  return tags.sort((a, b) => a.number - b.number);
}

/** A small C-like source file with numbered lines, so that patches have context. */
function sourceFile(name: string): string {
  const lines = [`/* ${name} */`, '#include "curl_setup.h"', ''];
  for (let line = 1; line <= 40; line++)
    lines.push(`static int ${name.replace(/\W/g, '_')}_${line} = ${line};`);
  return `${lines.join('\n')}\n`;
}

/**
 * A dist-git shaped like Fedora's curl (the shared `curl.spec` verbatim: 32 commented Patch tags
 * with three-digit numbers, `%bcond`, `%ifarch` inside `%prep`, `%autosetup -p1`) and an upstream
 * clone whose tree the patches apply to in order: 30 `git format-patch` mails (several touching
 * the same file) and two plain git diffs (`0101`, `0102`), like curl's downstream patches.
 */
export async function createCurlLikeFixture(parent: string): Promise<CurlLikeFixture> {
  const spec = await readFile(CURL_SPEC_URL, 'utf8');
  const tags = patchTags(spec);
  const files: Record<string, string> = {
    README: 'curl is a tool for transferring data with URLs.\n',
    'tests/data/DISABLED': '# disabled tests\n1592\n',
    'tests/data/test323': '<testcase>\n35\n</testcase>\n',
    'tests/libtest/lib3026.c': '#define NUM_THREADS 1000\n',
    '.gitignore': '*.o\n',
  };
  for (let index = 0; index < 12; index++) files[`lib/module${index}.c`] = sourceFile(`module${index}`);

  const sourceGit = await createGitRepo({ dir: `${parent}/src/curl` });
  await sourceGit.commit('curl 8.6.0', { files });
  const upstreamRef = 'curl-8_6_0';
  await sourceGit.git(['tag', upstreamRef]);
  await sourceGit.git(['remote', 'add', 'origin', 'https://github.com/curl/curl.git']);

  // Make each patch as a commit of a scratch clone of upstream, then export it.
  const scratch = await createGitRepo({ dir: `${parent}/scratch` });
  await scratch.commit('curl 8.6.0', { files });
  const patches: Record<string, string> = {};
  for (const [position, tag] of tags.entries()) {
    const path = `lib/module${position % 12}.c`;
    const current = (await scratch.git(['show', `HEAD:${path}`])).split('\n');
    const line = 3 + ((position * 7) % 38);
    current[line] = `${current[line] ?? ''} /* ${tag.fileName} */`;
    await scratch.commit(`${tag.subject}\n\nDownstream change ${tag.number} of the curl-like fixture.\n`, {
      files: { [path]: current.join('\n') },
      author: { name: `Curl Dev ${position % 3}`, email: `dev${position % 3}@curl.example` },
    });
    patches[tag.fileName] =
      tag.number >= 100
        ? await scratch.git(['diff', 'HEAD~', 'HEAD'])
        : await scratch.git(['format-patch', '-1', '--stdout', 'HEAD']);
  }
  await scratch.remove();

  const distGit = await createGitRepo({ dir: `${parent}/rpms/curl` });
  await distGit.commit('Update to 8.6.0', {
    author: { name: 'Curl Packager', email: 'packager@example.com' },
    files: {
      'curl.spec': spec,
      ...patches,
      sources: 'SHA512 (curl-8.6.0.tar.xz) = 4a6f2c0b\nSHA512 (curl-8.6.0.tar.xz.asc) = 9e1d7b3a\n',
      'mykey.asc': '-----BEGIN PGP PUBLIC KEY BLOCK-----\nfixture\n-----END PGP PUBLIC KEY BLOCK-----\n',
      '.gitignore': '/curl-*.tar.xz\n/curl-*.tar.xz.asc\n',
      'tests/tests.yml': '- hosts: localhost\n  roles:\n  - role: standard-test-basic\n',
      'tests/scripts/run.sh': { content: '#!/bin/sh\ncurl --version\n', executable: true },
    },
  });
  return { sourceGit, distGit, upstreamRef, patchNames: tags.map((tag) => tag.fileName) };
}
