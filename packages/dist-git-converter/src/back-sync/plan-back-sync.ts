import type { SourceGitConfig } from '../config/source-git-config';
import type { GitRunner } from '../git/git-runner';
import { backSyncRefusal } from './back-sync-refusal';
import { listChangedPaths, type ChangedPath } from './changed-paths';
import type { DistroPathMap } from './distro-path-map';
import type { CommitInfo } from './list-commits';
import { readBlobs } from '../git/read-blobs';
import { describeSpecPatches, stripPatchEntries, type SpecPatchInfo } from './spec-patches';

/** A dist-git file change to mirror into source-git (`.distro/…`). */
export interface FileChange {
  readonly change: ChangedPath;
  /** Source-git path the old dist-git path maps to; undefined for additions. */
  readonly oldTarget: string | undefined;
  /** Source-git path the new dist-git path maps to; undefined for deletions. */
  readonly target: string | undefined;
}

/** A patch file change that becomes source-git code commits. */
export interface PatchChange {
  readonly fileName: string;
  /** The spec entry (after the commit for additions and updates, before it for removals). */
  readonly entry: SpecPatchInfo;
  /** The patch before the commit (updates, removals). */
  readonly before: Buffer | undefined;
  readonly beforeStrip: number;
  /** The patch after the commit (additions, updates). */
  readonly after: Buffer | undefined;
  readonly afterStrip: number;
}

/** Everything one dist-git commit turns into. */
export interface CommitPlan {
  readonly commit: CommitInfo;
  readonly merge: boolean;
  readonly files: readonly FileChange[];
  /** The `.distro` spec change: the dist-git spec before and after, without the generated Patch tags. */
  readonly spec: { readonly before: Buffer; readonly after: Buffer } | undefined;
  readonly reverted: readonly PatchChange[];
  readonly updated: readonly PatchChange[];
  readonly added: readonly PatchChange[];
}

export interface PlanBackSyncInput {
  readonly git: GitRunner;
  readonly distGitDir: string;
  readonly config: SourceGitConfig;
  readonly paths: DistroPathMap;
  /** Source-git path of the configuration file, never written from dist-git. */
  readonly configPath: string;
  readonly commits: readonly CommitInfo[];
  /** The `.distro` spec at source-git HEAD. */
  readonly distroSpec: string;
  readonly signal?: AbortSignal;
}

/**
 * Decides, before anything is written, what every dist-git commit of the range becomes in
 * source-git, and refuses the first change that cannot be brought over safely (docs/converter-behaviour.md
 * §3.2, patch-aware): `sources` changes; paths no `files_to_sync` entry produces; a patch whose
 * tag number or comment changed, or whose application became conditional; a new patch `%prep`
 * would apply before patches source-git already has.
 */
export async function planBackSync(input: PlanBackSyncInput): Promise<CommitPlan[]> {
  const { git, distGitDir, config, signal } = input;
  const distGitSpec = `${config.downstreamPackageName}.spec`;
  let distroNames = new Set(describeSpecPatches(input.distroSpec).map((entry) => entry.fileName));
  const plans: CommitPlan[] = [];
  for (const commit of input.commits) {
    if (commit.parents.length > 1) {
      plans.push({ commit, merge: true, files: [], spec: undefined, reverted: [], updated: [], added: [] });
      continue;
    }
    const parent = commit.parents[0];
    const changes = await listChangedPaths(git, distGitDir, commit.sha, parent, signal);
    const [specBeforeBytes, specAfterBytes] = await readBlobs(
      git,
      distGitDir,
      [parent === undefined ? '' : `${parent}:${distGitSpec}`, `${commit.sha}:${distGitSpec}`],
      signal,
    );
    if (specAfterBytes === undefined) {
      throw backSyncRefusal(
        'UNSUPPORTED_CHANGE',
        commit,
        distGitSpec,
        'the commit leaves dist-git without its spec file',
      );
    }
    const specBefore = specBeforeBytes?.toString('utf8') ?? '';
    const specAfter = specAfterBytes.toString('utf8');
    const before = specBeforeBytes === undefined ? [] : describeSpecPatches(specBefore);
    const after = describeSpecPatches(specAfter);
    const beforeByName = new Map(before.map((entry) => [entry.fileName, entry]));
    const afterByName = new Map(after.map((entry) => [entry.fileName, entry]));

    const managedBefore = before.filter((entry) => !distroNames.has(entry.fileName));
    const managedBeforeNames = new Set(managedBefore.map((entry) => entry.fileName));
    const reverted: SpecPatchInfo[] = [];
    const updatedNames: string[] = [];
    for (const entry of managedBefore) {
      const next = afterByName.get(entry.fileName);
      if (next === undefined) {
        reverted.push(entry);
        continue;
      }
      const refuse = (reason: string): never => {
        throw backSyncRefusal('UNSUPPORTED_CHANGE', commit, entry.fileName, reason);
      };
      if (next.application === undefined) {
        refuse(
          'the commit makes the patch conditional or stops applying it in %prep, which source-git cannot express for a patch it holds as commits; remove the patch in one commit and add it back as a conditional patch in another',
        );
      }
      if (next.number !== entry.number) {
        refuse(
          `the commit renumbers the patch from ${entry.number} to ${next.number}; source-git records the number in the Patch-id trailer of its commit, which cannot change without rewriting history`,
        );
      }
      if (next.commentLines.join('\n') !== entry.commentLines.join('\n')) {
        refuse(
          'the commit changes the comment above the patch tag; source-git records it in the Patch-status trailer of the patch commit, which cannot change without rewriting history',
        );
      }
      if (changes.some((change) => change.path === entry.fileName || change.oldPath === entry.fileName)) {
        updatedNames.push(entry.fileName);
      }
    }
    const addedEntries = after.filter(
      (entry) =>
        !beforeByName.has(entry.fileName) &&
        !distroNames.has(entry.fileName) &&
        entry.application !== undefined,
    );
    const managedAfterNames = new Set([
      ...managedBefore.filter((entry) => afterByName.has(entry.fileName)).map((entry) => entry.fileName),
      ...addedEntries.map((entry) => entry.fileName),
    ]);
    checkOrder(commit, after, managedBeforeNames, addedEntries);

    const patchNames = new Set([...managedBeforeNames, ...managedAfterNames]);
    const files: FileChange[] = [];
    for (const change of changes) {
      if (change.path === 'sources' || change.oldPath === 'sources') {
        throw backSyncRefusal(
          'UNSUPPORTED_CHANGE',
          commit,
          'sources',
          'the commit changes the lookaside sources file; source-git holds the upstream tree itself, so a new upstream archive means rebasing source-git onto the new upstream release by hand, then running "srcgit update-dist-git"',
        );
      }
      if (change.path === distGitSpec || change.oldPath === distGitSpec) {
        if (change.status === 'R') {
          throw backSyncRefusal(
            'UNSUPPORTED_CHANGE',
            commit,
            change.oldPath,
            `the commit renames the spec file to ${change.path}`,
          );
        }
        continue;
      }
      const oldIsPatch = patchNames.has(change.oldPath);
      const newIsPatch = patchNames.has(change.path);
      if (oldIsPatch && newIsPatch) continue;
      const resolveSide = (path: string, isPatch: boolean, present: boolean): string | undefined => {
        if (!present || isPatch) return undefined;
        const target = input.paths.resolve(path);
        if (target.kind === 'unmapped') {
          throw backSyncRefusal(
            'UNSUPPORTED_CHANGE',
            commit,
            path,
            `no files_to_sync entry of ${input.configPath} produces this dist-git file, so source-git has no place for it`,
          );
        }
        if (target.kind === 'dist-git-only' || target.path === input.configPath) return undefined;
        return target.path;
      };
      const oldTarget = resolveSide(change.oldPath, oldIsPatch, change.status !== 'A');
      const target = resolveSide(change.path, newIsPatch, change.status !== 'D');
      if (oldTarget === undefined && target === undefined) continue;
      files.push({ change, oldTarget, target });
    }

    const specChange = planSpecChange(
      specBefore,
      specAfter,
      specBeforeBytes !== undefined,
      managedBeforeNames,
      managedAfterNames,
    );
    const contents = await readBlobs(
      git,
      distGitDir,
      [
        ...reverted.map((entry) => `${parent ?? ''}:${entry.fileName}`),
        ...updatedNames.flatMap((name) => [`${parent ?? ''}:${name}`, `${commit.sha}:${name}`]),
        ...addedEntries.map((entry) => `${commit.sha}:${entry.fileName}`),
      ],
      signal,
    );
    let next = 0;
    const take = (): Buffer | undefined => contents[next++];
    const revertedChanges = reverted.map((entry): PatchChange => {
      const content = take();
      return {
        fileName: entry.fileName,
        entry,
        before: content,
        beforeStrip: entry.application?.strip ?? 1,
        after: undefined,
        afterStrip: 1,
      };
    });
    const updatedChanges = updatedNames.map((name): PatchChange => {
      const old = beforeByName.get(name) as SpecPatchInfo;
      const entry = afterByName.get(name) as SpecPatchInfo;
      return {
        fileName: name,
        entry,
        before: take(),
        beforeStrip: old.application?.strip ?? 1,
        after: take(),
        afterStrip: entry.application?.strip ?? 1,
      };
    });
    const addedChanges = addedEntries.map((entry): PatchChange => {
      const content = take();
      if (content === undefined) {
        throw backSyncRefusal(
          'UNSUPPORTED_CHANGE',
          commit,
          entry.fileName,
          'the spec declares this new patch, but the commit has no such file',
        );
      }
      return {
        fileName: entry.fileName,
        entry,
        before: undefined,
        beforeStrip: 1,
        after: content,
        afterStrip: entry.application?.strip ?? 1,
      };
    });
    for (const change of revertedChanges) {
      if (change.before === undefined) {
        throw backSyncRefusal(
          'UNSUPPORTED_CHANGE',
          commit,
          change.fileName,
          'the removed patch was not in dist-git before the commit, so there is nothing to revert',
        );
      }
    }

    plans.push({
      commit,
      merge: false,
      files,
      spec: specChange,
      reverted: revertedChanges,
      updated: updatedChanges,
      added: addedChanges,
    });
    distroNames = new Set(
      after.filter((entry) => !managedAfterNames.has(entry.fileName)).map((entry) => entry.fileName),
    );
  }
  return plans;
}

/**
 * Refuses patch changes whose source-git commits would not reproduce the order `%prep` applies
 * the patches in: source-git appends commits, so a new patch must come after every patch it
 * already holds. (An updated patch is fine anywhere: its fix-up commit at the end carries the
 * patch's `Patch-name`, and `generatePatchSeries` folds it back into the patch.)
 */
function checkOrder(
  commit: CommitInfo,
  after: readonly SpecPatchInfo[],
  managedBeforeNames: ReadonlySet<string>,
  added: readonly SpecPatchInfo[],
): void {
  const kept = after.filter(
    (entry) => managedBeforeNames.has(entry.fileName) && entry.application !== undefined,
  );
  const lastKept = kept.reduce<SpecPatchInfo | undefined>(
    (latest, entry) =>
      latest === undefined || (entry.application?.position ?? 0) > (latest.application?.position ?? 0)
        ? entry
        : latest,
    undefined,
  );
  for (const entry of added) {
    if (
      lastKept !== undefined &&
      (entry.application?.position ?? 0) < (lastKept.application?.position ?? 0)
    ) {
      throw backSyncRefusal(
        'UNSUPPORTED_CHANGE',
        commit,
        entry.fileName,
        `%prep applies the new patch (number ${entry.number}) before ${lastKept.fileName} (number ${lastKept.number}), which source-git already holds as commits; source-git can only append patches, so give the new patch a number after the last one`,
      );
    }
  }
}

function planSpecChange(
  before: string,
  after: string,
  existedBefore: boolean,
  managedBefore: ReadonlySet<string>,
  managedAfter: ReadonlySet<string>,
): { before: Buffer; after: Buffer } | undefined {
  const strippedBefore = existedBefore ? stripPatchEntries(before, managedBefore) : '';
  const strippedAfter = stripPatchEntries(after, managedAfter);
  if (existedBefore && strippedBefore === strippedAfter) return undefined;
  return { before: Buffer.from(strippedBefore), after: Buffer.from(strippedAfter) };
}
