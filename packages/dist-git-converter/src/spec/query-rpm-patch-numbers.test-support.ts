/**
 * @module
 * Test support (not part of the package): rpm itself as the oracle for the spec model. Runs
 * `rpmspec -P` (Debian's `rpm`) on a temp copy of a spec and reads the patch numbers rpm assigned,
 * through rpm's Lua `patches`/`patch_nums` tables, written to a file from the description of a
 * sub-package appended to the copy (after every other section, so every list section is complete).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createTempDir } from '@srcgit/test-fixtures';

export interface RpmPatchNumber {
  readonly number: number;
  /** The file name as rpm expanded it (base name of its `%{_sourcedir}` path). */
  readonly fileName: string;
}

/**
 * Parses `specText` with `rpmspec -P` and returns every patch rpm declares, in declaration order.
 *
 * @throws Error with rpm's message when rpm rejects the spec.
 */
export function queryRpmPatchNumbers(specText: string): RpmPatchNumber[] {
  const dir = createTempDir('rpmspec');
  try {
    const specPath = join(dir.path, 'oracle.spec');
    const outPath = join(dir.path, 'patches.txt');
    const lua =
      `%{lua: local f = io.open("${outPath}", "w"); ` +
      `for i, n in ipairs(patch_nums) do f:write(n .. " " .. patches[i] .. "\\n") end; f:close()}`;
    const separator = specText === '' || specText.endsWith('\n') ? '' : '\n';
    const oracle = `%package -n zz-rpm-oracle\nSummary: oracle\n%description -n zz-rpm-oracle\n${lua}\n`;
    writeFileSync(specPath, `${specText}${separator}${oracle}`);
    try {
      execFileSync(
        'rpmspec',
        ['-P', '--define', `_sourcedir ${dir.path}`, '--define', `_topdir ${dir.path}`, specPath],
        { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
      );
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`rpmspec -P rejected the spec: ${stderr.trim()}\n--- spec ---\n${specText}`, {
        cause: error,
      });
    }
    return readFileSync(outPath, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const space = line.indexOf(' ');
        const path = line.slice(space + 1);
        return {
          number: Number.parseInt(line.slice(0, space), 10),
          fileName: path.slice(path.lastIndexOf('/') + 1),
        };
      });
  } finally {
    rmSync(dir.path, { recursive: true, force: true });
  }
}
