/**
 * @module
 * What srcgit's tests run against: real processes and real repositories, never mocks of our own
 * modules. Private to the workspace.
 */
export { freePort } from './free-port';
export { privateRedisUrl } from './private-redis-url';
export { startRedisServer } from './redis-server';
export type { RedisServer, RedisServerOptions } from './redis-server';
export { createTempDir } from './temp-dir';
export type { TempDir } from './temp-dir';
export { runGit, runGitRaw, neutralGitEnv } from './run-git';
export type { RunGitOptions } from './run-git';
export { createGitRepo } from './git-repo';
export type { CommitOptions, GitRepo, GitRepoOptions, Tree, TreeEntry } from './git-repo';
export { createGitHttpHandler, startGitHttpServer } from './git-http-server';
export type { GitHttpAccess, GitHttpDecision, GitHttpServer, GitHttpServerOptions } from './git-http-server';
export {
  BEER_GITIGNORE,
  BEER_SOURCES,
  BEER_SPEC,
  DISTRO_GITIGNORE,
  FIXTURE_DATE,
  beerConfig,
  converterGitEnv,
  createBeerFixture,
  vectorDate,
} from './converter/beer-fixture';
export type { BeerConfigOptions, BeerFixture, BeerFixtureOptions } from './converter/beer-fixture';
export {
  createHelloFixture,
  HELLO_FUNKY_PATCH,
  HELLO_MAIL_PATCH,
  HELLO_PLAIN_PATCH,
  HELLO_SPEC,
} from './converter/hello-fixture';
export type { HelloFixture } from './converter/hello-fixture';
export { createCurlLikeFixture, CURL_SPEC_URL } from './converter/curl-like-fixture';
export type { CurlLikeFixture } from './converter/curl-like-fixture';
