/** Trailer in a source-git commit naming the dist-git commit it was synchronised with. */
export const FROM_DIST_GIT_COMMIT = 'From-dist-git-commit';

/** Trailer in a dist-git commit naming the source-git commit it was converted from. */
export const FROM_SOURCE_GIT_COMMIT = 'From-source-git-commit';
