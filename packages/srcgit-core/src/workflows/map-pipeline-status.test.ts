import { describe, expect, it } from 'vitest';
import {
  isPipelineStatus,
  mapPipelineStatus,
  PIPELINE_STATUSES,
  pipelineIdFromUrl,
  stateRank,
} from './map-pipeline-status';

describe('mapPipelineStatus', () => {
  /** Every GitLab pipeline status and what the source-git MR is told (`!` = final). */
  const TABLE: Record<string, string> = {
    created: 'pending',
    waiting_for_resource: 'pending',
    preparing: 'pending',
    waiting_for_callback: 'pending',
    pending: 'pending',
    scheduled: 'pending',
    manual: 'pending',
    running: 'running',
    canceling: 'wait',
    success: 'success!',
    failed: 'failed!',
    canceled: 'failed!',
    skipped: 'failed!',
  };
  const shown = (status: string): string => {
    const result = mapPipelineStatus(status);
    return result.kind === 'report' ? `${result.state}${result.final ? '!' : ''}` : result.kind;
  };

  it.each(Object.entries(TABLE))('maps %s to %s', (status, expected) => {
    expect(shown(status)).toBe(expected);
  });

  it('covers every GitLab pipeline status, and only success passes', () => {
    expect([...PIPELINE_STATUSES].sort()).toEqual(Object.keys(TABLE).sort());
    expect(PIPELINE_STATUSES.filter((status) => shown(status).startsWith('success'))).toEqual(['success']);
    // A pipeline that did not run its jobs (skipped, manual) is never a pass.
    expect(shown('skipped')).not.toMatch(/^success/);
    expect(shown('manual')).not.toMatch(/^success/);
    expect(PIPELINE_STATUSES.every((status) => isPipelineStatus(status))).toBe(true);
  });

  it('does not know other statuses, inherited property names included', () => {
    for (const status of ['exploded', 'constructor', 'toString', '__proto__', 'SUCCESS', '']) {
      expect(mapPipelineStatus(status)).toEqual({ kind: 'unknown' });
      expect(isPipelineStatus(status)).toBe(false);
    }
  });

  it('orders states and reads pipeline ids from their web URLs', () => {
    expect(['failed', 'pending', 'running'].sort((a, b) => stateRank(a) - stateRank(b))).toEqual([
      'pending',
      'running',
      'failed',
    ]);
    expect(pipelineIdFromUrl('https://gitlab.com/rpms/beer/-/pipelines/497396723')).toBe(497396723);
    expect(pipelineIdFromUrl('https://gitlab.com/rpms/beer/-/pipelines/12?tab=jobs')).toBe(12);
    expect(pipelineIdFromUrl('https://ci.example.org/job/12')).toBeNull();
    expect(pipelineIdFromUrl(null)).toBeNull();
  });
});
