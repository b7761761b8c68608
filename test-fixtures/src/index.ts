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
export { createRecordingGit } from './recording-git';
export type { RecordedGitCall, RecordingGit } from './recording-git';
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
export { startGitLabSimulator } from './gitlab-sim/start-gitlab-simulator';
export type {
  CommitFilesOptions,
  CreateMergeRequestOptions,
  CreateProjectOptions,
  GitLabSimulator,
  GitLabSimulatorOptions,
  GroupRef,
  ProjectConfiguration,
  ProjectRef,
  SimulatorGroup,
  SimulatorProject,
  SimulatorUser,
  UserRef,
  WebhookOptions,
} from './gitlab-sim/start-gitlab-simulator';
export { GitLabSimulatorError } from './gitlab-sim/simulator-error';
export type { GitLabSimulatorErrorCode } from './gitlab-sim/simulator-error';
export { AccessLevel } from './gitlab-sim/access-level';
export type { AccessLevelInput, AccessLevelValue } from './gitlab-sim/access-level';
export type { FaultSpec, InjectedFault } from './gitlab-sim/fault-injector';
export type { HookEventKind, WebhookDelivery } from './gitlab-sim/webhooks/webhook-dispatcher';
export type { CommitStatusInput, CommitStatusState } from './gitlab-sim/commit-statuses';
export type { UpdateMergeRequestInput } from './gitlab-sim/merge-requests';
export type {
  JobStatus,
  MergeRequestState,
  SimAwardEmoji,
  SimCommitStatus,
  SimHook,
  SimJob,
  SimMergeRequest,
  SimNote,
  SimPipeline,
  SimProject,
  SimUser,
  UserProfile,
  Visibility,
} from './gitlab-sim/sim-model';
export { seedDemo } from './gitlab-sim/demo-seed';
export type { DemoSeedOptions, DemoWorld } from './gitlab-sim/demo-seed';
export { startWebhookReceiver } from './gitlab-sim/webhook-receiver';
export type { ReceivedWebhook, WebhookReceiver } from './gitlab-sim/webhook-receiver';
export {
  GLIBC_LIKE_GENERATOR_VERSION,
  createGlibcLikeRepositories,
} from './converter/glibc-like-repositories';
export type { GlibcLikeOptions, GlibcLikeRepositories } from './converter/glibc-like-repositories';
export { FastImportStream } from './converter/fast-import-stream';
