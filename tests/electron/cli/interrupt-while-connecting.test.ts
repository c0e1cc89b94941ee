/**
 * Ctrl-C while the CLI still waits for its service (starting one can take a minute, joining a
 * busy one longer): the batch ends at once with its files cancelled, and the connection that
 * comes later is let go.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CliOptions } from '../../../electron/cli/cli-args';
import { runBatch } from '../../../electron/cli/run-batch';
import type { ServiceConnection } from '../../../electron/cli/service-connection';
import { inMemoryTransportPair } from '../../../electron/service/transport/adapters';
import { TransportClient } from '../../../electron/service/transport/rpc';
import { CORPUS_DIR } from '../../support/corpus-dir';

test('an interrupt while the service starts ends the batch at once, cancelled', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ocr-desk-interrupt-'));
  const image = join(root, 'simple.png');
  copyFileSync(join(CORPUS_DIR, 'tesseractjs-clean/simple.png'), image);
  const options: CliOptions = {
    inputs: [image],
    outDir: join(root, 'out'),
    formats: ['txt'],
    priority: 0,
    dataDir: join(root, 'data'),
  };

  let lateClosed = false;
  const slowStart = () =>
    new Promise<ServiceConnection>((resolve) =>
      setTimeout(() => {
        const client = new TransportClient(inMemoryTransportPair()[1]);
        resolve({ client, child: null, close: async () => void (lateClosed = true) });
      }, 3_000),
    );
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const startedMs = Date.now();
  const { summary } = await runBatch(options, options.dataDir!, {
    log: () => undefined,
    signal: controller.signal,
    connect: slowStart,
  });
  assert.ok(Date.now() - startedMs < 2_000, 'ended without waiting for the service');
  assert.deepEqual(
    summary.items.map((item) => [item.status, item.error?.code]),
    [['cancelled', 'cancelled']],
  );
  await new Promise((resolve) => setTimeout(resolve, 3_200));
  assert.ok(lateClosed, 'the connection made after the interrupt was closed');
});
