/**
 * Service benchmark: `npm run bench:service [-- --corpus DIR] [--soak-pages N]
 * [--recycle-after N] [--skip-throughput] [--skip-soak] [--skip-estimates]`.
 *
 * 1. Throughput: the corpus through the service (a separate process, over its real protocol)
 *    against the bare engine in this process, in pages per minute, with the ratio.
 * 2. Soak: N pages (300 by default) through one service; its RSS at page 50 and at page N,
 *    and the growth between them.
 * 3. Memory estimates: each corpus document in a fresh service, the estimate made from its
 *    header beside the peak measured while it was read.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceEvent, Task } from '../shared/contract';
import { createEngine } from '../electron/service/engine';
import { sniffFormat } from '../electron/service/engine/decode';
import { childProcessTransport } from '../electron/service/transport/adapters';
import { TransportClient } from '../electron/service/transport/rpc';

const SERVICE_MAIN = fileURLToPath(new URL('../electron/service/main.ts', import.meta.url));
const DEFAULT_CORPUS = resolve(fileURLToPath(new URL('../../shared/corpus', import.meta.url)));

interface BenchOptions {
  corpus: string;
  soakPages: number;
  skipThroughput: boolean;
  skipSoak: boolean;
  /** Soak only: replace the engine instance after this many pages (the pool's recycling). */
  recycleAfterPages: number | null;
  skipEstimates: boolean;
}

function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    corpus: DEFAULT_CORPUS,
    soakPages: 300,
    skipThroughput: false,
    skipSoak: false,
    recycleAfterPages: null,
    skipEstimates: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--corpus') options.corpus = resolve(argv[++i]);
    else if (argv[i] === '--soak-pages') options.soakPages = Number(argv[++i]);
    else if (argv[i] === '--skip-throughput') options.skipThroughput = true;
    else if (argv[i] === '--recycle-after') options.recycleAfterPages = Number(argv[++i]);
    else if (argv[i] === '--skip-soak') options.skipSoak = true;
    else if (argv[i] === '--skip-estimates') options.skipEstimates = true;
    else if (!argv[i].startsWith('--')) options.corpus = resolve(argv[i]);
  }
  return options;
}

/** Corpus documents: every file under the folder that reads as an image or PDF, sorted. */
async function corpusFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(dir);
  const documents: string[] = [];
  for (const file of files) if ((await sniffFormat(file)) !== null) documents.push(file);
  return documents;
}

interface ServiceChild {
  child: ChildProcess;
  client: TransportClient;
  stop(): Promise<void>;
}

async function startService(dataDir: string, configYaml = ''): Promise<ServiceChild> {
  if (configYaml) writeFileSync(join(dataDir, 'config.yaml'), configYaml);
  const child = fork(SERVICE_MAIN, ['--data-dir', dataDir], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const client = new TransportClient(childProcessTransport(child));
  await client.waitReady();
  return {
    child,
    client,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Submits files and resolves with their final tasks; `onPage` sees every page completion. */
async function runThrough(
  service: ServiceChild,
  files: string[],
  onPage?: (pagesDone: number) => void,
): Promise<Task[]> {
  const { client } = service;
  const finals = new Map<string, Task>();
  let pagesDone = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((r) => (finish = r));
  const expected = new Set<string>();
  client.subscribe((event: ServiceEvent) => {
    if (event.kind !== 'task_event') return;
    if (event.event.type === 'page_completed') onPage?.(++pagesDone);
    if (['completed', 'failed', 'cancelled'].includes(event.event.type)) {
      finals.set(event.task.id, event.task);
      if (expected.size > 0 && [...expected].every((id) => finals.has(id))) finish();
    }
  });
  const submitted = await client.request('submit', { paths: files });
  if (!submitted.ok) throw new Error(submitted.error.message);
  if (submitted.value.rejected.length > 0)
    throw new Error(submitted.value.rejected[0].error.message);
  for (const task of submitted.value.tasks) expected.add(task.id);
  if ([...expected].every((id) => finals.has(id))) finish();
  await allDone;
  return submitted.value.tasks.map((t) => finals.get(t.id) as Task);
}

function rssOfMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Document by document, the bare engine and then the service read the same file, so that
 * other load on the machine weighs on both alike.
 */
async function throughput(files: string[]): Promise<void> {
  console.log(`\n== Throughput: ${files.length} documents, engine and service in turn ==`);
  const engine = await createEngine();
  const service = await startService(mkdtempSync(join(tmpdir(), 'bench-service-')));
  // Load both first: neither load is timed.
  await engine.recognizeDocument(files[0]);
  await runThrough(service, [files[0]]);

  let engineMs = 0;
  let serviceMs = 0;
  let enginePages = 0;
  let servicePages = 0;
  const failed: string[] = [];
  for (const file of files) {
    const engineStart = performance.now();
    enginePages += (await engine.recognizeDocument(file)).pages.length;
    engineMs += performance.now() - engineStart;

    const serviceStart = performance.now();
    const [task] = await runThrough(service, [file]);
    serviceMs += performance.now() - serviceStart;
    servicePages += task.pagesDone;
    if (task.status !== 'completed') failed.push(task.source.name);
  }
  await engine.close();

  // The whole corpus submitted at once, as a user would drop it.
  const batchStart = performance.now();
  const batch = await runThrough(service, files);
  const batchMs = performance.now() - batchStart;
  await service.stop();
  const batchPages = batch.reduce((n, t) => n + t.pagesDone, 0);

  const ppm = (pages: number, ms: number) => (pages / ms) * 60_000;
  const line = (label: string, pages: number, ms: number) =>
    `${label}${pages} pages in ${(ms / 1000).toFixed(1)} s = ${ppm(pages, ms).toFixed(1)} pages/min`;
  console.log(line('bare engine:            ', enginePages, engineMs));
  console.log(line('service, one at a time: ', servicePages, serviceMs));
  console.log(line('service, whole batch:   ', batchPages, batchMs));
  const ratio = ppm(servicePages, serviceMs) / ppm(enginePages, engineMs);
  console.log(
    `ratio service/engine (same documents in turn): ${ratio.toFixed(3)} (target >= 0.90)`,
  );
  if (failed.length > 0) console.log(`failed in the service: ${failed.join(', ')}`);
}

async function soak(
  files: string[],
  pages: number,
  recycleAfterPages: number | null,
): Promise<void> {
  const recycling = recycleAfterPages ? `, instance recycled every ${recycleAfterPages} pages` : '';
  console.log(`\n== Soak: ${pages} pages through one service${recycling} ==`);
  const batch = Array.from({ length: pages }, (_, i) => files[i % files.length]);
  const service = await startService(
    mkdtempSync(join(tmpdir(), 'bench-soak-')),
    `queue:\n  maxSize: ${pages + 10}\n  timeoutMs: 86400000\n` +
      (recycleAfterPages ? `pool:\n  recycleAfterPages: ${recycleAfterPages}\n` : ''),
  );
  const pid = service.child.pid as number;
  const rssByPage: number[] = [];
  const started = performance.now();
  await runThrough(service, batch, (done) => {
    rssByPage[done] = rssOfMb(pid) ?? 0;
    if (done % 50 === 0) console.log(`  page ${done}: RSS ${rssByPage[done]} MB`);
  });
  await service.stop();
  const minutes = (performance.now() - started) / 60_000;
  const growth = (from: number, to: number) => (((to - from) / from) * 100).toFixed(1);

  const at50 = rssByPage[50];
  const atEnd = rssByPage[pages];
  console.log(`RSS at page 50: ${at50} MB; at page ${pages}: ${atEnd} MB`);
  console.log(`RSS growth page 50 -> ${pages}: ${growth(at50, atEnd)}% (target <= 10%)`);
  // A single reading depends on the document just read (a book page needs more than a
  // receipt); the peak over one pass of the corpus ending at each point compares like with like.
  const cycle = Math.min(files.length, 50);
  const peak = (end: number) => Math.max(...rssByPage.slice(end - cycle + 1, end + 1));
  console.log(
    `peak RSS over the ${cycle} pages up to page 50: ${peak(50)} MB; up to page ${pages}: ` +
      `${peak(pages)} MB; growth ${growth(peak(50), peak(pages))}%`,
  );
  console.log(`${(pages / minutes).toFixed(1)} pages/min`);
}

async function estimates(files: string[]): Promise<void> {
  console.log('\n== Memory estimate vs measured peak (each document in a fresh service) ==');
  console.log('document                          estimate MB   peak MB   estimate/peak');
  const ratios: number[] = [];
  for (const file of files) {
    const service = await startService(mkdtempSync(join(tmpdir(), 'bench-estimate-')));
    const pid = service.child.pid as number;
    let peakMb = rssOfMb(pid) ?? 0;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssOfMb(pid) ?? 0)), 50);
    const [task] = await runThrough(service, [file]);
    clearInterval(sampler);
    peakMb = Math.max(peakMb, rssOfMb(pid) ?? 0, task.actualMemoryMb ?? 0);
    await service.stop();
    const estimate = task.estimatedMemoryMb ?? 0;
    const ratio = estimate / peakMb;
    ratios.push(ratio);
    const flag = Math.abs(ratio - 1) <= 0.3 ? '' : '  (outside ±30%)';
    console.log(
      `${basename(file).padEnd(34)}${String(estimate).padStart(11)}${String(peakMb).padStart(10)}${ratio.toFixed(2).padStart(16)}${flag}`,
    );
  }
  const within = ratios.filter((r) => Math.abs(r - 1) <= 0.3).length;
  console.log(`within ±30%: ${within} of ${ratios.length}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const files = await corpusFiles(options.corpus);
  if (files.length === 0) throw new Error(`No documents under ${options.corpus}`);
  console.log(`Corpus: ${options.corpus} (${files.length} documents)`);
  if (!options.skipThroughput) await throughput(files);
  if (!options.skipSoak) await soak(files, options.soakPages, options.recycleAfterPages);
  if (!options.skipEstimates) await estimates(files);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
