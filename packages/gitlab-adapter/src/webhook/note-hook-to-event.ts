/**
 * @module
 * `Note Hook` → the comment command event.
 */
import type { NoteHook } from '../schemas/note-hook';
import { mergeRequestToSnapshot } from './merge-request-to-snapshot';
import type { WebhookParseResult } from './webhook-parse-result';

/**
 * Whether some non-empty line of `body` starts with `prefix` as a whole word followed by at least
 * one more word (packit's command grammar: `/packit test`).
 */
function hasCommand(body: string, prefix: string): boolean {
  return body.split('\n').some((line) => {
    const words = line.trim().split(/\s+/);
    return words[0] === prefix && words.length > 1;
  });
}

/**
 * Maps a validated `Note Hook`. Only notes on merge requests are interesting; with
 * `commandPrefix`, only those that contain a command.
 */
export function noteHookToEvent(hook: NoteHook, commandPrefix?: string): WebhookParseResult {
  const attributes = hook.object_attributes;
  if (attributes.noteable_type !== 'MergeRequest') {
    return {
      kind: 'not-interested',
      reason: `the comment is on a "${attributes.noteable_type}", not on a merge request`,
    };
  }
  if (!hook.merge_request) {
    return {
      kind: 'unusable',
      message: 'Note Hook payload: merge_request: required for a comment on a merge request',
      issues: [{ path: 'merge_request', message: 'required for a comment on a merge request' }],
    };
  }
  if (commandPrefix !== undefined && !hasCommand(attributes.note, commandPrefix)) {
    return { kind: 'not-interested', reason: `comment without a ${commandPrefix} command` };
  }
  const action = attributes.action ?? 'create';
  if (action !== 'create' && action !== 'update') {
    return { kind: 'not-interested', reason: `comment action "${action}" is not one the bot handles` };
  }
  const mergeRequest = mergeRequestToSnapshot(hook.merge_request, hook.project);
  return {
    kind: 'event',
    event: {
      kind: 'comment-command-issued',
      author: { username: hook.user.username, id: hook.user.id ?? null },
      note: {
        id: attributes.id,
        body: attributes.note,
        url: attributes.url ?? `${mergeRequest.url}#note_${attributes.id}`,
        action,
        system: attributes.system ?? false,
      },
      mergeRequest,
    },
  };
}
