import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from './constant-time-equal';
import { authenticateWebhookToken } from './authenticate-webhook-token';
import { bindWebhookToken } from './bind-webhook-token';
import { verifyWebhookToken } from './verify-webhook-token';

const jwtSecret = 'gitlab-token-secret';
const payload = (path: string) => ({
  object_kind: 'merge_request',
  project: { path_with_namespace: path, git_http_url: `https://gitlab.com/${path}.git` },
});
const luksmeta = payload('redhat/centos-stream/rpms/luksmeta');

/** A token byte-for-byte as packit's PyJWT (`jwt.encode(claims, secret, algorithm="HS256")`) writes it. */
function pyJwtToken(claims: Record<string, string>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

describe('verifyWebhookToken with shared secrets', () => {
  const secrets = { sharedSecrets: ['old-secret', 's3cret'] };

  it('accepts a token equal to any configured secret', async () => {
    await expect(verifyWebhookToken('s3cret', secrets)).resolves.toEqual({
      valid: true,
      scheme: 'shared-secret',
    });
    await expect(verifyWebhookToken('old-secret', secrets)).resolves.toEqual({
      valid: true,
      scheme: 'shared-secret',
    });
  });

  it('rejects a delivery whose X-Gitlab-Token differs, by a character or by length', async () => {
    for (const token of ['s3creT', 's3cre', 's3crett', 'S3CRET']) {
      await expect(verifyWebhookToken(token, secrets)).resolves.toMatchObject({
        valid: false,
        reason: 'mismatch',
      });
    }
  });

  it('rejects a delivery without a token, telling what to set', async () => {
    await expect(verifyWebhookToken(undefined, secrets)).resolves.toEqual({
      valid: false,
      reason: 'missing-token',
      message: 'The delivery has no X-Gitlab-Token header; set the secret token on the hook.',
    });
    await expect(verifyWebhookToken('', secrets)).resolves.toMatchObject({ reason: 'missing-token' });
  });

  it('accepts nothing when no secret is configured', async () => {
    await expect(verifyWebhookToken('anything', {})).resolves.toMatchObject({
      valid: false,
      reason: 'no-secrets-configured',
    });
    await expect(verifyWebhookToken('anything', { sharedSecrets: [], jwtSecret: '' })).resolves.toMatchObject(
      {
        reason: 'no-secrets-configured',
      },
    );
  });
});

describe('verifyWebhookToken with packit JWT tokens', () => {
  it('accepts a namespace token made by packit for the payload project namespace', async () => {
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/rpms' }, jwtSecret);
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toEqual({
      valid: true,
      scheme: 'jwt',
      namespace: 'redhat/centos-stream/rpms',
      repoName: null,
    });
  });

  it('accepts a project token whose repo_name matches', async () => {
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/rpms', repo_name: 'luksmeta' }, jwtSecret);
    await expect(
      verifyWebhookToken(token, { jwtSecret, sharedSecrets: ['other'] }, luksmeta),
    ).resolves.toEqual({
      valid: true,
      scheme: 'jwt',
      namespace: 'redhat/centos-stream/rpms',
      repoName: 'luksmeta',
    });
  });

  it('accepts a token signed by another HS256 implementation (jose)', async () => {
    const token = await new SignJWT({ namespace: 'redhat/centos-stream/rpms' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(jwtSecret));
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toMatchObject({ valid: true });
  });

  it('rejects a token for another namespace, naming both', async () => {
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/src' }, jwtSecret);
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toEqual({
      valid: false,
      reason: 'wrong-namespace',
      message:
        'X-Gitlab-Token was issued for namespace "redhat/centos-stream/src", the payload is from "redhat/centos-stream/rpms"; mint a token for that namespace and set it as the hook secret.',
    });
  });

  it('rejects a group token for a project in a sub-group (exact namespace match, as packit)', async () => {
    const token = pyJwtToken({ namespace: 'redhat' }, jwtSecret);
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toMatchObject({
      valid: false,
      reason: 'wrong-namespace',
    });
  });

  it('rejects a project token for another repository', async () => {
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/rpms', repo_name: 'make' }, jwtSecret);
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toMatchObject({
      valid: false,
      reason: 'wrong-repo',
    });
  });

  it('rejects a token signed with another secret', async () => {
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/rpms' }, 'another-secret');
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toMatchObject({
      valid: false,
      reason: 'bad-signature',
    });
  });

  it('rejects malformed JWTs', async () => {
    // A correctly signed token whose payload is not JSON.
    const signingInput = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('not-json').toString('base64url')}`;
    const notJson = `${signingInput}.${createHmac('sha256', jwtSecret).update(signingInput).digest('base64url')}`;
    for (const token of ['a.b.c', notJson]) {
      await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toMatchObject({
        valid: false,
        reason: 'malformed-jwt',
      });
    }
  });

  it('rejects tokens with another algorithm, even when correctly signed', async () => {
    const token = await new SignJWT({ namespace: 'redhat/centos-stream/rpms' })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(jwtSecret));
    await expect(verifyWebhookToken(token, { jwtSecret }, luksmeta)).resolves.toMatchObject({
      valid: false,
      reason: 'malformed-jwt',
    });
  });

  it('rejects tokens without a namespace claim, and payloads without a project', async () => {
    await expect(
      verifyWebhookToken(pyJwtToken({ repo: 'x' }, jwtSecret), { jwtSecret }, luksmeta),
    ).resolves.toMatchObject({
      reason: 'missing-claims',
    });
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/rpms' }, jwtSecret);
    await expect(verifyWebhookToken(token, { jwtSecret }, { object_kind: 'push' })).resolves.toMatchObject({
      reason: 'unknown-project',
    });
  });

  it('binds the namespace to project.path_with_namespace, the project acted on, not to a URL field', async () => {
    // A token for the attacker's namespace, a payload whose URLs name it but whose project is the victim's.
    const token = pyJwtToken({ namespace: 'attacker' }, jwtSecret);
    const forged = {
      object_kind: 'note',
      project: {
        path_with_namespace: 'redhat/centos-stream/rpms/luksmeta',
        git_http_url: 'https://gitlab.com/attacker/luksmeta.git',
        web_url: 'https://gitlab.com/attacker/luksmeta',
      },
    };
    await expect(verifyWebhookToken(token, { jwtSecret }, forged)).resolves.toMatchObject({
      valid: false,
      reason: 'wrong-namespace',
    });
    const urlsOnly = { project: { git_http_url: 'https://gitlab.com/attacker/luksmeta.git' } };
    await expect(verifyWebhookToken(token, { jwtSecret }, urlsOnly)).resolves.toMatchObject({
      reason: 'unknown-project',
    });
  });

  it('treats a non-JWT token as a plain secret mismatch', async () => {
    await expect(verifyWebhookToken('plain', { jwtSecret }, luksmeta)).resolves.toMatchObject({
      reason: 'mismatch',
    });
  });
});

describe('authenticateWebhookToken then bindWebhookToken, the two steps of the server', () => {
  it('verifies a JWT from the header alone and leaves its claims unbound until the payload is read', async () => {
    const token = pyJwtToken({ namespace: 'redhat/centos-stream/rpms', repo_name: 'luksmeta' }, jwtSecret);
    const authentication = await authenticateWebhookToken(token, { jwtSecret });
    expect(authentication).toEqual({
      valid: true,
      scheme: 'jwt-unbound',
      claims: { namespace: 'redhat/centos-stream/rpms', repoName: 'luksmeta' },
    });
    expect(bindWebhookToken(authentication, luksmeta)).toEqual({
      valid: true,
      scheme: 'jwt',
      namespace: 'redhat/centos-stream/rpms',
      repoName: 'luksmeta',
    });
    expect(bindWebhookToken(authentication, payload('redhat/centos-stream/rpms/make'))).toMatchObject({
      valid: false,
      reason: 'wrong-repo',
    });
  });

  it('refuses an expired JWT before any payload is read', async () => {
    const token = await new SignJWT({ namespace: 'redhat/centos-stream/rpms' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(jwtSecret));
    await expect(authenticateWebhookToken(token, { jwtSecret })).resolves.toMatchObject({
      valid: false,
      reason: 'malformed-jwt',
    });
  });

  it('lets a shared secret and a rejection through the binding unchanged', async () => {
    const shared = await authenticateWebhookToken('s3cret', { sharedSecrets: ['s3cret'] });
    expect(bindWebhookToken(shared, undefined)).toEqual({ valid: true, scheme: 'shared-secret' });
    const refused = await authenticateWebhookToken('nope', { sharedSecrets: ['s3cret'] });
    expect(bindWebhookToken(refused, luksmeta)).toMatchObject({ valid: false, reason: 'mismatch' });
  });
});

describe('constantTimeEqual', () => {
  it('compares inputs of any length without throwing', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'a much longer secret than the other one')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('ünïcode', 'ünïcode')).toBe(true);
  });
});
