/**
 * @module
 * Internal: accumulates an event workflow's actions into an {@link EventOutcome}; its result comes
 * from the same rule as a workflow's (`resultOfActions`).
 */
import type { EventAction, EventOutcome, EventWorkflowName } from './event-outcome';
import type { OutcomeMergeRequest, WorkflowOutcome, WorkflowResult } from './workflow-outcome';
import { resultOfActions } from './workflow-outcome';

/** Builds the outcome of one event workflow run. */
export class EventOutcomeBuilder {
  readonly #workflow: EventWorkflowName;
  readonly #subject: string;
  #sourceGitMr: OutcomeMergeRequest | null = null;
  #distGitMr: OutcomeMergeRequest | null = null;
  readonly #actions: EventAction[] = [];
  readonly #workflows: WorkflowOutcome[] = [];

  /** `subject` starts the summary, e.g. `rpms/beer pipeline 800001`. */
  constructor(workflow: EventWorkflowName, subject: string) {
    this.#workflow = workflow;
    this.#subject = subject;
  }

  setSourceGitMr(mr: OutcomeMergeRequest): void {
    this.#sourceGitMr = mr;
  }

  setDistGitMr(mr: OutcomeMergeRequest): void {
    this.#distGitMr = mr;
  }

  action(action: EventAction): void {
    this.#actions.push(action);
  }

  workflow(outcome: WorkflowOutcome): void {
    this.#workflows.push(outcome);
  }

  get actions(): readonly EventAction[] {
    return this.#actions;
  }

  ignored(reason: string, detail: string): EventOutcome {
    return this.#build('ignored', `ignored: ${detail}`, reason, null);
  }

  userError(code: string, message: string): EventOutcome {
    return this.#build('user-error', `${code}: ${message.split('\n')[0] ?? ''}`, code, { code, message });
  }

  done(summary: string): EventOutcome {
    return this.#build(resultOfActions(this.#actions), summary, null, null);
  }

  #build(
    result: WorkflowResult,
    summary: string,
    reason: string | null,
    error: EventOutcome['error'],
  ): EventOutcome {
    return {
      workflow: this.#workflow,
      result,
      summary: `${this.#subject}: ${summary}`,
      reason,
      sourceGitMr: this.#sourceGitMr,
      distGitMr: this.#distGitMr,
      actions: [...this.#actions],
      error,
      workflows: [...this.#workflows],
    };
  }
}
