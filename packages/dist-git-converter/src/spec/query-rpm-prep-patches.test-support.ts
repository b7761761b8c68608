/**
 * @module
 * Test support (not part of the package): rpm itself as the oracle for what `%prep` applies. Runs
 * `rpmspec -P` on a spec in a directory that also holds (empty) patch files, and reads the patch
 * files the expanded `%prep` names — `%patch`, `%autopatch`, `%autosetup`, `%{patches}` loops all
 * expand to commands naming the file's path.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createTempDir } from '@srcgit/test-fixtures';

/**
 * The patch files among `fileNames` that the expanded `%prep` of `specText` names, in the order
 * they first appear. The spec is expanded by `rpmspec -P` with `_sourcedir` (where the files are)
 * set to a temp directory, so `%autopatch` finds them.
 *
 * @throws Error with rpm's message when rpm rejects the spec.
 */
export function queryRpmPrepPatches(specText: string, fileNames: readonly string[]): string[] {
  const dir = createTempDir('rpmspec-prep');
  try {
    const specPath = join(dir.path, 'oracle.spec');
    writeFileSync(specPath, specText);
    for (const name of fileNames) writeFileSync(join(dir.path, name), 'diff --git a/x b/x\n');
    let expanded: string;
    try {
      expanded = execFileSync(
        'rpmspec',
        ['-P', '--define', `_sourcedir ${dir.path}`, '--define', `_topdir ${dir.path}`, specPath],
        { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
      );
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`rpmspec -P rejected the spec: ${stderr.trim()}\n--- spec ---\n${specText}`, {
        cause: error,
      });
    }
    const prep = prepSection(expanded);
    return fileNames
      .map((name) => ({ name, at: prep.indexOf(`${dir.path}/${name}`) }))
      .filter((found) => found.at !== -1)
      .sort((a, b) => a.at - b.at)
      .map((found) => found.name);
  } finally {
    rmSync(dir.path, { recursive: true, force: true });
  }
}

/** The expanded `%prep` section: from its header to the next section header. */
function prepSection(expanded: string): string {
  const lines = expanded.split('\n');
  const start = lines.findIndex((line) => /^%prep\b/.test(line));
  if (start === -1) return '';
  const end = lines.findIndex((line, index) => index > start && /^%[a-z_]+\s*$/.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}
