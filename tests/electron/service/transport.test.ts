import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import type { Result, ServiceEvent } from '../../../shared/contract';
import { EventEmitter } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import {
  childProcessTransport,
  inMemoryTransportPair,
  parentPortTransport,
  workerPortTransport,
} from '../../../electron/service/transport/adapters';
import type { MessageTransport } from '../../../electron/service/transport/message-transport';
import { serveTransport, TransportClient } from '../../../electron/service/transport/rpc';
import { socketTransport } from '../../../electron/service/transport/socket-transport';

/** A service stand-in that echoes the channel, to check the protocol alone. */
function echoService() {
  const listeners = new Set<(event: ServiceEvent) => void>();
  return {
    handle: async (channel: string, payload: unknown): Promise<Result<unknown>> =>
      channel === 'getConfig'
        ? { ok: true, value: { channel, payload } }
        : { ok: false, error: { code: 'not_found', message: channel } },
    subscribe(listener: (event: ServiceEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push: (event: ServiceEvent) => listeners.forEach((l) => l(event)),
    listenerCount: () => listeners.size,
  };
}

async function roundTrip(serviceEnd: MessageTransport, clientEnd: MessageTransport) {
  const service = echoService();
  serveTransport(service, serviceEnd);
  const client = new TransportClient(clientEnd);
  const received: ServiceEvent[] = [];
  client.subscribe((e) => received.push(e));

  assert.deepEqual(await client.request('getConfig', {}), {
    ok: true,
    value: { channel: 'getConfig', payload: {} },
  });
  assert.deepEqual(await client.request('getMetrics', {}), {
    ok: false,
    error: { code: 'not_found', message: 'getMetrics' },
  });
  service.push({ kind: 'queue_state', state: { paused: true } });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(received, [{ kind: 'queue_state', state: { paused: true } }]);
  return { client, service };
}

test('requests, responses and events over the in-memory pair; closing fails what is pending', async () => {
  const [serviceEnd, clientEnd] = inMemoryTransportPair();
  const { client, service } = await roundTrip(serviceEnd, clientEnd);
  client.close();
  assert.equal(service.listenerCount(), 0, 'the closed connection stops its event forwarding');
  assert.deepEqual(await client.request('getConfig', {}), {
    ok: false,
    error: { code: 'internal', message: 'The connection to the service was lost' },
  });
});

test('the same protocol over a worker MessagePort', async () => {
  const { port1, port2 } = new MessageChannel();
  const { client } = await roundTrip(workerPortTransport(port1), workerPortTransport(port2));
  client.close();
  port1.close();
});

test('an Electron-style parentPort (messages wrapped in { data }) fits the adapter', async () => {
  const { port1, port2 } = new MessageChannel();
  const parentPort = {
    postMessage: (message: unknown) => port1.postMessage(message),
    on: (_event: 'message', listener: (event: { data: unknown }) => void) =>
      port1.on('message', (data) => listener({ data })),
  };
  const { client } = await roundTrip(parentPortTransport(parentPort), workerPortTransport(port2));
  client.close();
  port1.close();
});

test('malformed messages get an invalid_request answer, not a crash', async () => {
  const [serviceEnd, clientEnd] = inMemoryTransportPair();
  serveTransport(echoService(), serviceEnd);
  const answers: unknown[] = [];
  clientEnd.onMessage((m) => answers.push(m));
  clientEnd.send({ type: 'request', id: 7, channel: 'dropTables', payload: {} } as never);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(answers.length, 1);
  const answer = answers[0] as { id: number; result: Result<unknown> };
  assert.equal(answer.id, 7);
  assert.equal(answer.result.ok, false);
  assert.equal(!answer.result.ok && answer.result.error.code, 'invalid_request');
});

test('a close listener added after the other side went is still called, once', async () => {
  // The service's host can go while the service is starting, before it listens for the close.
  const endpoint = Object.assign(new EventEmitter(), { connected: true });
  const child = childProcessTransport(endpoint);
  endpoint.connected = false;
  endpoint.emit('disconnect');
  endpoint.emit('disconnect');
  let childCloses = 0;
  child.onClose(() => childCloses++);

  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const socket: Socket = createConnection({ host: '127.0.0.1', port });
  const transport = socketTransport(socket);
  await new Promise((resolve) => socket.once('close', resolve));
  let socketCloses = 0;
  transport.onClose(() => socketCloses++);
  server.close();

  // An endpoint wrapped after it was already disconnected is closed from the start.
  const orphan = childProcessTransport(Object.assign(new EventEmitter(), { connected: false }));
  let orphanCloses = 0;
  orphan.onClose(() => orphanCloses++);

  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([childCloses, socketCloses, orphanCloses], [1, 1, 1]);
});
