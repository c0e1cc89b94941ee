// Browser mode's closed door: loopback only, the token on every request and on the socket,
// no foreign Origin, every channel's malformed payloads refused with a typed error, and no path
// the user did not upload reaching the service.
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { CHANNELS } from '../../shared/contract';
import { parseServeArguments } from '../../electron/service/server/serve-arguments';
import { startServe, type ServeProcess } from './support/serve-process';
import { connectSocket, type TestSocket } from './support/ws-client';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** fetch() does not let a caller set Host; a rebinding attacker's browser sends its own name. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });
}

/** The HTTP status of a refused WebSocket upgrade, or 101 when it was accepted. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => (socket.close(), resolve(101)));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', (error) =>
      error.message.includes('Unexpected server response') ? undefined : reject(error),
    );
  });
}

/** Sends raw bytes to the server and resolves with the status line of its answer. */
function rawStatusLine(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(5000);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.once('end', () => resolve(answer.split('\r\n')[0]));
    socket.once('close', () => resolve(answer.split('\r\n')[0]));
    socket.once('error', reject);
    socket.once('timeout', () => (socket.destroy(), resolve(answer.split('\r\n')[0])));
  });
}

describe('browser mode security', { timeout: 120_000 }, () => {
  let serve: ServeProcess;
  let socket: TestSocket;
  let base: string;

  let chosenPort: number;

  before(async () => {
    chosenPort = await freePort();
    serve = await startServe(['--port', String(chosenPort)]);
    base = serve.origin;
    socket = await connectSocket(serve.port, serve.token);
  });
  after(async () => {
    socket?.close();
    await serve?.stop();
  });

  it('listens on the port given with --port', () => {
    assert.equal(serve.port, chosenPort);
    assert.equal(serve.url, `http://127.0.0.1:${chosenPort}/?token=${serve.token}`);
  });

  it('refuses bad options with a usage message', () => {
    assert.deepEqual(parseServeArguments(['--port', '8080']), { port: 8080 });
    assert.deepEqual(parseServeArguments([]), { port: 0 });
    assert.throws(() => parseServeArguments(['--port', 'http']), /--port needs a port number/);
    assert.throws(() => parseServeArguments(['--port', '70000']), /--port/);
    assert.throws(() => parseServeArguments(['--host', '0.0.0.0']), /Unknown option --host/);
  });

  it('listens on 127.0.0.1 only', async () => {
    assert.equal(await canConnect('127.0.0.1', serve.port), true);
    // Bound to 0.0.0.0 it would answer on every loopback address and on the network.
    assert.equal(await canConnect('127.0.0.2', serve.port), false);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) assert.equal(await canConnect(external.address, serve.port), false);
  });

  it('refuses the page, assets and API without the right token', async () => {
    assert.equal((await fetch(`${base}/`)).status, 401);
    assert.equal((await fetch(`${base}/?token=wrong`)).status, 403);
    assert.equal((await fetch(`${base}/?token=${serve.token}x`)).status, 403);
    assert.equal((await fetch(`${base}/app.js`)).status, 401);
    assert.equal((await fetch(`${base}/api/upload`, { method: 'PUT', body: 'x' })).status, 401);
    assert.equal((await fetch(`${base}/api/export-folder`, { method: 'POST' })).status, 401);
    assert.equal((await fetch(`${base}/api/exports/file?path=/etc/passwd`)).status, 401);
    const ok = await fetch(`${base}/?token=${serve.token}`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    // The page's assets come with the cookie it set.
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    assert.equal((await fetch(`${base}/app.js`, { headers: { cookie } })).status, 200);
    assert.equal(
      (await fetch(`${base}/app.js`, { headers: { cookie: 'ocr_desk_token=nope' } })).status,
      403,
    );
  });

  it('refuses a foreign Origin or Host even with the token', async () => {
    const withToken = `${base}/?token=${serve.token}`;
    assert.equal(
      (await fetch(withToken, { headers: { origin: 'http://evil.example' } })).status,
      403,
    );
    assert.equal(await statusWithHost(withToken, `evil.example:${serve.port}`), 403);
    assert.equal(await statusWithHost(withToken, `127.0.0.1:${serve.port}`), 200);
    const upload = await fetch(`${base}/api/upload?token=${serve.token}`, {
      method: 'PUT',
      headers: { origin: 'http://evil.example' },
      body: 'x',
    });
    assert.equal(upload.status, 403);
  });

  it('refuses the WebSocket without the token, with a wrong one, or from a foreign Origin', async () => {
    const ws = `ws://127.0.0.1:${serve.port}/ws`;
    const origin = { origin: base };
    assert.equal(await upgradeStatus(ws, origin), 401);
    assert.equal(await upgradeStatus(`${ws}?token=wrong`, origin), 403);
    assert.equal(
      await upgradeStatus(`${ws}?token=${serve.token}`, { origin: 'http://evil.example' }),
      403,
    );
    assert.equal(await upgradeStatus(`${ws}?token=${serve.token}`, origin), 101);
  });

  it('answers malformed cookies, targets and upgrades with 400 and stays up', async () => {
    const host = `Host: 127.0.0.1:${serve.port}\r\n`;
    const badCookie = 'Cookie: ocr_desk_token=%E0%A4%A\r\n';
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    const requests = [
      `GET / HTTP/1.1\r\n${host}${badCookie}Connection: close\r\n\r\n`,
      `GET /ws HTTP/1.1\r\n${host}${badCookie}${upgrade}\r\n`,
      `GET http://[ HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
      `GET http://[ HTTP/1.1\r\n${host}${upgrade}\r\n`,
      `GET http://[?token=${serve.token} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
    ];
    for (const request of requests) {
      assert.match(await rawStatusLine(serve.port, request), /^HTTP\/1\.1 400 /, request);
    }
    assert.equal((await fetch(`${base}/?token=${serve.token}`)).status, 200);
  });

  it('refuses a malformed upload name as an invalid request', async () => {
    const response = await fetch(`${base}/api/upload?token=${serve.token}`, {
      method: 'PUT',
      headers: { 'x-file-name': '%E0%A4%A.png' },
      body: 'x',
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { ok: false; error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_request');
    assert.match(body.error.message, /X-File-Name/);
    assert.equal((await fetch(`${base}/?token=${serve.token}`)).status, 200);
  });

  it('answers malformed payloads on every channel with a typed error', async () => {
    const malformed: unknown[] = ['text', 42, [], { unexpectedKey: true }, { taskId: 5 }];
    let id = 1000;
    for (const channel of CHANNELS) {
      for (const payload of malformed) {
        const reply = await socket.sendRaw(
          JSON.stringify({ type: 'request', id: ++id, channel, payload }),
        );
        assert.equal(reply.type, 'response');
        assert.ok(
          reply.type === 'response' && !reply.result.ok,
          `${channel} accepted ${JSON.stringify(payload)}`,
        );
        if (reply.type === 'response' && !reply.result.ok)
          assert.equal(reply.result.error.code, 'invalid_request');
      }
    }
  });

  it('refuses unknown channels and malformed envelopes, and stays up', async () => {
    const unknown = await socket.sendRaw(
      JSON.stringify({ type: 'request', id: 1, channel: 'rmrf', payload: {} }),
    );
    assert.ok(
      unknown.type === 'response' &&
        !unknown.result.ok &&
        unknown.result.error.code === 'invalid_request',
    );
    for (const text of ['not json', '{"type":"event","id":3}', 'null', '{"id":"x"}', '[]']) {
      const reply = await socket.sendRaw(text);
      assert.ok(reply.type === 'response' && !reply.result.ok, text);
    }
    const alive = await socket.request('getMetrics', {});
    assert.equal(alive.ok, true);
  });

  it('reads only uploaded files and exports only to folders it made', async () => {
    const submit = await socket.request('submit', { paths: ['/etc/passwd'] });
    assert.ok(!submit.ok && submit.error.code === 'forbidden');
    const exported = await socket.request('export', {
      taskIds: ['x'],
      formats: ['txt'],
      destinationDir: '/tmp',
    });
    assert.ok(!exported.ok && exported.error.code === 'forbidden');

    // An upload named like a path traversal lands in its own folder under the data folder.
    const response = await fetch(`${base}/api/upload?token=${serve.token}`, {
      method: 'PUT',
      headers: { 'x-file-name': encodeURIComponent('../../../../tmp/evil.png') },
      body: 'not an image',
    });
    const body = (await response.json()) as { ok: boolean; value: { path: string } };
    assert.ok(body.ok);
    assert.ok(body.value.path.startsWith(`${serve.dataDir}/uploads/`), body.value.path);
    assert.ok(body.value.path.endsWith('/evil.png'));

    const download = await fetch(
      `${base}/api/exports/file?token=${serve.token}&path=${encodeURIComponent(body.value.path)}`,
    );
    assert.equal(download.status, 403);
  });
});
