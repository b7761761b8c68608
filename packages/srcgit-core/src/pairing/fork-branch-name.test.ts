import { describe, expect, it } from 'vitest';
import { forkBranchName, isLegacyForkBranch } from './fork-branch-name';

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
