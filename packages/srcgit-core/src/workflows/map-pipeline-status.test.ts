import { describe, expect, it } from 'vitest';
import { mapPipelineStatus, pipelineIdFromUrl, stateRank } from './map-pipeline-status';

describe('mapPipelineStatus', () => {
  it('maps GitLab pipeline statuses onto commit-status states (service-spec §1.D)', () => {
    const mapped = Object.fromEntries(
      [
        'created',
        'waiting_for_resource',
        'preparing',
        'pending',
        'scheduled',
        'manual',
        'running',
        'success',
        'skipped',
        'failed',
        'canceled',
      ].map((status) => {
        const result = mapPipelineStatus(status);
        return [status, result.kind === 'report' ? `${result.state}${result.final ? '!' : ''}` : result.kind];
      }),
    );
    expect(mapped).toEqual({
      created: 'pending',
      waiting_for_resource: 'pending',
      preparing: 'pending',
      pending: 'pending',
      scheduled: 'pending',
      manual: 'pending',
      running: 'running',
      success: 'success!',
      skipped: 'success!',
      failed: 'failed!',
      canceled: 'failed!',
    });
  });

  it('waits through canceling and does not know other statuses', () => {
    expect(mapPipelineStatus('canceling')).toEqual({ kind: 'wait' });
    expect(mapPipelineStatus('exploded')).toEqual({ kind: 'unknown' });
    expect(mapPipelineStatus('constructor')).toEqual({ kind: 'unknown' });
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
