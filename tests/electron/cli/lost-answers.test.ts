/**
 * A batch whose connection to the service drops just as the service answers: the request was
 * carried out but its answer lost. The batch reconnects and goes on without losing the file
 * and without reading it twice. Real service, engine and models in this process; only the
 * connection is cut, at a chosen answer.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Channel, Task, WireMessage } from '../../../shared/contract';
import type { CliOptions } from '../../../electron/cli/cli-args';
import { runBatch } from '../../../electron/cli/run-batch';
import type { ServiceConnection } from '../../../electron/cli/service-connection';
import { silentLogger } from '../../../electron/service/logger';
import { startService, type OcrService } from '../../../electron/service/service';
import { inMemoryTransportPair } from '../../../electron/service/transport/adapters';
import type { MessageTransport } from '../../../electron/service/transport/message-transport';
import { TransportClient } from '../../../electron/service/transport/rpc';
import { CORPUS_DIR } from '../../support/corpus-dir';

const SIMPLE_PNG = join(CORPUS_DIR, 'tesseractjs-clean/simple.png');

/**
 * Connections to `service` over the in-memory pair. The first answer on `channel` is never
 * sent: the connection closes in its place, as when the service dies having done the work.
 */
function connectionsLosing(service: OcrService, channel: Channel) {
  let lost = false;
  let opened = 0;
  const connect = async (): Promise<ServiceConnection> => {
    opened += 1;
    const [serviceEnd, clientEnd] = inMemoryTransportPair();
    const asked = new Set<number>();
    const cutting: MessageTransport = {
      ...serviceEnd,
      onMessage(listener) {
        serviceEnd.onMessage((message) => {
          const request = message as { type?: string; id?: number; channel?: string };
          if (request.type === 'request' && request.channel === channel) asked.add(request.id!);
          listener(message);
        });
      },
      send(message: WireMessage) {
        if (!lost && message.type === 'response' && asked.has(message.id)) {
          lost = true;
          serviceEnd.close();
          return;
        }
        serviceEnd.send(message);
      },
    };
    service.attach(cutting);
    const client = new TransportClient(clientEnd);
    return { client, child: null, close: async () => client.close() };
  };
  return { connect, wasLost: () => lost, opened: () => opened };
}

async function batchLosing(channel: Channel) {
  const root = mkdtempSync(join(tmpdir(), 'ocr-desk-lost-'));
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < 3; i += 1) copyFileSync(SIMPLE_PNG, join(docs, `page-${i}.png`));
  const out = join(root, 'out');
  const dataDir = join(root, 'data');
  const service = await startService({ dataDir, logger: silentLogger });
  try {
    const connections = connectionsLosing(service, channel);
    const log: string[] = [];
    const options: CliOptions = {
      inputs: [docs],
      outDir: out,
      formats: ['txt'],
      priority: 0,
      dataDir,
    };
    const { summary } = await runBatch(options, dataDir, {
      log: (text) => log.push(text),
      connect: connections.connect,
    });
    const listed = await service.handle('listTasks', { limit: 500 });
    assert.ok(listed.ok);
    const tasks = (listed.value as { tasks: Task[] }).tasks;
    return { summary, out, tasks, connections, log: log.join('') };
  } finally {
    await service.close();
  }
}

test('an export whose answer was lost is exported again after reconnecting', async () => {
  const { summary, out, connections, log } = await batchLosing('export');
  assert.ok(connections.wasLost(), 'an export answer was cut');
  assert.equal(connections.opened(), 2, log);
  assert.match(log, /The OCR service stopped; restarting it \(1 of 3\)/);
  assert.deepEqual(
    summary.items.map((item) => [item.relativePath, item.status, item.error]),
    [0, 1, 2].map((i) => [`page-${i}.png`, 'completed', null]),
    log,
  );
  for (let i = 0; i < 3; i += 1) assert.ok(existsSync(join(out, `page-${i}.txt`)), `page-${i}.txt`);
});

test('a submit whose answer was lost is followed, not submitted twice', async () => {
  const { summary, tasks, connections, log } = await batchLosing('submit');
  assert.ok(connections.wasLost(), 'a submit answer was cut');
  assert.equal(summary.counts.completed, 3, log);
  assert.equal(summary.counts.failed, 0, log);
  assert.equal(tasks.length, 3, 'one task per file in the service');
  assert.ok(tasks.every((task) => task.status === 'completed'));
});
