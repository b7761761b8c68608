/**
 * @module
 * The live processes of a process group and their resident memory, from Linux's `/proc`.
 */
import { readFile, readdir } from 'node:fs/promises';

/** The live (not zombie) members of a process group and their summed resident set size. */
export interface ProcessGroupSnapshot {
  readonly pids: readonly number[];
  readonly rssBytes: number;
}

/**
 * The live processes of group `pgid` (a conversion child and the git processes it started) and
 * their summed RSS; `undefined` where `/proc` cannot be read (not Linux). Processes that exit
 * while being read are skipped.
 */
export async function readProcessGroup(pgid: number): Promise<ProcessGroupSnapshot | undefined> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return undefined;
  }
  const members = await Promise.all(
    names.filter((name) => /^\d+$/.test(name)).map((pid) => readMember(pid, pgid)),
  );
  const live = members.filter((member) => member !== undefined);
  return {
    pids: live.map((member) => member.pid),
    rssBytes: live.reduce((sum, member) => sum + member.rssBytes, 0),
  };
}

/** Process `pid` if it is a live member of group `pgid`. */
async function readMember(pid: string, pgid: number): Promise<{ pid: number; rssBytes: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) !== pgid || state === 'Z' || state === 'X') return undefined;
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return { pid: Number(pid), rssBytes: kib === undefined ? 0 : Number(kib) * 1024 };
  } catch {
    return undefined;
  }
}
