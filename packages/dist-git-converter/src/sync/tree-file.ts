import { createHash } from 'node:crypto';

/** Git's file modes that a dist-git tree can hold: regular, executable, symbolic link. */
export type GitFileMode = '100644' | '100755' | '120000';

/** One file of a repository tree, held in memory: its git mode and its bytes (a link's target for `120000`). */
export interface TreeFile {
  readonly mode: GitFileMode;
  readonly content: Uint8Array;
}

/** A file as committed in a repository: its mode and blob id; the bytes are read only when needed. */
export interface CommittedFile {
  readonly mode: GitFileMode;
  readonly oid: string;
}

/**
 * A repository tree as `/`-separated relative path → file. Directories are implied by the paths
 * (git does not record empty directories).
 */
export type FileTree = ReadonlyMap<string, TreeFile>;

/** True when both files have the same mode and the same bytes. */
export function sameTreeFile(a: TreeFile, b: TreeFile): boolean {
  return a.mode === b.mode && view(a.content).equals(view(b.content));
}

/** The id git gives `content` as a blob (`git hash-object`), in a SHA-1 or a SHA-256 repository. */
export function blobOid(content: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
