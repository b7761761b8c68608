/**
 * @module
 * `@srcgit/dist-git-converter`: conversions between an RPM package's source-git repository
 * (upstream history, downstream commits, packaging in `.distro/`) and its dist-git repository
 * (spec file, patch files, `sources`).
 */
export { ConverterError, isConverterError } from './converter-error';
export type { ConverterErrorCode } from './converter-error';
