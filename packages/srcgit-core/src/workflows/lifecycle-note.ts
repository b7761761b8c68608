/**
 * @module
 * Internal: the one note per lifecycle event on a dist-git MR.
 */
import type { ForgeMergeRequest } from '../forge/forge-types';
import { lifecycleNoteMarker } from '../templates/markers';
import { renderLifecycleNote } from '../templates/source-git-notes';
import type { OutcomeBuilder } from './outcome-builder';
import type { WorkflowDeps } from './workflow-deps';

/**
 * Ensures the note `[Source-git MR](url) has been <event>.` on the dist-git MR — once per kind
 * of event (a hidden marker), so redelivered events and re-runs never add another.
 */
export async function ensureLifecycleNote(
  deps: WorkflowDeps,
  out: OutcomeBuilder,
  input: {
    readonly distGitMr: ForgeMergeRequest;
    readonly distGitPath: string;
    readonly sourceGitMrUrl: string;
    readonly event: 'closed' | 'reopened' | 'merged';
    readonly dryRun: boolean;
  },
): Promise<void> {
  const target = `${input.distGitPath}!${input.distGitMr.iid}`;
  const body = renderLifecycleNote({ sourceGitMrUrl: input.sourceGitMrUrl, event: input.event });
  if (input.dryRun) {
    out.action({ kind: 'note', outcome: 'planned', target, url: input.distGitMr.webUrl, detail: body });
    return;
  }
  const note = await deps.forge.ensureStickyNote({
    project: input.distGitMr.projectId,
    mrIid: input.distGitMr.iid,
    marker: lifecycleNoteMarker(input.event),
    body,
  });
  out.action({
    kind: 'note',
    outcome: note.outcome === 'skipped' ? 'skipped' : note.outcome,
    target,
    url: input.distGitMr.webUrl,
    detail: body.split('\n')[0] ?? null,
  });
}
