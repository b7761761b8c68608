/**
 * @module
 * Internal: accumulates a workflow's actions into a {@link WorkflowOutcome}.
 */
import type { UpdateDistGitPlan } from '@srcgit/dist-git-converter';
import type { MergeRequestSnapshot } from '../events/event-refs';
import type { ForgeMergeRequest } from '../forge/forge-types';
import type { OutcomeMergeRequest, WorkflowAction, WorkflowName, WorkflowOutcome } from './workflow-outcome';
import { resultOfActions } from './workflow-outcome';

/** Builds the outcome of one workflow run. */
export class OutcomeBuilder {
  readonly #workflow: WorkflowName;
  readonly #dryRun: boolean;
  #sourceGitMr: OutcomeMergeRequest & { headSha: string };
  #distGitMr: OutcomeMergeRequest | null = null;
  #plan: UpdateDistGitPlan | null = null;
  readonly #actions: WorkflowAction[] = [];

  constructor(workflow: WorkflowName, mr: MergeRequestSnapshot, dryRun: boolean) {
    this.#workflow = workflow;
    this.#dryRun = dryRun;
    this.#sourceGitMr = {
      projectPath: mr.project.path,
      iid: mr.iid,
      webUrl: mr.url,
      state: mr.state,
      headSha: mr.headSha,
    };
  }

  setSourceGitMr(mr: MergeRequestSnapshot): void {
    this.#sourceGitMr = { ...this.#sourceGitMr, state: mr.state, headSha: mr.headSha };
  }

  setHeadSha(headSha: string): void {
    this.#sourceGitMr = { ...this.#sourceGitMr, headSha };
  }

  setDistGitMr(mr: ForgeMergeRequest, projectPath: string): void {
    this.#distGitMr = { projectPath, iid: mr.iid, webUrl: mr.webUrl, state: mr.state };
  }

  setPlan(plan: UpdateDistGitPlan): void {
    this.#plan = plan;
  }

  action(action: WorkflowAction): void {
    this.#actions.push(action);
  }

  ignored(reason: string, detail: string): WorkflowOutcome {
    return this.#build('ignored', `ignored: ${detail}`, reason, null);
  }

  userError(code: string, message: string): WorkflowOutcome {
    return this.#build('user-error', `${code}: ${message.split('\n')[0] ?? ''}`, code, { code, message });
  }

  done(summary: string): WorkflowOutcome {
    return this.#build(resultOfActions(this.#actions), summary, null, null);
  }

  #build(
    result: WorkflowOutcome['result'],
    summary: string,
    reason: string | null,
    error: WorkflowOutcome['error'],
  ): WorkflowOutcome {
    const mr = this.#sourceGitMr;
    return {
      workflow: this.#workflow,
      result,
      summary: `${mr.projectPath}!${mr.iid}: ${summary}${this.#dryRun ? ' (dry run)' : ''}`,
      reason,
      dryRun: this.#dryRun,
      sourceGitMr: mr,
      distGitMr: this.#distGitMr,
      actions: [...this.#actions],
      plan: this.#plan,
      error,
    };
  }
}
