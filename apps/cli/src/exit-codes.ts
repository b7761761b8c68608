/**
 * @module
 * The exit codes of `srcgit`, defined once: the error boundary, `srcgit --help`, the README and
 * the tests all read them from here.
 */

/** How every `srcgit` command ends. */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  success: 0,
  /** An unexpected failure inside srcgit (a bug: please report it with the output). */
  internalError: 1,
  /**
   * Bad input or a refused conversion: arguments, paths, configuration, spec, limits, the
   * repositories' state, or git failing on them.
   */
  badInput: 2,
  /** GitLab (the forge) failed or refused: network, token, permissions, missing project. */
  forgeError: 3,
} as const;

/**
 * `srcgit status --exit-code`: where the repositories stand, as `git diff --exit-code` tells
 * whether there are differences. Above the error codes, so a script can tell both apart.
 */
export const STATUS_EXIT_CODES = {
  'in-sync': 0,
  'source-git-ahead': 10,
  'dist-git-ahead': 11,
  diverged: 12,
} as const;

/** The "Exit codes" section of `srcgit --help`. */
export function exitCodesHelp(): string {
  const rows: readonly (readonly [number, string])[] = [
    [EXIT_CODES.success, 'success'],
    [EXIT_CODES.internalError, 'internal error (a bug in srcgit: please report it)'],
    [EXIT_CODES.badInput, 'bad input or refused conversion (arguments, paths, config, spec, limits)'],
    [EXIT_CODES.forgeError, 'GitLab error (network, token, permissions)'],
    [STATUS_EXIT_CODES['source-git-ahead'], 'status --exit-code: source-git is ahead (run update-dist-git)'],
    [STATUS_EXIT_CODES['dist-git-ahead'], 'status --exit-code: dist-git is ahead (run update-source-git)'],
    [STATUS_EXIT_CODES.diverged, 'status --exit-code: the repositories diverged'],
  ];
  const lines = rows.map(([code, meaning]) => `  ${String(code).padEnd(4)}${meaning}`);
  return [
    '',
    'Exit codes:',
    ...lines,
    '',
    'With --json, a failure is printed on stdout as',
    '  {"schemaVersion": 1, "error": {"code", "message", "details"}}',
    'and every JSON output carries "schemaVersion".',
  ].join('\n');
}
