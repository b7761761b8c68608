import { describe, expect, it } from 'vitest';
import { parseDistGitCiNoteState, renderDistGitCiNote } from './dist-git-ci-note';

describe('renderDistGitCiNote', () => {
  it('shows the result in a table and records its state for later events', () => {
    const body = renderDistGitCiNote({
      checkName: 'Dist-git MR CI Pipeline',
      pipelineId: 800_003,
      pipelineUrl: 'https://gitlab.example/srcgit-bot/beer/-/pipelines/800003',
      state: 'failed',
      sourceGitSha: 'a'.repeat(40),
      distGitMr: { iid: 4, webUrl: 'https://gitlab.example/rpms/beer/-/merge_requests/4' },
      description: 'Changed status to failed',
      updatedAt: new Date('2024-02-01T12:00:00Z'),
    });
    expect(body.split('\n').slice(0, 5)).toEqual([
      '**Dist-git MR CI Pipeline**: failed — Changed status to failed',
      '',
      '| check | state | pipeline | dist-git MR | source-git commit | updated |',
      '| --- | --- | --- | --- | --- | --- |',
      '| Dist-git MR CI Pipeline | failed | [#800003](https://gitlab.example/srcgit-bot/beer/-/pipelines/800003) | [!4](https://gitlab.example/rpms/beer/-/merge_requests/4) | aaaaaaaaaaaa | 2024-02-01T12:00:00.000Z |',
    ]);
    expect(parseDistGitCiNoteState(body)).toEqual({
      pipelineId: 800_003,
      state: 'failed',
      sourceGitSha: 'a'.repeat(40),
    });
  });

  it('reads no state from other notes', () => {
    expect(
      parseDistGitCiNoteState('[Dist-git MR #4](https://gitlab.example/rpms/beer/-/merge_requests/4)'),
    ).toBeNull();
  });
});
