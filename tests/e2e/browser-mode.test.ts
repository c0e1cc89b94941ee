// The whole path in browser mode, in Debian's Chromium: five corpus images come in by the Open
// button and by a drop, all complete, the detail view shows the service's text over the page,
// the pool panel's chart takes live samples, an export is written and checked, and every
// screen is photographed (into docs/screenshots/ by `npm run screenshots`).
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Task } from '../../shared/contract';
import { launchChromium } from './support/browser';
import { corpusDir, screenshotDir, startServe, type ServeProcess } from './support/serve-process';
import { connectSocket, type TestSocket } from './support/ws-client';

const CORPUS = corpusDir;
const OPENED = [
  `${CORPUS}/tesseractjs-clean/simple.png`,
  `${CORPUS}/tesseractjs-clean/testocr.png`,
];
const DROPPED = [
  `${CORPUS}/tesseractjs-clean/cosmic.png`,
  `${CORPUS}/sroie-receipts/sroie_000.jpg`,
  `${CORPUS}/sroie-receipts/sroie_320.jpg`,
];
const SCREENSHOTS = screenshotDir();

/** Drops files on the window the way a file manager does: a DataTransfer with real contents. */
async function dropFiles(page: Page, files: { name: string; type: string; base64: string }[]) {
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    const target = document.querySelector('.app') as HTMLElement;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(
        new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    }
  }, files);
}

function fileForDrop(path: string) {
  return {
    name: basename(path),
    type: path.endsWith('.png') ? 'image/png' : 'image/jpeg',
    base64: readFileSync(path).toString('base64'),
  };
}

async function allTasks(socket: TestSocket): Promise<Task[]> {
  const result = await socket.request('listTasks', { limit: 500 });
  assert.ok(result.ok, 'listTasks failed');
  return result.value.tasks;
}

describe('browser mode end to end', { timeout: 300_000 }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let socket: TestSocket;
  const pageErrors: string[] = [];

  before(async () => {
    serve = await startServe();
    socket = await connectSocket(serve.port, serve.token);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(serve.url);
    await page.waitForSelector('body[data-ready=true]');
  });

  after(async () => {
    socket?.close();
    await browser?.close();
    await serve?.stop();
  });

  it('prints only the loopback URL with a token as its first line', () => {
    assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('shows the empty window with its drop hint', async () => {
    await page.getByText('No documents yet').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'empty-window.png') });
  });

  it('takes files from the Open button and from a drop, and all five complete', async () => {
    await page.setInputFiles('[data-testid=file-input]', OPENED);
    await dropFiles(page, DROPPED.map(fileForDrop));

    await page.waitForFunction(
      () => document.querySelectorAll('.vrow [data-status=completed]').length === 5,
      undefined,
      { timeout: 240_000, polling: 250 },
    );
    const tasks = await allTasks(socket);
    assert.equal(tasks.length, 5);
    assert.deepEqual(
      tasks.map((t) => t.source.name).sort(),
      [...OPENED, ...DROPPED].map((p) => basename(p)).sort(),
    );
    for (const task of tasks) {
      assert.equal(task.status, 'completed', `${task.source.name}: ${task.failureMessage}`);
      // Uploads are kept under the data folder, one folder per upload.
      assert.ok(task.source.path.startsWith(join(serve.dataDir, 'uploads')), task.source.path);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'task-list.png') });
  });

  it('lists a file that could not be added with its reason', async () => {
    await dropFiles(page, [{ name: 'empty.png', type: 'image/png', base64: '' }]);
    const notice = page.getByTestId('notice').filter({ hasText: 'empty.png' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /empty\.png: The file is empty/);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
  });

  it("shows each task's text exactly as the service stored it, over its page image", async () => {
    for (const task of await allTasks(socket)) {
      const detail = await socket.request('getTask', { taskId: task.id, includeResults: true });
      assert.ok(detail.ok);
      const expected = detail.value.pages[0].text;
      assert.ok(expected.length > 0, `${task.source.name} has no text`);

      await page.locator(`.vrow:has([data-task-id="${task.id}"])`).click();
      const text = page.getByTestId('ocr-text');
      await page.waitForFunction(
        ([el, want]) => (el as HTMLElement | null)?.textContent === want,
        [await text.elementHandle(), expected] as const,
        { timeout: 10_000 },
      );
      assert.equal(await text.textContent(), expected);
    }

    // The page image arrived and the lines are drawn over it; hovering a line lights its text.
    const image = page.locator('[data-testid=page-view] img');
    await image.waitFor();
    assert.match((await image.getAttribute('src')) ?? '', /^data:image\/jpeg;base64,/);
    assert.ok(
      await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    );
    const polygons = page.locator('[data-testid=page-view] polygon');
    assert.ok((await polygons.count()) > 0);
    await polygons.first().hover();
    const key = await polygons.first().getAttribute('data-line');
    await page.locator(`.ocr-text .line.hover[data-line="${key}"]`).waitFor();
    // And the reverse: a line of text lights its polygon.
    const lastLine = page.locator('.ocr-text .line').last();
    await lastLine.hover();
    const lastKey = await lastLine.getAttribute('data-line');
    await page.locator(`[data-testid=page-view] polygon.hover[data-line="${lastKey}"]`).waitFor();
    await page.getByTestId('timeline').locator('li').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'task-detail.png') });
  });

  it('works from the keyboard and follows a dark system theme', async () => {
    await page.getByRole('grid').focus();
    await page.keyboard.press('Home');
    const activeId = () => page.locator('.vrow.active [data-task-id]').getAttribute('data-task-id');
    const first = await activeId();
    await page.keyboard.press('ArrowDown');
    const second = await activeId();
    assert.ok(first && second && first !== second);
    await page.getByTestId('task-detail').waitFor();
    assert.equal(
      await page.getByTestId('task-detail').getAttribute('aria-label'),
      `Details of ${(await page.locator(`[data-task-id="${second}"] [role=gridcell]`).first().innerText()).trim()}`,
    );

    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(22, 25, 31)');
    await page.screenshot({ path: join(SCREENSHOTS, 'task-detail-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('draws live memory samples in the pool panel', async () => {
    await page.getByRole('button', { name: 'Devices & pool' }).click();
    const chart = page.getByTestId('memory-chart');
    await chart.waitFor();
    const count = async () => Number(await chart.getAttribute('data-sample-count'));
    const before = await count();
    await page.waitForTimeout(2500);
    const afterCount = await count();
    assert.ok(afterCount >= before + 2, `samples went from ${before} to ${afterCount} in 2.5 s`);
    const path = await chart.locator('path.chart-used').first().getAttribute('d');
    assert.match(path ?? '', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    await page.getByTestId('device-cpu').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'pool-panel.png') });
  });

  it('edits the settings with validation messages', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const field = page.getByLabel('Maximum queued tasks');
    await field.fill('0');
    await page.locator('[aria-invalid=true]#cfg-queue\\.maxSize').waitFor();
    const message = await page.locator('[id="cfg-queue.maxSize-error"]').innerText();
    assert.match(message, /small|least|>=|greater/i);
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).isDisabled(), true);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings.png') });

    await field.fill('250');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const config = await socket.request('getConfig', {});
    assert.ok(config.ok);
    assert.equal(config.value.queue.maxSize, 250);
  });

  it('exports every task as text and JSON to a folder and offers the files', async () => {
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByRole('button', { name: 'Select all' }).click();
    await page.getByRole('button', { name: 'Export…' }).first().click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.locator('[data-format=json]').check();
    await dialog.getByRole('button', { name: 'Prepare export folder' }).click();
    await dialog.getByTestId('export-target').filter({ hasText: serve.dataDir }).waitFor();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('export-result').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'export.png') });

    const exportRoot = join(serve.dataDir, 'exports');
    const [folder] = readdirSync(exportRoot);
    const written = readdirSync(join(exportRoot, folder));
    assert.equal(written.filter((f) => f.endsWith('.txt')).length, 5, written.join(', '));
    assert.equal(written.filter((f) => f.endsWith('.json')).length, 5, written.join(', '));

    for (const task of await allTasks(socket)) {
      const detail = await socket.request('getTask', { taskId: task.id, includeResults: true });
      assert.ok(detail.ok);
      const stem = task.source.name.replace(/\.[^.]+$/, '');
      const txt = readFileSync(join(exportRoot, folder, `${stem}.txt`), 'utf8');
      assert.equal(txt.trim(), detail.value.pages[0].text.trim(), `${stem}.txt`);
    }

    // The download link serves the same bytes, with the token.
    const link = dialog.locator('a[download$=".txt"]').first();
    const href = await link.getAttribute('href');
    const response = await fetch(new URL(href ?? '', serve.origin));
    assert.equal(response.status, 200);
    const name = (await link.getAttribute('download')) ?? '';
    assert.equal(await response.text(), readFileSync(join(exportRoot, folder, name), 'utf8'));
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('takes a folder through the folder picker, skipping what is not a document', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ocr-desk-folder-'));
    mkdirSync(join(folder, 'scans'));
    copyFileSync(OPENED[0], join(folder, 'scans', 'again.png'));
    writeFileSync(join(folder, 'notes.txt'), 'not a document');
    try {
      await page.setInputFiles('input[webkitdirectory]', folder);
      const notice = page.getByTestId('notice').filter({ hasText: 'notes.txt' });
      await notice.waitFor();
      assert.match(await notice.innerText(), /notes\.txt: Skipped: not a document type/);
      await page.waitForFunction(
        () => document.querySelectorAll('.vrow [data-status=completed]').length === 6,
        undefined,
        { timeout: 60_000 },
      );
      const names = (await allTasks(socket)).map((t) => t.source.name);
      assert.ok(names.includes('again.png'), names.join(', '));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('raised no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
