import { parse } from 'yaml';
import type { PipelineSource } from './sim-model';

/** What a pipeline is being created for; the values behind GitLab's predefined CI variables. */
export interface CiContext {
  readonly source: PipelineSource;
  readonly branch?: string;
  readonly tag?: string;
  readonly defaultBranch: string;
  readonly projectPath: string;
  readonly mergeRequest?: {
    readonly iid: number;
    readonly sourceBranch: string;
    readonly targetBranch: string;
  };
}

export interface CiJobPlan {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
  readonly allowFailure: boolean;
  /** The job declares `artifacts`. */
  readonly artifacts: boolean;
}

/** The pipeline a CI configuration yields, or why it is broken. */
export type CiPlan =
  | { readonly kind: 'pipeline'; readonly stages: string[]; readonly jobs: CiJobPlan[] }
  | { readonly kind: 'invalid'; readonly error: string }
  | { readonly kind: 'none' };

const RESERVED = new Set([
  'stages',
  'workflow',
  'default',
  'include',
  'variables',
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'types',
  'spec',
]);
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

/**
 * Works out which jobs a `.gitlab-ci.yml` runs for a pipeline, following GitLab's rules closely
 * enough for tests: `workflow:rules`, job `rules` (`if` with `==`, `!=`, `=~`, `&&`, `||` over the
 * predefined variables; `changes` and `exists` always match), `only`/`except` keywords and branch
 * names, and the defaults for a job without any of these: where `workflow:rules` allow a pipeline,
 * or else for branch and tag pipelines only (not merge request pipelines). `include`, `extends`
 * and `needs` are not interpreted.
 */
export function planPipeline(text: string, context: CiContext): CiPlan {
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    return {
      kind: 'invalid',
      error: `Invalid configuration format: ${(error as Error).message.split('\n')[0] ?? ''}`,
    };
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return { kind: 'invalid', error: 'Invalid configuration format' };
  }
  const root = config as Record<string, unknown>;
  const variables = predefinedVariables(context);
  const workflowRules = (root.workflow as { rules?: unknown } | undefined)?.rules;
  const hasWorkflowRules = Array.isArray(workflowRules);
  if (Array.isArray(workflowRules)) {
    const decision = firstMatchingRule(workflowRules, variables);
    if (decision === undefined || decision.when === 'never') return { kind: 'none' };
  }
  const stages = Array.isArray(root.stages) ? root.stages.map(String) : DEFAULT_STAGES;
  const jobs: CiJobPlan[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (RESERVED.has(name) || name.startsWith('.') || value === null || typeof value !== 'object') continue;
    const job = value as Record<string, unknown>;
    if (!('script' in job) && !('trigger' in job) && !('run' in job)) continue;
    const stage = typeof job.stage === 'string' ? job.stage : 'test';
    if (!stages.includes(stage)) {
      return {
        kind: 'invalid',
        error: `${name} job: chosen stage ${stage} does not exist; available stages are ${stages.join(', ')}`,
      };
    }
    const decision = jobDecision(job, variables, context, hasWorkflowRules);
    if (decision === undefined || decision.when === 'never') continue;
    jobs.push({
      name,
      stage,
      when: decision.when,
      allowFailure: decision.allowFailure ?? job.allow_failure === true,
      artifacts: job.artifacts !== undefined && job.artifacts !== null,
    });
  }
  if (jobs.length === 0) return { kind: 'none' };
  const used = stages.filter((stage) => jobs.some((job) => job.stage === stage));
  jobs.sort((a, b) => used.indexOf(a.stage) - used.indexOf(b.stage));
  return { kind: 'pipeline', stages: used, jobs };
}

interface RuleDecision {
  readonly when: string;
  readonly allowFailure?: boolean;
}

function jobDecision(
  job: Record<string, unknown>,
  variables: ReadonlyMap<string, string>,
  context: CiContext,
  hasWorkflowRules: boolean,
): RuleDecision | undefined {
  const defaultWhen = typeof job.when === 'string' ? job.when : 'on_success';
  if (Array.isArray(job.rules)) return firstMatchingRule(job.rules, variables, defaultWhen);
  if (job.only !== undefined || job.except !== undefined) {
    const only = refPolicy(job.only);
    const except = refPolicy(job.except);
    const included =
      only === undefined
        ? context.source !== 'merge_request_event'
        : only.some((p) => refMatches(p, context));
    const excluded = except !== undefined && except.some((p) => refMatches(p, context));
    return included && !excluded ? { when: defaultWhen } : undefined;
  }
  // Without rules or only/except a job runs where `workflow:rules` allows a pipeline; without
  // workflow rules it defaults to `only: [branches, tags]`, which excludes merge request pipelines.
  return hasWorkflowRules || context.source !== 'merge_request_event' ? { when: defaultWhen } : undefined;
}

function firstMatchingRule(
  rules: readonly unknown[],
  variables: ReadonlyMap<string, string>,
  defaultWhen = 'always',
): RuleDecision | undefined {
  for (const rule of rules) {
    if (rule === null || typeof rule !== 'object') continue;
    const entry = rule as Record<string, unknown>;
    if (typeof entry.if === 'string' && !evaluateCondition(entry.if, variables)) continue;
    return {
      when: typeof entry.when === 'string' ? entry.when : defaultWhen,
      ...(typeof entry.allow_failure === 'boolean' ? { allowFailure: entry.allow_failure } : {}),
    };
  }
  return undefined;
}

function refPolicy(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (value !== null && typeof value === 'object' && Array.isArray((value as { refs?: unknown }).refs)) {
    return (value as { refs: unknown[] }).refs.map(String);
  }
  return typeof value === 'string' ? [value] : [];
}

function refMatches(policy: string, context: CiContext): boolean {
  switch (policy) {
    case 'merge_requests':
      return context.source === 'merge_request_event';
    case 'branches':
      return context.branch !== undefined && context.source !== 'merge_request_event';
    case 'tags':
      return context.tag !== undefined;
    case 'pushes':
      return context.source === 'push';
    case 'web':
    case 'api':
    case 'external':
    case 'schedules':
    case 'triggers':
      return context.source === policy.replace(/s$/, '');
    default: {
      const ref = context.branch ?? context.tag;
      if (ref === undefined) return false;
      const regex = /^\/(.*)\/([a-z]*)$/.exec(policy);
      return regex === null ? policy === ref : new RegExp(regex[1] ?? '', regex[2]).test(ref);
    }
  }
}

function predefinedVariables(context: CiContext): Map<string, string> {
  const variables = new Map<string, string>([
    ['CI_PIPELINE_SOURCE', context.source],
    ['CI_DEFAULT_BRANCH', context.defaultBranch],
    ['CI_PROJECT_PATH', context.projectPath],
    ['CI_PROJECT_NAMESPACE', context.projectPath.split('/').slice(0, -1).join('/')],
  ]);
  if (context.mergeRequest !== undefined) {
    variables.set('CI_MERGE_REQUEST_IID', String(context.mergeRequest.iid));
    variables.set('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', context.mergeRequest.sourceBranch);
    variables.set('CI_MERGE_REQUEST_TARGET_BRANCH_NAME', context.mergeRequest.targetBranch);
    variables.set('CI_COMMIT_REF_NAME', context.mergeRequest.sourceBranch);
  } else if (context.branch !== undefined) {
    variables.set('CI_COMMIT_BRANCH', context.branch);
    variables.set('CI_COMMIT_REF_NAME', context.branch);
  }
  if (context.tag !== undefined) {
    variables.set('CI_COMMIT_TAG', context.tag);
    variables.set('CI_COMMIT_REF_NAME', context.tag);
  }
  return variables;
}

/** Evaluates a rules `if:` expression; unknown variables are unset, like in GitLab. */
export function evaluateCondition(expression: string, variables: ReadonlyMap<string, string>): boolean {
  return expression.split('||').some((alternative) =>
    alternative.split('&&').every((term) =>
      evaluateTerm(
        term
          .trim()
          .replace(/^\((.*)\)$/, '$1')
          .trim(),
        variables,
      ),
    ),
  );
}

function evaluateTerm(term: string, variables: ReadonlyMap<string, string>): boolean {
  const comparison = /^(\S+)\s*(==|!=|=~|!~)\s*(.+)$/.exec(term);
  if (comparison === null) {
    const value = operand(term, variables);
    return value !== undefined && value !== '';
  }
  const [, left = '', operator, right = ''] = comparison;
  const leftValue = operand(left, variables);
  if (operator === '=~' || operator === '!~') {
    const regex = /^\/(.*)\/([a-z]*)$/.exec(right.trim());
    const matches =
      regex !== null && leftValue !== undefined && new RegExp(regex[1] ?? '', regex[2]).test(leftValue);
    return operator === '=~' ? matches : !matches;
  }
  const rightValue = operand(right.trim(), variables);
  return operator === '==' ? leftValue === rightValue : leftValue !== rightValue;
}

function operand(text: string, variables: ReadonlyMap<string, string>): string | undefined {
  if (text === 'null') return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(text);
  if (quoted !== null) return quoted[2];
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(text);
  if (variable !== null) return variables.get(variable[1] ?? '');
  return text;
}
