import type { BeerFixture } from '@srcgit/test-fixtures';
import {
  updateDistGit,
  type UpdateDistGitOptions,
  type UpdateDistGitResult,
} from '../../src/update-dist-git';
import { fixedClock, fixedGitRunner } from './dist-git-state';

/**
 * `updateDistGit` from the fixture's source-git into its dist-git, committing with the message
 * "Update from source-git", with the fixture identities and fixed dates; `options` override.
 */
export function convertBeerFixture(
  fixture: BeerFixture,
  options: Partial<UpdateDistGitOptions> = {},
): Promise<UpdateDistGitResult> {
  return updateDistGit({
    sourceGitDir: fixture.sourceGit.dir,
    distGitDir: fixture.distGit.dir,
    git: fixedGitRunner(),
    now: fixedClock,
    message: 'Update from source-git',
    ...options,
  });
}
