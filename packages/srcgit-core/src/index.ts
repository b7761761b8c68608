/**
 * @module
 * `@srcgit/core`: the srcgit bot's core — domain events, the `Forge` port, workflows and the
 * service configuration. It calls `@srcgit/dist-git-converter` and never imports GitLab code.
 */
export { CoreError } from './core-error';
export type { CoreErrorCode } from './core-error';
