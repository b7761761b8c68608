import { ConverterError } from '@srcgit/dist-git-converter';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../core-error';
import { ForgeError } from '../forge/forge-error';
import { classifyWorkflowError, isUserActionableError } from './classify-workflow-error';

describe('classifyWorkflowError', () => {
  it('retries transient forge failures and git transport failures', () => {
    expect(classifyWorkflowError(new ForgeError('transient', 'GitLab answered 502'))).toBe('transient');
    expect(classifyWorkflowError(new CoreError('GIT_TRANSPORT_FAILED', 'git could not fetch'))).toBe(
      'transient',
    );
  });

  it('does not retry what retrying cannot fix', () => {
    expect(classifyWorkflowError(new ForgeError('permission', 'GitLab answered 403'))).toBe('permanent');
    expect(classifyWorkflowError(new ForgeError('not-found', 'GitLab answered 404'))).toBe('permanent');
    expect(classifyWorkflowError(new ConverterError('DIST_GIT_DIRTY', 'dirty'))).toBe('permanent');
    expect(classifyWorkflowError(new TypeError('a bug'))).toBe('permanent');
  });

  it('recognises contributor-fixable converter failures', () => {
    const error = new ConverterError('UPSTREAM_REF_UNKNOWN', 'upstream_ref v9.9 is not a tag or commit');
    expect(classifyWorkflowError(error)).toBe('user');
    expect(isUserActionableError(error)).toBe(true);
    // Also after crossing a process boundary as plain JSON data turned back into an Error.
    const revived = Object.assign(new Error(error.message), {
      name: 'ConverterError',
      code: 'PATCH_NAME_CONFLICT',
    });
    expect(isUserActionableError(revived)).toBe(true);
    expect(isUserActionableError(new ConverterError('GIT_FAILED', 'git crashed'))).toBe(false);
  });

  it("treats a conversion stopped at its time or memory limit as the contributor's problem", () => {
    const killed = new CoreError('CONVERSION_KILLED', 'the conversion used more than 1024 MB of memory');
    expect(isUserActionableError(killed)).toBe(true);
    expect(classifyWorkflowError(killed)).toBe('user');
    expect(isUserActionableError(new CoreError('PAIRING_CONFLICT', 'two MRs'))).toBe(false);
  });
});
