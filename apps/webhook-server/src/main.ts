import { serve } from '@hono/node-server';
import { createApp } from './create-app';

const port = Number.parseInt(process.env.PORT ?? '8080', 10);
serve({ fetch: createApp().fetch, port }, (info) => {
  process.stdout.write(`srcgit webhook server listening on http://127.0.0.1:${info.port}\n`);
});
