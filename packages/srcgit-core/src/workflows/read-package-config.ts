/**
 * @module
 * Reads the source-git configuration of a merge request's head through the forge.
 */
import { isConverterError, parseSourceGitConfig } from '@srcgit/dist-git-converter';
import type { SourceGitConfig } from '@srcgit/dist-git-converter';
import type { Forge } from '../forge/forge';
import { isForgeError } from '../forge/forge-error';

/** The configuration, or why there is none. */
export type PackageConfigLookup =
  | { readonly ok: true; readonly config: SourceGitConfig; readonly packageName: string }
  | { readonly ok: false; readonly problem: 'missing' | 'invalid'; readonly detail: string };

/** Where to read it. */
export interface PackageConfigLocation {
  /** The MR's source project (the contributor's fork) and its target project, numeric ids. */
  readonly sourceProjectId: number;
  readonly targetProjectId: number;
  readonly headSha: string;
  /** e.g. `.distro/source-git.yaml`. */
  readonly configPath: string;
}

/**
 * Reads and validates the source-git configuration at the MR head (docs/bot-behaviour.md §1.A
 * precondition 4). The head is read from the MR's target project first — GitLab mirrors every MR
 * head there (`refs/merge-requests/<iid>/head`) and the bot can always read it — then from the
 * source project (the contributor's fork), which may be private to the bot.
 */
export async function readPackageConfig(
  forge: Forge,
  location: PackageConfigLocation,
): Promise<PackageConfigLookup> {
  const read = async (project: number): Promise<Uint8Array | null> => {
    try {
      return await forge.readFile(project, location.configPath, location.headSha);
    } catch (error) {
      if (isForgeError(error, 'not-found', 'permission')) return null;
      throw error;
    }
  };
  let bytes = await read(location.targetProjectId);
  if (bytes === null && location.sourceProjectId !== location.targetProjectId) {
    bytes = await read(location.sourceProjectId);
  }
  if (bytes === null) {
    return {
      ok: false,
      problem: 'missing',
      detail: `${location.configPath} does not exist in ${location.headSha}`,
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return {
      ok: false,
      problem: 'invalid',
      detail: `${location.configPath}: the file is not valid UTF-8 text`,
    };
  }
  let config: SourceGitConfig;
  try {
    config = parseSourceGitConfig(text, `/${location.configPath}`, { displayPath: location.configPath });
  } catch (error) {
    if (!isConverterError(error)) throw error;
    return { ok: false, problem: 'invalid', detail: error.message };
  }
  if (config.downstreamPackageName.trim() === '') {
    return {
      ok: false,
      problem: 'invalid',
      detail: `${location.configPath}: downstream_package_name is required to find the dist-git repository`,
    };
  }
  return { ok: true, config, packageName: config.downstreamPackageName };
}
