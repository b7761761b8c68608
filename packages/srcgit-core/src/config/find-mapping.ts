/**
 * @module
 * The target filter and routing of docs/bot-behaviour.md §1: which mapping handles a source-git MR.
 */
import type { NamespaceMapping, ServiceConfig } from './service-config';

/**
 * The mapping handling a merge request into `sourceGitProjectPath` (e.g.
 * `redhat/centos-stream/src/make`) on `targetBranch`, or `null` when none does (the MR is not
 * handled). A mapping matches when the project lives directly in its `sourceGitNamespace` and the
 * branch fully matches its `branches` regular expression; the first match wins.
 *
 * @example
 * findMapping(config, 'redhat/centos-stream/src/make', 'c9s')?.distGitNamespace; // 'redhat/centos-stream/rpms'
 */
export function findMapping(
  config: Pick<ServiceConfig, 'mappings'>,
  sourceGitProjectPath: string,
  targetBranch: string,
): NamespaceMapping | null {
  const slash = sourceGitProjectPath.lastIndexOf('/');
  if (slash === -1) return null;
  const namespace = sourceGitProjectPath.slice(0, slash);
  return (
    config.mappings.find(
      (mapping) =>
        mapping.sourceGitNamespace === namespace &&
        new RegExp(`^(?:${mapping.branches})$`).test(targetBranch),
    ) ?? null
  );
}

/** The dist-git project path of a package under a mapping: `<distGitNamespace>/<package>`. */
export function distGitProjectPath(mapping: NamespaceMapping, packageName: string): string {
  return `${mapping.distGitNamespace}/${packageName}`;
}
