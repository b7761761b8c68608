import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

/** Every temp directory of this process lives under one root that is removed when it exits. */
function processRoot(): string {
  if (root === undefined) {
    const created = mkdtempSync(join(tmpdir(), `srcgit-test-${process.pid}-`));
    root = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return root;
}

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** Creates an empty directory that is removed at the latest when the test process exits. */
export function createTempDir(prefix = 'dir'): TempDir {
  const parent = processRoot();
  mkdirSync(parent, { recursive: true });
  const path = mkdtempSync(join(parent, `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
