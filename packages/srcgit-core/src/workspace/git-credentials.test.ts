import { describe, expect, it } from 'vitest';
import { remoteAccess } from './git-credentials';

describe('remoteAccess', () => {
  it('moves credentials out of the URL into a one-process Authorization header', () => {
    const access = remoteAccess('https://oauth2:glpat%2Fsecret@gitlab.example.com/rpms/beer.git');
    expect(access.url).toBe('https://gitlab.example.com/rpms/beer.git');
    expect(access.env).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('oauth2:glpat/secret').toString('base64')}`,
    });
  });

  it('leaves URLs without a password alone', () => {
    expect(remoteAccess('https://gitlab.example.com/rpms/beer.git')).toEqual({
      url: 'https://gitlab.example.com/rpms/beer.git',
      env: {},
    });
    expect(remoteAccess('/srv/git/beer.git')).toEqual({ url: '/srv/git/beer.git', env: {} });
  });
});
