import { describe, expect, it } from 'vitest';
import { forkBranchName, isForkBranchOf, isLegacyForkBranch } from './fork-branch-name';

describe('forkBranchName', () => {
  it('fills the template without the spec version', () => {
    expect(forkBranchName('{dgBranch}-src-{sgIid}', 'c9s', 15)).toBe('c9s-src-15');
    expect(forkBranchName('srcgit/{dgBranch}/{sgIid}', 'rawhide', 3)).toBe('srcgit/rawhide/3');
  });

  it('recognises the versioned branches of the original bot', () => {
    expect(isLegacyForkBranch('11.3.0-c9s-src-15', 15)).toBe(true);
    expect(isLegacyForkBranch('c9s-src-15', 15)).toBe(true);
    expect(isLegacyForkBranch('c9s-src-150', 15)).toBe(false);
  });
});

describe('isForkBranchOf', () => {
  it('matches the template with any dist-git branch and the exact iid', () => {
    expect(isForkBranchOf('{dgBranch}-src-{sgIid}', 'c9s-src-15', 15)).toBe(true);
    expect(isForkBranchOf('{dgBranch}-src-{sgIid}', 'c10s-src-15', 15)).toBe(true);
    expect(isForkBranchOf('{dgBranch}-src-{sgIid}', 'c9s-src-16', 15)).toBe(false);
    expect(isForkBranchOf('{dgBranch}-src-{sgIid}', '-src-15x', 15)).toBe(false);
    expect(isForkBranchOf('srcgit/{dgBranch}/{sgIid}', 'srcgit/rawhide/3', 3)).toBe(true);
    expect(isForkBranchOf('srcgit/{dgBranch}/{sgIid}', 'srcgit//3', 3)).toBe(false);
    expect(isForkBranchOf('srcgit/{dgBranch}/{sgIid}', 'other/rawhide/3', 3)).toBe(false);
    expect(isForkBranchOf('{sgIid}/{dgBranch}/x/{dgBranch}', '3/a/x/b', 3)).toBe(true);
    expect(isForkBranchOf('{sgIid}/{dgBranch}/x/{dgBranch}', '3/a/x/', 3)).toBe(false);
  });

  it('accepts the legacy fork branches', () => {
    expect(isForkBranchOf('srcgit/{dgBranch}/{sgIid}', '11.3.0-c9s-src-15', 15)).toBe(true);
  });
});
