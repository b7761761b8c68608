/**
 * @module
 * `Merge Request Hook` → source-git MR events.
 */
import type { SourceGitMrUpdated } from '@srcgit/core';
import type { MergeRequestHook } from '../schemas/merge-request-hook';
import { commitShaSchema } from '../schemas/commit-sha';
import { mergeRequestToSnapshot } from './merge-request-to-snapshot';
import type { WebhookParseResult } from './webhook-parse-result';

/** Actions GitLab sends that do not concern the bot. */
const IGNORED_ACTIONS = new Set(['approved', 'unapproved', 'approval', 'unapproval']);

/** `changes` entries that are bookkeeping, not edits anyone made. */
const BOOKKEEPING_FIELDS = new Set(['updated_at', 'updated_by_id', 'last_edited_at', 'last_edited_by_id']);

/**
 * The action of the hook. Old payloads (GitLab before `action` existed, and some recorded ones)
 * omit it; then it is inferred from `state`, as packit did: `opened` → `open`, `closed` →
 * `close`, `merged` → `merge`. Opening is an idempotent "ensure" in the workflows, so inferring
 * `open` for what may have been an update is safe.
 */
function actionOf(hook: MergeRequestHook): string | null {
  const { action, state } = hook.object_attributes;
  if (action) return action;
  switch (state) {
    case 'opened':
      return 'open';
    case 'closed':
      return 'close';
    case 'merged':
      return 'merge';
    default:
      return null;
  }
}

function textChange(value: { previous: unknown; current: unknown } | undefined) {
  if (value === undefined) return undefined;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { previous: text(value.previous), current: text(value.current) };
}

function updatedChanges(hook: MergeRequestHook): Pick<SourceGitMrUpdated, 'changes' | 'otherChangedFields'> {
  const raw = hook.changes ?? {};
  const changes: SourceGitMrUpdated['changes'] = {};
  const title = textChange(raw.title);
  if (title) changes.title = title;
  const description = textChange(raw.description);
  if (description) changes.description = description;
  const targetBranch = textChange(raw.target_branch);
  if (targetBranch) changes.targetBranch = targetBranch;
  const draft = raw.draft ?? raw.work_in_progress;
  if (draft) changes.draft = { previous: draft.previous === true, current: draft.current === true };
  const known = new Set(['title', 'description', 'target_branch', 'draft', 'work_in_progress']);
  const otherChangedFields = Object.keys(raw)
    .filter((field) => !known.has(field) && !BOOKKEEPING_FIELDS.has(field))
    .sort();
  return { changes, otherChangedFields };
}

/** Maps a validated `Merge Request Hook` to a domain event or "not interested". */
export function mergeRequestHookToEvent(hook: MergeRequestHook): WebhookParseResult {
  const attributes = hook.object_attributes;
  const mergeRequest = mergeRequestToSnapshot(attributes, hook.project);
  const actor = { username: hook.user.username, id: hook.user.id ?? null };
  const action = actionOf(hook);
  switch (action) {
    case 'open':
      return { kind: 'event', event: { kind: 'source-git-mr-opened', actor, mergeRequest } };
    case 'update': {
      const oldrev =
        attributes.oldrev && attributes.oldrev !== attributes.last_commit.id ? attributes.oldrev : null;
      return {
        kind: 'event',
        event: { kind: 'source-git-mr-updated', actor, mergeRequest, oldrev, ...updatedChanges(hook) },
      };
    }
    case 'close':
      return { kind: 'event', event: { kind: 'source-git-mr-closed', actor, mergeRequest } };
    case 'reopen':
      return { kind: 'event', event: { kind: 'source-git-mr-reopened', actor, mergeRequest } };
    case 'merge': {
      const parsed = commitShaSchema.safeParse(attributes.merge_commit_sha);
      return {
        kind: 'event',
        event: {
          kind: 'source-git-mr-merged',
          actor,
          mergeRequest,
          mergeCommitSha: parsed.success ? parsed.data : null,
        },
      };
    }
    default:
      if (action !== null && IGNORED_ACTIONS.has(action)) {
        return {
          kind: 'not-interested',
          reason: `merge request action "${action}" does not concern the bot`,
        };
      }
      return {
        kind: 'not-interested',
        reason: `merge request action ${action === null ? '(none)' : `"${action}"`} is not one the bot handles`,
      };
  }
}
