import { describe, expect, it } from 'vitest';
import { evaluateCondition, planPipeline, type CiContext } from './ci-config';

const push: CiContext = { source: 'push', branch: 'main', defaultBranch: 'main', projectPath: 'g/p' };
const mergeRequest: CiContext = {
  source: 'merge_request_event',
  defaultBranch: 'main',
  projectPath: 'g/p',
  mergeRequest: { iid: 3, sourceBranch: 'fix', targetBranch: 'main' },
};

describe('planPipeline', () => {
  it('runs jobs without rules in branch pipelines only', () => {
    const config = 'test:\n  script: [true]\n';
    expect(planPipeline(config, push)).toMatchObject({ kind: 'pipeline', stages: ['test'] });
    expect(planPipeline(config, mergeRequest)).toEqual({ kind: 'none' });
  });

  it('follows workflow rules, and lets jobs without rules run wherever the workflow allows', () => {
    const config =
      'workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\ntest:\n  script: [true]\n';
    expect(planPipeline(config, push)).toEqual({ kind: 'none' });
    expect(planPipeline(config, mergeRequest)).toMatchObject({
      kind: 'pipeline',
      jobs: [{ name: 'test', when: 'on_success' }],
    });
  });

  it('evaluates job rules, only/except and stages in order', () => {
    const config = [
      'stages: [lint, test, deploy]',
      'deploy:',
      '  stage: deploy',
      '  script: [true]',
      '  rules:',
      '    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
      'mr-only:',
      '  stage: test',
      '  script: [true]',
      '  only: [merge_requests]',
      'lint:',
      '  stage: lint',
      '  script: [true]',
      '  rules:',
      '    - if: $CI_MERGE_REQUEST_IID',
      '      allow_failure: true',
      '    - when: never',
    ].join('\n');
    expect(planPipeline(config, push)).toMatchObject({ kind: 'pipeline', stages: ['deploy'] });
    expect(planPipeline(config, mergeRequest)).toMatchObject({
      kind: 'pipeline',
      stages: ['lint', 'test'],
      jobs: [
        { name: 'lint', allowFailure: true },
        { name: 'mr-only', allowFailure: false },
      ],
    });
  });

  it('reports broken configuration', () => {
    expect(planPipeline('test: [unclosed', push)).toMatchObject({ kind: 'invalid' });
    const plan = planPipeline('test:\n  stage: nope\n  script: [true]\n', push);
    expect(plan.kind === 'invalid' ? plan.error : '').toContain('chosen stage nope does not exist');
  });
});

describe('evaluateCondition', () => {
  const variables = new Map([
    ['CI_PIPELINE_SOURCE', 'push'],
    ['CI_COMMIT_BRANCH', 'release/2'],
  ]);
  it('supports ==, !=, =~, &&, || and unset variables', () => {
    expect(evaluateCondition('$CI_PIPELINE_SOURCE == "push"', variables)).toBe(true);
    expect(evaluateCondition('$CI_PIPELINE_SOURCE != "push"', variables)).toBe(false);
    expect(evaluateCondition('$CI_COMMIT_BRANCH =~ /^release\\//', variables)).toBe(true);
    expect(evaluateCondition('$CI_MERGE_REQUEST_IID', variables)).toBe(false);
    expect(evaluateCondition('$CI_MERGE_REQUEST_IID || $CI_COMMIT_BRANCH', variables)).toBe(true);
    expect(evaluateCondition('$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_TAG', variables)).toBe(false);
  });
});
