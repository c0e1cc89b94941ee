/**
 * Browser mode: the renderer and the contract served on 127.0.0.1 only, behind a random access
 * token and an Origin check. The page, its assets, the upload and download endpoints and the
 * WebSocket all refuse a request without the token (401) or with a wrong one or from a foreign
 * origin (403).
 */
import { createReadStream, readdirSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Result, ServiceClient } from '../../../shared/contract';
import { OcrError, toErrorInfo } from '../../../shared/errors';
import { CONTENT_SECURITY_POLICY } from '../../../shared/content-security-policy';
import type { Logger } from '../logger';
import { decideAccess, decodeComponent, parseTarget, TOKEN_COOKIE } from './access-guard';
import { FileDropBox } from './file-drop-box';
import { GrantedPaths } from './granted-paths';
import { bridgeSocket } from './ws-bridge';

export const LOOPBACK_HOST = '127.0.0.1';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export interface BrowserServerOptions {
  client: ServiceClient;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
  /** Random when absent. */
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: Result<unknown>): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

const STATUS_TEXT = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
} as const;

function refuse(response: ServerResponse, status: keyof typeof STATUS_TEXT, reason: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${STATUS_TEXT[status]}: ${reason}\n`);
}

function refuseUpgrade(socket: Duplex, status: keyof typeof STATUS_TEXT): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** The upload's file name, sent percent-encoded so that any name fits in a header. */
function uploadName(request: IncomingMessage): string {
  const header = request.headers['x-file-name'];
  if (header === undefined) return 'upload';
  const name = decodeComponent(String(header));
  if (name === null) {
    throw new OcrError(
      'invalid_request',
      'The X-File-Name header is not a valid percent-encoded (UTF-8) file name.',
    );
  }
  return name;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const grants = new GrantedPaths();
  const dropBox = new FileDropBox(options.dataDir, grants);
  const log = options.log;
  // Only the files the build produced are served; no path from a request touches the disk.
  const assets = new Set(readdirSync(options.rendererDir));
  let port = options.port;

  async function serveAsset(name: string, response: ServerResponse): Promise<void> {
    if (!assets.has(name)) return refuse(response, 404, 'no such file');
    const body = await readFile(join(options.rendererDir, name));
    const headers: Record<string, string> = {
      'content-type': MIME[extname(name)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (name === 'index.html') {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['x-frame-options'] = 'DENY';
      // Assets and the socket are fetched without the token in their URL; the cookie carries it.
      headers['set-cookie'] =
        `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    }
    response.writeHead(200, headers);
    response.end(body);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = parseTarget(request.url ?? '/');
    if (!url) return refuse(response, 400, 'malformed request target');
    const method = request.method ?? 'GET';

    if (method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      return serveAsset('index.html', response);
    }
    if (method === 'PUT' && url.pathname === '/api/upload') {
      const name = uploadName(request);
      const length = request.headers['content-length']
        ? Number(request.headers['content-length'])
        : null;
      const path = await dropBox.receive(request, name, length);
      log.info('upload received', { name, path });
      return sendJson(response, 200, { ok: true, value: { path } });
    }
    if (method === 'POST' && url.pathname === '/api/export-folder') {
      return sendJson(response, 200, { ok: true, value: { dir: await dropBox.newExportDir() } });
    }
    if (method === 'GET' && url.pathname === '/api/exports/file') {
      const real = dropBox.exportedFile(url.searchParams.get('path') ?? '');
      if (!real) return refuse(response, 403, 'not an exported file');
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String((await stat(real)).size),
        'content-disposition': `attachment; filename="${encodeURIComponent(basename(real))}"`,
        'cache-control': 'no-store',
      });
      // A file removed or unreadable after the stat ends the response, not the process.
      await pipeline(createReadStream(real), response);
      return;
    }
    if (method === 'GET' && /^\/[\w.-]+$/.test(url.pathname))
      return serveAsset(url.pathname.slice(1), response);
    return refuse(response, 404, 'no such endpoint');
  }

  function handleRequest(request: IncomingMessage, response: ServerResponse): void {
    const decision = decideAccess(
      { url: request.url ?? '/', headers: request.headers },
      { token, port },
    );
    if (!decision.allowed) {
      log.warn('request refused', {
        url: url0(request.url),
        status: decision.status,
        reason: decision.reason,
      });
      request.resume();
      return refuse(response, decision.status, decision.reason);
    }
    route(request, response).catch((error: unknown) => {
      log.warn('request failed', { url: url0(request.url), error: String(error) });
      if (!response.headersSent) sendJson(response, 400, { ok: false, error: toErrorInfo(error) });
      else response.destroy();
    });
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const decision = decideAccess(
      { url: request.url ?? '/', headers: request.headers },
      { token, port },
    );
    const path = decision.allowed ? parseTarget(request.url ?? '/')?.pathname : undefined;
    if (!decision.allowed || path !== '/ws') {
      const status = decision.allowed ? 404 : decision.status;
      log.warn('socket refused', {
        status,
        reason: decision.allowed ? 'wrong path' : decision.reason,
      });
      return refuseUpgrade(socket, status);
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      bridgeSocket(ws, options.client, grants, log),
    );
  }

  // The service shares this process: whatever a request holds, it gets an answer, never a crash.
  const server = createServer((request, response) => {
    try {
      handleRequest(request, response);
    } catch (error) {
      log.warn('request refused', { url: url0(request.url), error: String(error) });
      request.resume();
      if (!response.headersSent) refuse(response, 400, 'malformed request');
      else response.destroy();
    }
  });
  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off an upgraded socket; a reset client must not crash us.
    socket.on('error', (error) => log.warn('upgrade socket error', { error: error.message }));
    try {
      handleUpgrade(request, socket, head);
    } catch (error) {
      log.warn('socket refused', { status: 400, error: String(error) });
      refuseUpgrade(socket, 400);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK_HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://${LOOPBACK_HOST}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A request target without its query, so that tokens never reach the log. */
function url0(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
