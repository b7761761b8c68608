import type { GitRunner } from '../git/git-runner';
import { addTrailers, type Trailer } from './add-trailers';
import { backSyncRefusal } from './back-sync-refusal';
import { commitPatchFile } from './commit-patch-file';
import type { PatchCommitIndex } from './patch-commit-index';
import { patchTrailers } from './patch-trailers';
import { patchUpdateDiff } from './patch-update-diff';
import { findPatchesInTheWay } from './patches-in-the-way';
import type { CommitPlan, FileChange, PatchChange } from './plan-back-sync';
import { mergeText } from './merge-text';
import { readBlobs } from '../git/read-blobs';
import type { CommitAuthor, IndexEntry, ScratchIndex } from './scratch-index';
import { FROM_DIST_GIT_COMMIT } from '../status/sync-trailers';
import { unsafePathReason } from '../sync/unsafe-path-reason';

/** What a source-git commit made by `updateSourceGit` holds. */
export type SourceGitCommitKind = 'distro' | 'patch-added' | 'patch-updated' | 'patch-reverted' | 'marker';

export interface CreatedSourceGitCommit {
  readonly sha: string;
  readonly subject: string;
  readonly kind: SourceGitCommitKind;
  /** The dist-git patch file, for patch commits. */
  readonly patchName: string | undefined;
}

export interface ApplyCommitPlanContext {
  readonly git: GitRunner;
  readonly distGitDir: string;
  readonly sourceGitDir: string;
  readonly index: ScratchIndex;
  /** Source-git path of the `.distro` spec. */
  readonly specfilePath: string;
  /** Which source-git commits hold each patch file. */
  readonly patchCommits: PatchCommitIndex;
  readonly signal?: AbortSignal;
}

/** The state of the source-git side while commits are applied one after another. */
export interface BackSyncState {
  head: string;
  tree: string;
}

/**
 * Applies one planned dist-git commit to the scratch index and commits the result on top of
 * `state.head`: first the `.distro` changes (files mirrored with a check that source-git still
 * has the version the commit started from, else a three-way merge; the spec merged without its
 * generated Patch tags), then one commit per updated, removed and added patch. Every commit keeps
 * the dist-git author and date (or the patch's own, for mail patches) and carries
 * `From-dist-git-commit`. When the commit produces nothing and `markEmpty` is set, an empty commit
 * records the sync.
 */
export async function applyCommitPlan(
  plan: CommitPlan,
  state: BackSyncState,
  context: ApplyCommitPlanContext,
  markEmpty: boolean,
): Promise<CreatedSourceGitCommit[]> {
  const { git, index, signal } = context;
  const { commit } = plan;
  const author: CommitAuthor = {
    name: commit.authorName,
    email: commit.authorEmail,
    date: commit.authorDate,
  };
  const marker: Trailer = { token: FROM_DIST_GIT_COMMIT, value: commit.sha };
  const created: CreatedSourceGitCommit[] = [];
  const record = async (message: string, kind: SourceGitCommitKind, patchName?: string, who = author) => {
    const sha = await index.commit(message, state.head, who);
    state.head = sha;
    state.tree = await index.writeTree();
    created.push({ sha, subject: message.split('\n', 1)[0] ?? '', kind, patchName });
  };

  if (!plan.merge) {
    await applyFiles(plan, context);
    await applySpec(plan, context);
    const tree = await index.writeTree();
    if (tree !== state.tree) {
      await record(await addTrailers(git, index.repoDir, commit.message, [marker], signal), 'distro');
    }
    for (const change of plan.updated) {
      await update(change, plan, state, context);
      if ((await index.writeTree()) === state.tree) continue;
      const message = `Update patch ${change.fileName}\n\n${commit.subject}\n`;
      await record(
        await addTrailers(
          git,
          index.repoDir,
          message,
          [{ token: 'Patch-name', value: change.fileName }, marker],
          signal,
        ),
        'patch-updated',
        change.fileName,
      );
      const made = created.at(-1);
      if (made !== undefined) context.patchCommits.add(change.fileName, [made]);
    }
    for (const change of plan.reverted) {
      const holders = await context.patchCommits.commitsOf(change.fileName);
      if (holders.length === 0) {
        await reverse(
          change,
          plan,
          context,
          'reverting the patch conflicts with later changes in source-git',
        );
        await record(
          await addTrailers(git, index.repoDir, `Revert patch ${change.fileName}\n`, [marker], signal),
          'patch-reverted',
          change.fileName,
        );
      }
      for (const holder of [...holders].reverse()) {
        const diff = await git.run(
          [
            'diff-tree',
            '-p',
            '--binary',
            '--full-index',
            '--no-commit-id',
            '-M',
            `${holder.sha}^`,
            holder.sha,
            '--',
            '.',
            ...context.patchCommits.excludePaths.map((path) => `:(exclude)${path}`),
          ],
          { cwd: context.sourceGitDir, ...(signal === undefined ? {} : { signal }) },
        );
        const reverted = await index.tryApply(diff.stdout, ['-R']);
        if (!reverted.ok) {
          throw backSyncRefusal(
            'PATCH_APPLY_FAILED',
            commit,
            change.fileName,
            `reverting source-git commit ${holder.sha} ("${holder.subject}") conflicts with later changes in source-git: ${reverted.message}`,
          );
        }
        const message = `Revert "${holder.subject}"\n\nThis reverts commit ${holder.sha}.\n`;
        await record(
          await addTrailers(git, index.repoDir, message, [marker], signal),
          'patch-reverted',
          change.fileName,
        );
      }
      context.patchCommits.remove(change.fileName);
    }
    for (const change of plan.added) {
      const commits = await commitPatchFile({
        git,
        index,
        parent: state.head,
        fileName: change.fileName,
        content: change.after ?? Buffer.alloc(0),
        strip: change.afterStrip,
        trailers: [...patchTrailers(change.fileName, change.entry, change.afterStrip), marker],
        author,
        message: `Apply patch ${change.fileName}\n`,
        failure: (reason) =>
          backSyncRefusal(
            'PATCH_APPLY_FAILED',
            commit,
            change.fileName,
            `the new patch does not apply to source-git: ${reason}`,
          ),
        ...(signal === undefined ? {} : { signal }),
      });
      for (const made of commits) {
        created.push({
          sha: made.sha,
          subject: made.subject,
          kind: 'patch-added',
          patchName: change.fileName,
        });
      }
      const last = commits.at(-1);
      if (last !== undefined) {
        state.head = last.sha;
        state.tree = await index.writeTree();
      }
    }
  }
  if (created.length === 0 && markEmpty) {
    await record(await addTrailers(git, index.repoDir, commit.message, [marker], signal), 'marker');
  }
  return created;
}

/**
 * Brings an edited patch's change into the index: the difference between what the old and the new
 * patch produce on the commit the patch applies to ({@link patchUpdateDiff}), applied at the end
 * of source-git — for any patch of the series, not only the last one. A patch source-git holds no
 * commits of (or whose old version does not apply there) is taken out and put back at HEAD.
 */
async function update(
  change: PatchChange,
  plan: CommitPlan,
  state: BackSyncState,
  context: ApplyCommitPlanContext,
): Promise<void> {
  const holders = await context.patchCommits.commitsOf(change.fileName);
  const first = holders[0];
  const computed =
    first === undefined
      ? undefined
      : await patchUpdateDiff({
          git: context.git,
          repoDir: context.sourceGitDir,
          base: `${first.sha}^`,
          before: change.before ?? Buffer.alloc(0),
          beforeStrip: change.beforeStrip,
          after: change.after ?? Buffer.alloc(0),
          afterStrip: change.afterStrip,
          ...(context.signal === undefined ? {} : { signal: context.signal }),
        });
  if (first === undefined || computed?.ok !== true) {
    await reverse(
      change,
      plan,
      context,
      'the patch before the commit cannot be taken back out of source-git',
    );
    await forward(change, plan, context);
    return;
  }
  if (computed.diff.length === 0) return;
  const applied = await context.index.tryApply(computed.diff);
  if (!applied.ok) {
    const inTheWay = await findPatchesInTheWay({
      git: context.git,
      repoDir: context.sourceGitDir,
      after: (holders.at(-1) ?? first).sha,
      head: state.head,
      paths: computed.paths,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
    const names = inTheWay.map((patch) => `${patch.name} (${patch.paths.join(', ')})`);
    throw backSyncRefusal(
      'PATCH_APPLY_FAILED',
      plan.commit,
      change.fileName,
      `the change to the patch does not commute with the patches source-git applies after it${names.length === 0 ? '' : `: ${names.join(', ')} change the same files`}, so no fix-up commit at the end of source-git can carry it (${applied.message}); make the change in source-git instead (rebase), then run "srcgit update-dist-git"`,
    );
  }
}

async function reverse(change: PatchChange, plan: CommitPlan, context: ApplyCommitPlanContext, why: string) {
  const result = await context.index.tryApply(change.before ?? Buffer.alloc(0), [
    '-R',
    `-p${change.beforeStrip}`,
  ]);
  if (!result.ok)
    throw backSyncRefusal('PATCH_APPLY_FAILED', plan.commit, change.fileName, `${why}: ${result.message}`);
}

async function forward(change: PatchChange, plan: CommitPlan, context: ApplyCommitPlanContext) {
  const result = await context.index.tryApply(change.after ?? Buffer.alloc(0), [`-p${change.afterStrip}`]);
  if (!result.ok) {
    throw backSyncRefusal(
      'PATCH_APPLY_FAILED',
      plan.commit,
      change.fileName,
      `the updated patch does not apply to source-git: ${result.message}`,
    );
  }
}

async function applyFiles(plan: CommitPlan, context: ApplyCommitPlanContext): Promise<void> {
  const { git, index, signal } = context;
  if (plan.files.length === 0) return;
  const targets = plan.files
    .flatMap((file) => [file.oldTarget, file.target])
    .filter((path) => path !== undefined);
  const current = await index.lookup(targets);
  const newShas = plan.files.filter((file) => file.target !== undefined).map((file) => file.change.newSha);
  const contents = await readBlobs(git, context.distGitDir, newShas, signal);
  const written = await index.writeBlobs(contents.map((content) => content ?? Buffer.alloc(0)));
  const sgSha = new Map(newShas.map((sha, position) => [sha, written[position] ?? sha]));
  const updates: IndexEntry[] = [];
  const removals: string[] = [];
  const conflict = (file: FileChange, path: string, reason: string): never => {
    throw backSyncRefusal(
      'PATCH_APPLY_FAILED',
      plan.commit,
      file.change.path,
      `${path} in source-git ${reason}`,
    );
  };
  for (const file of plan.files) {
    const { change } = file;
    for (const path of [file.oldTarget, file.target]) {
      const reason = path === undefined ? undefined : unsafePathReason(path);
      if (reason !== undefined) {
        throw backSyncRefusal(
          'UNSUPPORTED_CHANGE',
          plan.commit,
          change.path,
          `the source-git path ${JSON.stringify(path)} is refused: ${reason}`,
        );
      }
    }
    const old = file.oldTarget === undefined ? undefined : current.get(file.oldTarget);
    if (file.target === undefined) {
      if (old === undefined || file.oldTarget === undefined) continue;
      if (old.sha !== change.oldSha)
        conflict(file, file.oldTarget, 'differs from the version the commit deletes');
      removals.push(file.oldTarget);
      continue;
    }
    const newSha = sgSha.get(change.newSha) ?? change.newSha;
    if (file.oldTarget === undefined || change.status === 'A') {
      const existing = current.get(file.target);
      if (existing !== undefined && existing.sha !== newSha) {
        conflict(file, file.target, 'already exists with other content than the file the commit adds');
      }
      updates.push({ path: file.target, mode: change.newMode, sha: newSha });
      continue;
    }
    if (old === undefined) {
      conflict(
        file,
        file.oldTarget,
        `does not exist, but the commit changes its dist-git copy ${change.oldPath}`,
      );
      continue;
    }
    if (file.oldTarget !== file.target) removals.push(file.oldTarget);
    if (old.sha === change.oldSha || old.sha === newSha) {
      updates.push({ path: file.target, mode: change.newMode, sha: newSha });
      continue;
    }
    const [base, ours, theirs] = await Promise.all([
      readBlobs(git, context.distGitDir, [change.oldSha], signal),
      readBlobs(git, context.sourceGitDir, [old.sha], signal),
      readBlobs(git, context.distGitDir, [change.newSha], signal),
    ]);
    const merged = await mergeText(
      git,
      context.sourceGitDir,
      {
        base: base[0] ?? Buffer.alloc(0),
        ours: ours[0] ?? Buffer.alloc(0),
        theirs: theirs[0] ?? Buffer.alloc(0),
      },
      signal,
    );
    if (!merged.ok) {
      conflict(
        file,
        file.oldTarget,
        `was changed since the last sync, and the commit's change to it conflicts with that (${merged.conflicts} conflicting hunks)`,
      );
      continue;
    }
    const [mergedSha = ''] = await index.writeBlobs([merged.content]);
    updates.push({
      path: file.target,
      mode: change.oldMode === change.newMode ? old.mode : change.newMode,
      sha: mergedSha,
    });
  }
  const updated = new Set(updates.map((entry) => entry.path));
  await index.remove(removals.filter((path) => !updated.has(path)));
  await index.update(updates);
}

async function applySpec(plan: CommitPlan, context: ApplyCommitPlanContext): Promise<void> {
  if (plan.spec === undefined) return;
  const { git, index, signal, specfilePath } = context;
  const current = (await index.lookup([specfilePath])).get(specfilePath);
  const [ours] =
    current === undefined
      ? [Buffer.alloc(0)]
      : await readBlobs(git, context.sourceGitDir, [current.sha], signal);
  const merged = await mergeText(
    git,
    context.sourceGitDir,
    { base: plan.spec.before, ours: ours ?? Buffer.alloc(0), theirs: plan.spec.after },
    signal,
  );
  if (!merged.ok) {
    throw backSyncRefusal(
      'PATCH_APPLY_FAILED',
      plan.commit,
      specfilePath,
      `the commit's spec change conflicts with changes made to the .distro spec since the last sync (${merged.conflicts} conflicting hunks)`,
    );
  }
  const [sha = ''] = await index.writeBlobs([merged.content]);
  await index.update([{ path: specfilePath, mode: current?.mode ?? '100644', sha }]);
}
