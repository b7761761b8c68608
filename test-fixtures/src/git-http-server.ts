import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { neutralGitEnv } from './run-git';

/** What a request wants: which repository, and whether it writes (push) or only reads. */
export interface GitHttpAccess {
  /** Repository path relative to the server root, e.g. `group/project.git`. */
  readonly repository: string;
  readonly write: boolean;
  /** Credentials from HTTP basic auth, if any. */
  readonly username: string | undefined;
  readonly password: string | undefined;
}

export type GitHttpDecision = 'allow' | 'unauthorized' | 'forbidden' | 'not-found';

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories. */
  readonly root: string;
  /** Decides each request. Default: allow everything. */
  readonly authorize?: (access: GitHttpAccess) => GitHttpDecision | Promise<GitHttpDecision>;
  /** Called after a successful push (`git-receive-pack`) with the repository path. */
  readonly onPush?: (repository: string) => void | Promise<void>;
  /** Mount prefix in the URL, default `/`. */
  readonly prefix?: string;
}

export interface GitHttpServer {
  /** Base URL; a repository `group/p.git` is at `${url}/group/p.git`. */
  readonly url: string;
  close(): Promise<void>;
  /** The request handler, for mounting inside another server (the GitLab simulator). */
  readonly handle: (request: IncomingMessage, response: ServerResponse, path: string) => void;
}

/**
 * Serves bare repositories over git's smart HTTP protocol through the real `git http-backend`
 * (CGI), so clones, fetches and pushes in tests go through the same code path as against a forge.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const handle = createGitHttpHandler(options);
  const prefix = options.prefix ?? '';
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    handle(request, response, path.startsWith(prefix) ? path.slice(prefix.length) : path);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    handle,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

const SERVICE_PATH = /^\/(.+?\.git)\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.*)$/;

export function createGitHttpHandler(
  options: GitHttpServerOptions,
): (request: IncomingMessage, response: ServerResponse, path: string) => void {
  const authorize = options.authorize ?? (() => 'allow' as const);
  return (request, response, path) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = SERVICE_PATH.exec(path);
      if (match === null) {
        response.writeHead(404).end('not a git path\n');
        return;
      }
      const repository = match[1] ?? '';
      const service = url.searchParams.get('service') ?? match[2] ?? '';
      const write = service === 'git-receive-pack';
      const credentials = parseBasicAuth(request.headers.authorization);
      const decision = await authorize({ repository, write, ...credentials });
      if (decision !== 'allow') {
        const status = { unauthorized: 401, forbidden: 403, 'not-found': 404 }[decision];
        const headers: Record<string, string> =
          decision === 'unauthorized' ? { 'WWW-Authenticate': 'Basic realm="srcgit test git"' } : {};
        response.writeHead(status, headers).end(`${decision}\n`);
        return;
      }
      await runBackend(
        options.root,
        path,
        url.search.slice(1),
        request,
        response,
        credentials.username ?? 'anonymous',
      );
      if (write && request.method === 'POST' && response.statusCode === 200)
        await options.onPush?.(repository);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(`git http-backend failed: ${String(error)}\n`);
    });
  };
}

function parseBasicAuth(header: string | undefined): {
  username: string | undefined;
  password: string | undefined;
} {
  if (header?.startsWith('Basic ') !== true) return { username: undefined, password: undefined };
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? { username: decoded, password: '' }
    : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function runBackend(
  root: string,
  path: string,
  query: string,
  request: IncomingMessage,
  response: ServerResponse,
  user: string,
): Promise<void> {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...neutralGitEnv,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_HTTP_RECEIVE_PACK: 'true',
      PATH_INFO: path,
      QUERY_STRING: query,
      REQUEST_METHOD: request.method ?? 'GET',
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_USER: user,
      REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  request.pipe(child.stdin);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (end === undefined) return;
    headersDone = true;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.index).toString('latin1'));
    response.writeHead(status, headers);
    response.write(head.subarray(end.index + end.length));
  });
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (!headersDone) {
        response.writeHead(500).end(`git http-backend exited with ${code}: ${stderr}`);
      } else {
        response.end();
      }
      resolve();
    });
  });
}

function headerEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers[name] = value;
  }
  return { status, headers };
}
