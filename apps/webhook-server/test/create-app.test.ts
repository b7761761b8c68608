import { describe, expect, it } from 'vitest';
import { createApp } from '../src/create-app';

describe('createApp', () => {
  it('answers the liveness probe', async () => {
    const response = await createApp().request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
