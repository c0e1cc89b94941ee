// Main's router: every channel refuses malformed payloads with a typed error, unknown channels
// and foreign senders are refused, and only granted paths reach the service.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHANNELS, type Channel, type Result, type ServiceClient } from '../../../shared/contract';
import { GrantedPaths } from '../../../electron/service/server/granted-paths';
import { IpcRouter, type SenderInfo } from '../../../electron/main/ipc-router';

const ORIGIN = 'app://ocr-desk';
const ours: SenderInfo = { webContentsId: 7, isMainFrame: true, url: `${ORIGIN}/index.html` };

/** Records what reaches the service; answers every request with an empty success. */
function recordingClient() {
  const received: { channel: Channel; payload: unknown }[] = [];
  const client: ServiceClient = {
    async request(channel, payload) {
      received.push({ channel, payload });
      return { ok: true, value: {} } as Result<never>;
    },
    subscribe: () => () => undefined,
  };
  return { client, received };
}

function makeRouter(grants = new GrantedPaths()) {
  const { client, received } = recordingClient();
  const warnings: string[] = [];
  const router = new IpcRouter(client, grants, () => ({ webContentsId: 7, origin: ORIGIN }), {
    warn: (message) => warnings.push(message),
  });
  return { router, received, warnings, grants };
}

function assertRefused(result: Result<unknown>, code: string) {
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.error.code, code);
    assert.ok(result.error.message.length > 0);
  }
}

const MALFORMED: unknown[] = [
  'text',
  42,
  [],
  { unexpectedKey: true },
  { taskId: 5 },
  { paths: 'not-a-list' },
];

describe('IPC router', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-router-'));
    writeFileSync(join(dir, 'chosen.png'), 'x');
    writeFileSync(join(dir, 'secret.txt'), 'x');
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'folder', 'inside.png'), 'x');
    mkdirSync(join(dir, 'exports'));
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'folder', 'link-out.png'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const channel of CHANNELS) {
    it(`${channel}: refuses malformed payloads with invalid_request`, async () => {
      const { router, received } = makeRouter();
      for (const payload of MALFORMED) {
        const result = await router.handle(ours, { channel, payload });
        assertRefused(result, 'invalid_request');
      }
      assert.equal(received.length, 0, 'nothing malformed reached the service');
    });
  }

  it('refuses an unknown channel and a message without one', async () => {
    const { router, received } = makeRouter();
    assertRefused(
      await router.handle(ours, { channel: 'deleteEverything', payload: {} }),
      'invalid_request',
    );
    assertRefused(
      await router.handle(ours, { channel: '__proto__', payload: {} }),
      'invalid_request',
    );
    assertRefused(await router.handle(ours, 'submit'), 'invalid_request');
    assertRefused(await router.handle(ours, null), 'invalid_request');
    assert.equal(received.length, 0);
  });

  it('refuses foreign senders: another window, a subframe, another page', async () => {
    const { router, received, warnings } = makeRouter();
    const message = { channel: 'getMetrics', payload: {} };
    assertRefused(await router.handle({ ...ours, webContentsId: 8 }, message), 'forbidden');
    assertRefused(await router.handle({ ...ours, isMainFrame: false }, message), 'forbidden');
    assertRefused(
      await router.handle({ ...ours, url: 'https://example.invalid/' }, message),
      'forbidden',
    );
    assertRefused(
      await router.handle({ ...ours, url: 'app://ocr-desk.evil/index.html' }, message),
      'forbidden',
    );
    assert.equal(received.length, 0);
    assert.equal(warnings.length, 4);
  });

  it('forwards a well-formed request from our window', async () => {
    const { router, received } = makeRouter();
    const result = await router.handle(ours, { channel: 'listTasks', payload: { limit: 10 } });
    assert.equal(result.ok, true);
    assert.deepEqual(received, [{ channel: 'listTasks', payload: { limit: 10 } }]);
  });

  it('submits only files and folders the user chose', async () => {
    const { router, received, grants } = makeRouter();
    const submit = (paths: string[]) =>
      router.handle(ours, { channel: 'submit', payload: { paths } });

    assertRefused(await submit([join(dir, 'chosen.png')]), 'forbidden');
    grants.grantInputs([join(dir, 'chosen.png'), join(dir, 'folder')]);
    assert.equal((await submit([join(dir, 'chosen.png')])).ok, true);
    assert.equal((await submit([join(dir, 'folder', 'inside.png')])).ok, true);
    assertRefused(await submit([join(dir, 'secret.txt')]), 'forbidden');
    assertRefused(await submit([join(dir, 'folder', '..', 'secret.txt')]), 'forbidden');
    assertRefused(await submit([join(dir, 'folder', 'link-out.png')]), 'forbidden');
    assertRefused(await submit(['relative/path.png']), 'forbidden');
    assertRefused(await submit([join(dir, 'chosen.png'), '/etc/passwd']), 'forbidden');
    assert.equal(received.length, 2);
  });

  it('exports only to a folder the user picked for export', async () => {
    const { router, received, grants } = makeRouter();
    const exportTo = (destinationDir: string) =>
      router.handle(ours, {
        channel: 'export',
        payload: { taskIds: ['t1'], formats: ['txt'], destinationDir },
      });

    assertRefused(await exportTo(join(dir, 'exports')), 'forbidden');
    grants.grantExportDir(join(dir, 'exports'));
    assert.equal((await exportTo(join(dir, 'exports'))).ok, true);
    assertRefused(await exportTo(dir), 'forbidden');
    assertRefused(await exportTo(join(dir, 'folder')), 'forbidden');
    assert.equal(received.length, 1);
  });
});
