import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded gitlab.com request/response pair (`test-fixtures/recorded/gitlab-api/*.json`). */
export interface ApiRecording {
  /** `<file name>#<index>`. */
  readonly id: string;
  readonly method: string;
  readonly url: URL;
  /** Path below `/api/v4`, as recorded (still URL-encoded). */
  readonly apiPath: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface WebhookRecording {
  readonly file: string;
  readonly payload: Record<string, unknown>;
}

const fixtures = (path: string): string =>
  fileURLToPath(new URL(`../../../recorded/${path}`, import.meta.url));

export function loadApiRecordings(): ApiRecording[] {
  const dir = fixtures('gitlab-api');
  const recordings: ApiRecording[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const entries = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as {
      method: string;
      url: string;
      status: number;
      headers: Record<string, string>;
      body: unknown;
    }[];
    entries.forEach((entry, index) => {
      const url = new URL(entry.url);
      const raw = entry.url.slice(url.origin.length).split('?')[0] ?? '';
      recordings.push({
        id: `${file.replace(/\.json$/, '')}#${index}`,
        method: entry.method,
        url,
        apiPath: raw.startsWith('/api/v4') ? raw.slice('/api/v4'.length) : raw,
        status: entry.status,
        headers: entry.headers,
        body: entry.body,
      });
    });
  }
  return recordings;
}

export function loadWebhookRecordings(): WebhookRecording[] {
  const dir = fixtures('gitlab-webhooks');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      payload: JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Record<string, unknown>,
    }));
}
