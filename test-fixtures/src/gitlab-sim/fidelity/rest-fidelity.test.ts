import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeMismatches, shapeOf } from './json-shape';
import { loadApiRecordings, type ApiRecording } from './recordings';
import { restReplays, type ReplaySpec } from './rest-replays';
import { ReplayWorld } from './replay-world';
import { restCall } from '../testing/rest-call';

const recordings = loadApiRecordings();

interface Claim {
  readonly recording: ApiRecording;
  readonly spec: ReplaySpec;
  readonly match: RegExpExecArray;
}

const claims: Claim[] = [];
const unclaimed = new Map<string, number>();
for (const recording of recordings) {
  const found = restReplays
    .filter((spec) => spec.method === recording.method)
    .map((spec) => ({ spec, match: spec.path.exec(recording.apiPath) }))
    .find((candidate) => candidate.match !== null);
  if (found?.match !== null && found?.match !== undefined) {
    claims.push({ recording, spec: found.spec, match: found.match });
  } else {
    const key = `${recording.method} ${recording.apiPath.replace(/\/\d+/g, '/:n').replace(/\/[0-9a-f]{40}/g, '/:sha')}`;
    unclaimed.set(key, (unclaimed.get(key) ?? 0) + 1);
  }
}

/** Endpoints the GitLab adapter calls (docs/bot-behaviour.md §5.1) that gitlab.com recordings exist for. */
const ADAPTER_ENDPOINTS = [
  'GET /user',
  'GET /users?username=',
  'GET /projects/:id',
  'GET /projects/:id/forks',
  'POST /projects/:id/fork',
  'GET /projects/:id/repository/branches',
  'GET /projects/:id/repository/branches/:branch',
  'GET /projects/:id/repository/files/:file_path',
  'GET /projects/:id/repository/commits/:sha',
  'GET /projects/:id/repository/commits/:sha/comments',
  'POST /projects/:id/repository/commits/:sha/comments',
  'GET /projects/:id/repository/commits/:sha/statuses',
  'POST /projects/:id/statuses/:sha',
  'GET /projects/:id/merge_requests',
  'POST /projects/:id/merge_requests',
  'GET /projects/:id/merge_requests/:iid',
  'PUT /projects/:id/merge_requests/:iid',
  'PUT /projects/:id/merge_requests/:iid/merge',
  'GET /projects/:id/merge_requests/:iid/notes',
  'POST /projects/:id/merge_requests/:iid/notes',
  'PUT /projects/:id/merge_requests/:iid/notes/:note_id',
  'POST /projects/:id/merge_requests/:iid/notes/:note_id/award_emoji',
  'GET /projects/:id/members/all',
];

describe('REST fidelity against recorded gitlab.com interactions', () => {
  let world: ReplayWorld;
  const passed = new Map<string, number>();

  beforeAll(async () => {
    world = await ReplayWorld.start(recordings);
  });

  afterAll(async () => {
    await world.sim.close();
    const lines = [
      `GitLab simulator REST fidelity: ${claims.length} of ${recordings.length} recorded interactions replayed (${[...passed.values()].reduce((a, b) => a + b, 0)} passed).`,
      'Covered endpoints:',
      ...[...new Set(claims.map((claim) => claim.spec.endpoint))].map(
        (endpoint) =>
          `  ${endpoint}: ${claims.filter((claim) => claim.spec.endpoint === endpoint).length} recordings, ${passed.get(endpoint) ?? 0} passed`,
      ),
      'Not simulated (not replayed):',
      ...[...unclaimed].sort().map(([endpoint, count]) => `  ${endpoint}: ${count}`),
    ];
    console.log(lines.join('\n'));
  });

  it('claims a replay for every endpoint the GitLab adapter calls', () => {
    const claimedEndpoints = new Set(claims.map((claim) => claim.spec.endpoint));
    expect(ADAPTER_ENDPOINTS.filter((endpoint) => !claimedEndpoints.has(endpoint))).toEqual([]);
  });

  it.each(
    claims.map(
      (claim) =>
        [
          `${claim.recording.method} ${claim.recording.apiPath} → ${claim.recording.status} (${claim.recording.id})`,
          claim,
        ] as const,
    ),
  )(
    '%s',
    async (_name, { recording, spec, match }) => {
      const request = await spec.prepare(world, recording, match);
      const token = request.token === undefined ? world.tester.token : (request.token ?? undefined);
      const response = await restCall(world.sim.apiUrl, token, request.method, request.path, request.body);
      const context = `${request.method} ${request.path} answered ${response.status}: ${response.text.slice(0, 300)}`;
      expect(response.status, context).toBe(recording.status);
      const missingHeaders = Object.keys(recording.headers).filter((name) => !response.headers.has(name));
      expect(missingHeaders, context).toEqual([]);
      if (recording.method !== 'HEAD' && recording.status !== 204) {
        expect(shapeMismatches(shapeOf(recording.body), response.json), context).toEqual([]);
        if (Array.isArray(recording.body) && recording.body.length > 0) {
          expect(
            Array.isArray(response.json) && response.json.length > 0,
            `${context}: expected a non-empty list`,
          ).toBe(true);
        }
      }
      passed.set(spec.endpoint, (passed.get(spec.endpoint) ?? 0) + 1);
    },
    120_000,
  );
});
