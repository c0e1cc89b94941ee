// The desktop app through Playwright's Electron launcher: the same path as browser mode, with
// files coming in through the preload (paths granted by main) and exports to a granted folder.
// Skipped where the Electron binary is not installed (npm's electron package without its
// download), since nothing else can stand in for it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright';
import { corpusDir, repoRoot } from './support/serve-process';

const CORPUS = corpusDir;
const FILES = [
  `${CORPUS}/tesseractjs-clean/simple.png`,
  `${CORPUS}/tesseractjs-clean/testocr.png`,
  `${CORPUS}/tesseractjs-clean/cosmic.png`,
  `${CORPUS}/sroie-receipts/sroie_000.jpg`,
  `${CORPUS}/sroie-receipts/sroie_320.jpg`,
];

const { electronBinary } = (await import(join(repoRoot, 'scripts', 'electron-binary.mjs'))) as {
  electronBinary: () => string | null;
};
const binary = electronBinary();
const skip = binary === null ? 'Electron binary not installed' : false;

describe('desktop app end to end', { skip, timeout: 300_000 }, () => {
  let app: ElectronApplication;
  let appWindow: Page;
  let userData: string;
  let exportDir: string;

  before(async () => {
    const { buildTargets } = (await import(join(repoRoot, 'scripts', 'build.mjs'))) as {
      buildTargets: () => Promise<void>;
    };
    await buildTargets();
    userData = mkdtempSync(join(tmpdir(), 'ocr-desk-electron-'));
    exportDir = mkdtempSync(join(tmpdir(), 'ocr-desk-export-'));
    // Files on the command line are granted by main and submitted, as a second launch would.
    app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [repoRoot, `--user-data-dir=${userData}`, ...FILES],
      env: { ...process.env, OCR_DESK_DATA_DIR: userData },
    });
    appWindow = await app.firstWindow();
    await appWindow.waitForSelector('body[data-ready=true]');
  });

  after(async () => {
    await app?.close();
    rmSync(userData, { recursive: true, force: true });
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('runs the page isolated: no Node, no raw IPC, only the typed API', async () => {
    const globals = await appWindow.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys(window.ocrDesk ?? {}).sort(),
    }));
    assert.equal(globals.require, 'undefined');
    assert.equal(globals.process, 'undefined');
    assert.ok(!globals.api.includes('ipcRenderer'));
    assert.ok(globals.api.includes('request'));
  });

  it('reads the five files from the command line to completion', async () => {
    await appWindow.waitForFunction(
      () => document.querySelectorAll('.vrow [data-status=completed]').length === 5,
      undefined,
      { timeout: 240_000, polling: 250 },
    );
  });

  it('refuses to submit a path the user did not choose', async () => {
    const result = await appWindow.evaluate(() =>
      window.ocrDesk!.request('submit', { paths: ['/etc/hostname'] }),
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'forbidden');
  });

  it('shows the text the service stored, and exports to a granted folder', async () => {
    const tasks = await appWindow.evaluate(() =>
      window.ocrDesk!.request('listTasks', { limit: 10 }),
    );
    assert.ok(tasks.ok);
    const task = tasks.value.tasks[0];
    const detail = await appWindow.evaluate(
      (id) => window.ocrDesk!.request('getTask', { taskId: id, includeResults: true }),
      task.id,
    );
    assert.ok(detail.ok);
    await appWindow.locator(`.vrow:has([data-task-id="${task.id}"])`).click();
    await appWindow.waitForFunction(
      (want) => document.querySelector('[data-testid=ocr-text]')?.textContent === want,
      detail.value.pages[0].text,
    );

    // The dialog is main's; stub it to answer with our folder, as a user picking it would.
    await app.evaluate(({ dialog }, dir) => {
      dialog.showOpenDialog = (async () => ({
        canceled: false,
        filePaths: [dir],
      })) as typeof dialog.showOpenDialog;
    }, exportDir);
    const folder = await appWindow.evaluate(() => window.ocrDesk!.chooseExportFolder());
    assert.ok(folder.ok && folder.value.dir === exportDir);
    const exported = await appWindow.evaluate(
      ([id, dir]) =>
        window.ocrDesk!.request('export', { taskIds: [id], formats: ['txt'], destinationDir: dir }),
      [task.id, exportDir] as const,
    );
    assert.ok(exported.ok, JSON.stringify(exported));
    const [file] = readdirSync(exportDir).filter((f) => f.endsWith('.txt'));
    assert.equal(
      readFileSync(join(exportDir, file), 'utf8').trim(),
      detail.value.pages[0].text.trim(),
    );
  });

  it('shows live memory samples in the pool panel', async () => {
    await appWindow.getByRole('button', { name: 'Devices & pool' }).click();
    const chart = appWindow.getByTestId('memory-chart');
    const first = Number(await chart.getAttribute('data-sample-count'));
    await appWindow.waitForTimeout(2500);
    assert.ok(Number(await chart.getAttribute('data-sample-count')) >= first + 2);
  });
});
