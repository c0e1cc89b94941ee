/**
 * The command line end to end: the real launcher, the real service child and real models.
 * Exit status and messages for a missing and a corrupt file, the mirrored output tree with
 * skipped non-documents, a batch that survives its service being killed, and a data folder
 * the service cannot write.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BatchSummary } from '../../../electron/cli/batch-summary';
import { makeBrokenPagePdf } from '../../fixtures-gen/make-pdfs';
import { brokenMiddlePageTiff } from '../../hostile/byte-surgery';
import { mountTinyDisk, unmount } from '../../chaos/storage-faults';
import { CORPUS_DIR } from '../../support/corpus-dir';
import { startServiceProcess } from '../service/helpers/service-process';
import { until } from '../service/helpers/until';
import { makeUnwritable } from '../service/helpers/unwritable-folder';

const BIN = fileURLToPath(new URL('../../../bin/ocr-desk.js', import.meta.url));
const CORPUS = CORPUS_DIR;
const SIMPLE_PNG = join(CORPUS, 'tesseractjs-clean/simple.png');
const COSMIC_PNG = join(CORPUS, 'tesseractjs-clean/cosmic.png');
const RECEIPT_JPG = join(CORPUS, 'sroie-receipts/sroie_000.jpg');
const BOOK_TIFF = join(CORPUS, 'oldbooks-pages/b017.tiff');

interface Run {
  code: number | null;
  stderr: string;
}

function runCli(args: string[], onStart?: (pid: number) => void): Promise<Run> {
  return new Promise((resolve) => {
    // Started from another folder, as a user would, to show the launcher does not need the repo as cwd.
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (child.pid) onStart?.(child.pid);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'ocr-desk-cli-'));
  return { root, out: join(root, 'out'), data: join(root, 'data') };
}

/** The summary's counts for a batch with no cancelled file and no failed page. */
function counts(completed: number, failed: number, skipped: number) {
  return { completed, failed, cancelled: 0, skipped, withFailedPages: 0 };
}

function readSummary(out: string): BatchSummary {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as BatchSummary;
}

test('a missing file: exit status 1, the reason on stderr and in summary.json', async () => {
  const { root, out, data } = workspace();
  const missing = join(root, 'nowhere.png');
  const run = await runCli([missing, '--out', out, '--data-dir', data]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`failed \\[file_not_found\\] File not found: ${missing}`));
  const summary = readSummary(out);
  assert.deepEqual(summary.counts, counts(0, 1, 0));
  assert.equal(summary.items[0].error?.code, 'file_not_found');
});

test('a corrupt file: exit status 1 with a readable reason; the other file is still read', async () => {
  const { root, out, data } = workspace();
  const corrupt = join(root, 'torn.jpg');
  // The first 3 kB of a real JPEG: a valid header over missing image data.
  writeFileSync(corrupt, readFileSync(RECEIPT_JPG).subarray(0, 3000));
  const good = join(root, 'simple.png');
  copyFileSync(SIMPLE_PNG, good);

  const run = await runCli([corrupt, good, '--out', out, '--format', 'txt', '--data-dir', data]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /torn\.jpg: failed \[invalid_input\] .*could not be decoded/);
  assert.match(run.stderr, /simple\.png: completed \(1 page/);
  assert.match(readFileSync(join(out, 'simple.txt'), 'utf8'), /Tesseract/);
  const summary = readSummary(out);
  assert.deepEqual(summary.counts, counts(1, 1, 0));
  const failed = summary.items.find((i) => i.status === 'failed');
  assert.equal(failed?.error?.code, 'invalid_input');
});

test('the output mirrors the input tree; non-documents in folders are skipped, not failed', async () => {
  const { root, out, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(join(docs, 'a'), { recursive: true });
  copyFileSync(SIMPLE_PNG, join(docs, 'a', 'b.png'));
  // Judged by content: a PNG name over text is not a document; a picture without extension is.
  writeFileSync(join(docs, 'notes.png'), 'not an image\n');
  copyFileSync(COSMIC_PNG, join(docs, 'scan'));
  const single = join(root, 'single.png');
  copyFileSync(SIMPLE_PNG, single);

  const run = await runCli([
    docs,
    single,
    '--out',
    out,
    '--format',
    'txt,json,md',
    '--data-dir',
    data,
  ]);
  assert.equal(run.code, 0, run.stderr);
  for (const ext of ['txt', 'json', 'md']) {
    assert.ok(existsSync(join(out, 'a', `b.${ext}`)), `a/b.${ext}`);
    assert.ok(existsSync(join(out, `scan.${ext}`)), `scan.${ext}`);
    assert.ok(existsSync(join(out, `single.${ext}`)), `single.${ext}`);
  }
  assert.match(readFileSync(join(out, 'scan.txt'), 'utf8'), /HellO World/);
  const summary = readSummary(out);
  assert.deepEqual(summary.counts, counts(3, 0, 1));
  const skipped = summary.items.find((i) => i.status === 'skipped');
  assert.equal(skipped?.path, join(docs, 'notes.png'));
  assert.match(run.stderr, /notes\.png: skipped/);
  assert.match(run.stderr, /3 completed, 0 failed, 1 skipped/);
});

test('the batch finishes when its service child is killed mid-batch', async () => {
  const { root, out, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  // Book pages take seconds each, so the batch is still running when the kill comes.
  for (let i = 0; i < 12; i += 1)
    copyFileSync(i % 3 ? SIMPLE_PNG : BOOK_TIFF, join(docs, `page-${i}.${i % 3 ? 'png' : 'tiff'}`));

  let killed = false;
  const run = await runCli([docs, '--out', out, '--data-dir', data], () => {
    // Kill the service once it has written a few results, whichever they are.
    const timer = setInterval(() => {
      if (killed) return;
      const written = existsSync(out) ? readdirSync(out).filter((n) => n.endsWith('.txt')) : [];
      if (written.length < 2) return;
      const lock = JSON.parse(readFileSync(join(data, 'service.lock'), 'utf8')) as { pid: number };
      process.kill(lock.pid, 'SIGKILL');
      killed = true;
      clearInterval(timer);
    }, 50);
  });
  assert.ok(killed, 'the service was killed during the batch');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /The OCR service stopped; restarting it/);
  const summary = readSummary(out);
  assert.deepEqual(summary.counts, counts(12, 0, 0));
  for (let i = 0; i < 12; i += 1)
    assert.ok(existsSync(join(out, `page-${i}.txt`)), `page-${i}.txt`);
});

test('with a service already running on the data folder, the CLI joins it', async () => {
  const { root, out, data } = workspace();
  const service = await startServiceProcess(data);
  try {
    const file = join(root, 'joined.png');
    copyFileSync(SIMPLE_PNG, file);
    const run = await runCli([file, '--out', out, '--data-dir', data]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(join(out, 'joined.txt'), 'utf8'), /Tesseract/);
    // Same queue and history: the running service saw the task.
    const listed = await service.client.request('listTasks', { search: 'joined.png' });
    assert.ok(listed.ok);
    assert.equal(listed.value.total, 1);
    assert.equal(listed.value.tasks[0].status, 'completed');
    assert.equal(service.child.exitCode, null, 'the CLI left the running service alone');
  } finally {
    await service.stop();
  }
});

test('a data folder the service cannot write: each file fails with the reason, no restarts', async (t) => {
  const { root, out, data } = workspace();
  mkdirSync(data);
  const undo = makeUnwritable(data);
  if (!undo) return t.skip('this machine cannot make a folder unwritable');
  try {
    const files = [join(root, 'a.png'), join(root, 'b.png')];
    for (const file of files) copyFileSync(SIMPLE_PNG, file);
    const run = await runCli([...files, '--out', out, '--data-dir', data]);
    assert.equal(run.code, 1);
    const reason = `OCR Desk cannot write its data folder ${data}`;
    // Said once as the service refuses to start, then for each file.
    const beforeFiles = run.stderr.slice(0, run.stderr.indexOf('[1/2]'));
    assert.equal(beforeFiles.split(reason).length - 1, 1, run.stderr);
    assert.match(run.stderr, /a\.png: failed \[storage_unavailable\] OCR Desk cannot write/);
    assert.doesNotMatch(run.stderr, /restarting it/);
    const summary = readSummary(out);
    assert.deepEqual(summary.counts, counts(0, 2, 0));
    assert.equal(summary.items[1].error?.code, 'storage_unavailable');
  } finally {
    undo();
  }
});

test('files whose names clash get distinct outputs, and --out inside the inputs replaces no user file', async () => {
  const { root, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  copyFileSync(SIMPLE_PNG, join(docs, 'r.png'));
  copyFileSync(RECEIPT_JPG, join(docs, 'r.jpg'));
  copyFileSync(COSMIC_PNG, join(docs, 'notes.png'));
  // A user's own text file where notes.png's text would go.
  writeFileSync(join(docs, 'notes.txt'), 'my notes\n');
  const other = join(root, 'other');
  mkdirSync(other);
  copyFileSync(COSMIC_PNG, join(other, 'r.png'));

  // The output folder is the input folder, and a second r.png comes from elsewhere.
  const args = [docs, join(other, 'r.png'), '--out', docs, '--format', 'txt,pdf'];
  const run = await runCli([...args, '--data-dir', data]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(join(docs, 'notes.txt'), 'utf8'), 'my notes\n');
  assert.match(readFileSync(join(docs, 'notes-2.txt'), 'utf8'), /Cosmic/);
  const summary = readSummary(docs);
  const outputs = summary.items.flatMap((item) => item.outputs);
  assert.equal(new Set(outputs).size, outputs.length, `distinct outputs: ${outputs.join(', ')}`);
  const textOf = (name: string) =>
    readFileSync(summary.items.find((i) => i.path === name)!.outputs[0], 'utf8');
  assert.match(textOf(join(docs, 'r.png')), /Tesseract/);
  assert.match(textOf(join(other, 'r.png')), /Cosmic/);
  assert.doesNotMatch(textOf(join(docs, 'r.jpg')), /Tesseract|Cosmic/);
  // A second run into the same folder reads the same documents, not the first run's outputs,
  // and replaces those outputs (listed in its summary) rather than numbering new ones.
  const again = await runCli([...args, '--data-dir', data]);
  assert.equal(again.code, 0, again.stderr);
  const second = readSummary(docs);
  // The first run's searchable PDFs are not read as documents, nor its text files skipped.
  assert.deepEqual(second.counts, counts(4, 0, 1));
  const secondOutputs = second.items.flatMap((item) => item.outputs);
  for (const output of secondOutputs) assert.ok(outputs.includes(output), output);
  assert.equal(readFileSync(join(docs, 'notes.txt'), 'utf8'), 'my notes\n');
});

test('Ctrl-C cancels what is left, writes the summary and leaves nothing queued', async () => {
  const { root, out, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < 10; i += 1) copyFileSync(RECEIPT_JPG, join(docs, `receipt-${i}.jpg`));

  let interrupted = false;
  const run = await runCli([docs, '--out', out, '--data-dir', data], (pid) => {
    const timer = setInterval(() => {
      if (!existsSync(join(out, 'receipt-0.txt'))) return;
      clearInterval(timer);
      process.kill(pid, 'SIGINT');
      interrupted = true;
    }, 50);
  });
  assert.ok(interrupted, run.stderr);
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /Stopping: cancelling what is left/);
  const summary = readSummary(out);
  assert.ok(summary.counts.completed >= 1, JSON.stringify(summary.counts));
  assert.ok(summary.counts.cancelled >= 1, JSON.stringify(summary.counts));
  assert.equal(summary.counts.completed + summary.counts.cancelled, 10);
  for (const item of summary.items.filter((i) => i.status !== 'completed')) {
    assert.equal(item.status, 'cancelled');
    assert.equal(item.error?.code, 'cancelled');
  }

  // The service child has stopped, and the history holds no task still waiting to run.
  assert.ok(!existsSync(join(data, 'service.lock')), 'the service child stopped');
  const service = await startServiceProcess(data);
  try {
    const waiting = await service.client.request('listTasks', {
      statuses: ['queued', 'running', 'paused'],
    });
    assert.ok(waiting.ok);
    assert.equal(waiting.value.total, 0);
  } finally {
    await service.stop();
  }
});

test('a CLI that finishes first leaves the service running for another CLI that joined it', async () => {
  const { root, data } = workspace();
  const first = join(root, 'first');
  const second = join(root, 'second');
  mkdirSync(first);
  mkdirSync(second);
  for (let i = 0; i < 3; i += 1) copyFileSync(RECEIPT_JPG, join(first, `receipt-${i}.jpg`));
  for (let i = 0; i < 6; i += 1) copyFileSync(RECEIPT_JPG, join(second, `receipt-${i}.jpg`));

  // The first CLI starts the service; the second joins it once it is up, and its tasks queue
  // behind the first one's.
  const firstRun = runCli([first, '--out', join(root, 'out1'), '--data-dir', data]);
  await until(async () => existsSync(join(data, 'service.sock')));
  const secondRun = runCli([second, '--out', join(root, 'out2'), '--data-dir', data]);

  const [a, b] = await Promise.all([firstRun, secondRun]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.doesNotMatch(b.stderr, /restarting it/);
  assert.equal(readSummary(join(root, 'out2')).counts.completed, 6);
});

test('a PDF with a broken page: the other pages are read, the page failure is told, exit 1', async () => {
  const { root, out, data } = workspace();
  const pdf = join(root, 'broken-page.pdf');
  await makeBrokenPagePdf(pdf);
  const run = await runCli([pdf, '--out', out, '--format', 'txt,pdf', '--data-dir', data]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /broken-page\.pdf: completed \(2 of 3 pages.*\); page 2 failed \[/);
  const summary = readSummary(out);
  assert.deepEqual({ ...summary.counts }, { ...counts(1, 0, 0), withFailedPages: 1 });
  assert.deepEqual(
    summary.items[0].failedPages.map((p) => p.page),
    [2],
  );
  assert.ok(existsSync(join(out, 'broken-page.txt')));
});

test('a TIFF page with a damaged header fails alone; the other pages are read', async () => {
  const { root, out, data } = workspace();
  const tiff = join(root, 'bad-header.tiff');
  writeFileSync(tiff, await brokenMiddlePageTiff([COSMIC_PNG, SIMPLE_PNG, COSMIC_PNG], 'header'));
  const run = await runCli([tiff, '--out', out, '--data-dir', data]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /bad-header\.tiff: completed \(2 of 3 pages.*\); page 2 failed \[/);
  assert.match(readFileSync(join(out, 'bad-header.txt'), 'utf8'), /Hello/i);
});

test('a TIFF with a broken page: the PDF has the other pages, and says which page it lacks', async () => {
  const { root, out, data } = workspace();
  const tiff = join(root, 'broken-page.tiff');
  writeFileSync(tiff, await brokenMiddlePageTiff([COSMIC_PNG, SIMPLE_PNG, COSMIC_PNG]));
  const run = await runCli([tiff, '--out', out, '--format', 'txt,pdf', '--data-dir', data]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /broken-page\.tiff: completed \(2 of 3 pages.*\); page 2 failed \[/);
  assert.match(run.stderr, /page 2 is not in broken-page\.pdf/);
  const item = readSummary(out).items[0];
  assert.equal(item.status, 'completed');
  assert.equal(item.pages, 2);
  assert.deepEqual(
    item.failedPages.map((p) => p.page),
    [2],
  );
  assert.equal(
    execFileSync('pdfinfo', [join(out, 'broken-page.pdf')], { encoding: 'utf8' }).match(
      /Pages:\s+(\d+)/,
    )?.[1],
    '2',
  );
});

test('one format that cannot be written fails the file, but its pages are still summarised', async () => {
  const { root, out, data } = workspace();
  const tiff = join(root, 'broken-page.tiff');
  writeFileSync(tiff, await brokenMiddlePageTiff([COSMIC_PNG, SIMPLE_PNG, COSMIC_PNG]));
  // A folder where the PDF would go: the rename into place fails, the text is written.
  mkdirSync(join(out, 'broken-page.pdf'), { recursive: true });
  const run = await runCli([tiff, '--out', out, '--format', 'txt,pdf', '--data-dir', data]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /broken-page\.tiff: failed \[export_failed\] .*; read \(2 of 3 pages/);
  const item = readSummary(out).items[0];
  assert.equal(item.status, 'failed');
  assert.equal(item.error?.code, 'export_failed');
  assert.equal(item.pages, 2);
  assert.deepEqual(
    item.failedPages.map((p) => p.page),
    [2],
  );
  assert.deepEqual(item.outputs, [join(out, 'broken-page.txt')]);
});

test('legal file names the export request would refuse as they are still get outputs', async () => {
  const { root, out, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  // A backslash is an ordinary character in a Linux name; 250 characters fit its 255-byte limit.
  const long = `${'l'.repeat(246)}.png`;
  for (const name of ['back\\slash.png', long]) copyFileSync(SIMPLE_PNG, join(docs, name));
  const run = await runCli([docs, '--out', out, '--format', 'txt,alto', '--data-dir', data]);
  assert.equal(run.code, 0, run.stderr);
  const summary = readSummary(out);
  assert.deepEqual({ ...summary.counts }, counts(2, 0, 0));
  const written = summary.items.flatMap((item) => item.outputs).sort();
  assert.deepEqual(written, [
    join(out, 'back_slash.alto.xml'),
    join(out, 'back_slash.txt'),
    join(out, `${'l'.repeat(200)}.alto.xml`),
    join(out, `${'l'.repeat(200)}.txt`),
  ]);
  for (const path of written) assert.ok(existsSync(path), path);
});

test('a summary.json the full disk cannot take: none half-written, the summary on stderr, exit 1', async (t) => {
  const { root, data } = workspace();
  const disk = mountTinyDisk(64);
  if (!disk) return t.skip('this process may not mount a tmpfs');
  try {
    // Room for the batch's lock and one small text output (a 4 KB page each), not for more.
    writeFileSync(join(disk, 'filler'), Buffer.alloc(56 * 1024));
    const out = join(disk, 'out');
    const page = join(root, 'page.png');
    copyFileSync(SIMPLE_PNG, page);
    const run = await runCli([page, '--out', out, '--format', 'txt', '--data-dir', data]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /1 completed, 0 failed, 0 skipped\n/);
    assert.match(run.stderr, /summary\.json could not be written: .*ENOSPC/);
    assert.ok(existsSync(join(out, 'page.txt')));
    assert.deepEqual(readdirSync(out), ['page.txt']);
  } finally {
    unmount(disk);
  }
});

test('a queue timeout while waiting its turn is not a failure: the CLI puts the task back', async () => {
  const { root, out, data } = workspace();
  mkdirSync(data);
  // Far shorter than a receipt takes: every task behind the first two would time out.
  writeFileSync(join(data, 'config.yaml'), 'queue:\n  timeoutMs: 500\n');
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < 6; i += 1) copyFileSync(RECEIPT_JPG, join(docs, `receipt-${i}.jpg`));
  const run = await runCli([docs, '--out', out, '--data-dir', data]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readSummary(out).counts, counts(6, 0, 0));
});

test('links and special files in folders; a document named summary.json is not replaced', async () => {
  const { root, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  copyFileSync(SIMPLE_PNG, join(docs, 'simple.png'));
  copyFileSync(COSMIC_PNG, join(docs, 'summary.json'));
  symlinkSync(join(docs, 'simple.png'), join(docs, 'linked.png'));
  symlinkSync(root, join(docs, 'loop'));
  execFileSync('mkfifo', [join(docs, 'pipe')]);

  // The summary goes where the documents are, beside the document named summary.json.
  const run = await runCli([docs, '--out', docs, '--data-dir', data]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readFileSync(join(docs, 'summary.json')), readFileSync(COSMIC_PNG));
  const summary = JSON.parse(readFileSync(join(docs, 'summary-2.json'), 'utf8')) as BatchSummary;
  const byName = (name: string) => summary.items.find((i) => i.path === join(docs, name));
  assert.equal(byName('linked.png')?.status, 'completed');
  assert.equal(byName('summary.json')?.status, 'completed');
  assert.match(byName('loop')?.skippedReason ?? '', /link to a folder/);
  assert.match(byName('pipe')?.skippedReason ?? '', /not a regular file/);
  assert.deepEqual(summary.counts, counts(3, 0, 2));
});

test('the output folder is not searched, even when --out reaches it through a link', async () => {
  const { root, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(join(docs, 'results'), { recursive: true });
  copyFileSync(SIMPLE_PNG, join(docs, 'simple.png'));
  copyFileSync(COSMIC_PNG, join(docs, 'results', 'earlier.png'));
  const outLink = join(root, 'out-link');
  symlinkSync(join(docs, 'results'), outLink);

  const run = await runCli([docs, '--out', outLink, '--data-dir', data]);
  assert.equal(run.code, 0, run.stderr);
  const summary = readSummary(outLink);
  assert.deepEqual(
    summary.items.map((item) => item.path),
    [join(docs, 'simple.png')],
  );
});

test('earlier batches are known by all their summaries, also after one with fewer formats', async () => {
  const { root, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  copyFileSync(SIMPLE_PNG, join(docs, 'r.png'));
  // The user's own summary.json: the batches write summary-2.json beside it.
  writeFileSync(join(docs, 'summary.json'), '{"mine":1}\n');
  const run = (formats: string) =>
    runCli([docs, '--out', docs, '--format', formats, '--data-dir', data]);

  assert.equal((await run('txt,pdf')).code, 0);
  assert.equal((await run('txt')).code, 0);
  const third = await run('txt');
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stderr, /Reading 1 file into/);
  const summary = JSON.parse(readFileSync(join(docs, 'summary-2.json'), 'utf8')) as BatchSummary;
  assert.deepEqual(summary.items[0].outputs, [join(docs, 'r.txt')]);
  assert.ok(summary.earlierOutputs.includes(join(docs, 'r.pdf')), "the first batch's PDF");
  assert.equal(readFileSync(join(docs, 'summary.json'), 'utf8'), '{"mine":1}\n');
});

test('CLIs started at the same moment share one service without an error', async () => {
  const { root, data } = workspace();
  const runs = await Promise.all(
    [0, 1, 2].map((i) => runCli([SIMPLE_PNG, '--out', join(root, `out${i}`), '--data-dir', data])),
  );
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /Another OCR Desk service|restarting it/);
  }
});

test('a second Ctrl-C quits the CLI at once and leaves the service to the CLI that joined it', async () => {
  const { root, data } = workspace();
  const first = join(root, 'first');
  const second = join(root, 'second');
  mkdirSync(first);
  mkdirSync(second);
  for (let i = 0; i < 4; i += 1) copyFileSync(RECEIPT_JPG, join(first, `receipt-${i}.jpg`));
  for (let i = 0; i < 4; i += 1) copyFileSync(RECEIPT_JPG, join(second, `receipt-${i}.jpg`));

  let owner = 0;
  const firstRun = runCli([first, '--out', join(root, 'out1'), '--data-dir', data], (pid) => {
    owner = pid;
  });
  await until(async () => existsSync(join(data, 'service.sock')));
  const secondRun = runCli([second, '--out', join(root, 'out2'), '--data-dir', data]);
  await until(async () => existsSync(join(root, 'out2', 'receipt-0.txt')), 60_000);
  process.kill(owner, 'SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(owner, 'SIGINT');

  assert.equal((await firstRun).code, 130);
  const b = await secondRun;
  assert.equal(b.code, 0, b.stderr);
  assert.doesNotMatch(b.stderr, /restarting it/);
  assert.deepEqual(readSummary(join(root, 'out2')).counts, counts(4, 0, 0));
});

test('--out naming an existing file, a path below one, or a folder that cannot be made is a usage error', async () => {
  const { root } = workspace();
  const file = join(root, 'taken');
  writeFileSync(file, 'a file\n');
  const run = await runCli([SIMPLE_PNG, '--out', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--out .*taken is a file, not a folder/);
  // Below a file, and on a file system that takes no new folders: refused, not hung.
  const below = await runCli([SIMPLE_PNG, '--out', join(file, 'out')]);
  assert.equal(below.code, 2);
  assert.match(below.stderr, /cannot be created or written \(ENOTDIR\)/);
  if (existsSync('/proc/self')) {
    const proc = await runCli([SIMPLE_PNG, '--out', '/proc/ocr-desk-out/a']);
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /--out \/proc\/ocr-desk-out\/a cannot be created or written/);
  }
});

test('a second batch into an output folder in use is refused; the first finishes', async () => {
  const { root, out, data } = workspace();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < 2; i += 1) copyFileSync(BOOK_TIFF, join(docs, `book-${i}.tiff`));
  const lock = join(out, '.ocr-desk-batch.lock');
  const first = runCli([docs, '--out', out, '--data-dir', data]);
  await until(async () => existsSync(lock), 60_000);
  const second = await runCli([SIMPLE_PNG, '--out', out, '--data-dir', data]);
  assert.equal(second.code, 2, second.stderr);
  assert.match(second.stderr, /Another ocr-desk batch \(pid \d+\) is writing to .*out/);
  const done = await first;
  assert.equal(done.code, 0, done.stderr);
  assert.deepEqual(readSummary(out).counts, counts(2, 0, 0));
  assert.ok(!existsSync(lock), 'the lock is gone with its batch');
  assert.ok(!existsSync(join(out, 'simple.txt')), 'the refused batch wrote nothing');

  // A lock left by a batch that was killed does not stop the next one.
  writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 1 }));
  const after = await runCli([SIMPLE_PNG, '--out', out, '--data-dir', data]);
  assert.equal(after.code, 0, after.stderr);
});

test('inputs with no documents at all are told as such, not as a bare count', async () => {
  const { root, out } = workspace();
  const empty = join(root, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, '.hidden.png'), readFileSync(SIMPLE_PNG));
  const run = await runCli([empty, '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Nothing to read: no documents in .*empty/);
  assert.deepEqual(readSummary(out).counts, counts(0, 0, 0));
});

test('usage errors exit with status 2', async () => {
  const run = await runCli([SIMPLE_PNG]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--out DIR is required/);
  const badFormat = await runCli([SIMPLE_PNG, '--out', tmpdir(), '--format', 'docx']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /Unknown format docx/);
});
