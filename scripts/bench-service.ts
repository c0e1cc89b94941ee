/**
 * Service benchmark: `npm run bench:service [-- --corpus DIR] [--only SECTION] [--soak-pages N]
 * [--pdf-pages N] [--recycle-after N] [--skip-throughput] [--skip-soak] [--skip-pdf]
 * [--skip-estimates]`. SECTION is throughput, soak, pdf or estimates.
 *
 * 1. Throughput: the corpus through the service (a separate process, over its real protocol)
 *    against the bare engine in this process, in pages per minute, with the ratio.
 * 2. Soak: N pages (300 by default) through one service; its RSS at page 50 and at page N,
 *    and the growth between them.
 * 3. PDF soak: the same pages in one generated scanned PDF of N pages (300 by default), read
 *    as one task; RSS growth as above, and whether progress moved one page at a time.
 * 4. Memory estimates: each corpus document in a fresh service, the estimate made from its
 *    header beside the peak measured while it was read.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, defaultEngineOptions } from '../electron/service/engine';
import { sniffFormat } from '../electron/service/engine/decode';
import { soakDocuments, soakPdf } from './bench-service/rss-soak';
import { rssOfMb, runThrough, startService } from './bench-service/service-child';

const DEFAULT_CORPUS = resolve(fileURLToPath(new URL('../../shared/corpus', import.meta.url)));

interface BenchOptions {
  corpus: string;
  soakPages: number;
  skipThroughput: boolean;
  skipSoak: boolean;
  pdfPages: number;
  skipPdf: boolean;
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
    pdfPages: 300,
    skipPdf: false,
    recycleAfterPages: null,
    skipEstimates: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--corpus') options.corpus = resolve(argv[++i]);
    else if (argv[i] === '--soak-pages') options.soakPages = Number(argv[++i]);
    else if (argv[i] === '--skip-throughput') options.skipThroughput = true;
    else if (argv[i] === '--recycle-after') options.recycleAfterPages = Number(argv[++i]);
    else if (argv[i] === '--skip-soak') options.skipSoak = true;
    else if (argv[i] === '--pdf-pages') options.pdfPages = Number(argv[++i]);
    else if (argv[i] === '--skip-pdf') options.skipPdf = true;
    else if (argv[i] === '--only') skipAllBut(options, argv[++i]);
    else if (argv[i] === '--skip-estimates') options.skipEstimates = true;
    else if (!argv[i].startsWith('--')) options.corpus = resolve(argv[i]);
  }
  return options;
}

function skipAllBut(options: BenchOptions, section: string): void {
  const sections = ['throughput', 'soak', 'pdf', 'estimates'];
  if (!sections.includes(section)) throw new Error(`--only takes one of ${sections.join(', ')}`);
  options.skipThroughput = section !== 'throughput';
  options.skipSoak = section !== 'soak';
  options.skipPdf = section !== 'pdf';
  options.skipEstimates = section !== 'estimates';
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

  // The whole corpus at once, as a user would drop it: the bare engine reading as many
  // documents at a time as the service's CPU instance does (one per engine worker), then the
  // service with every document submitted in one request.
  const { workers } = defaultEngineOptions();
  const engineBatchStart = performance.now();
  let engineBatchPages = 0;
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < files.length; index = next++) {
      const result = await engine.recognizeDocument(files[index]);
      engineBatchPages += result.pages.length;
    }
  };
  await Promise.all(Array.from({ length: workers }, lane));
  const engineBatchMs = performance.now() - engineBatchStart;
  await engine.close();

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
  console.log(line(`bare engine, ${workers} at once: `, engineBatchPages, engineBatchMs));
  console.log(line('service, whole batch:   ', batchPages, batchMs));
  const ratio = ppm(servicePages, serviceMs) / ppm(enginePages, engineMs);
  console.log(
    `ratio service/engine (same documents in turn): ${ratio.toFixed(3)} (target >= 0.90)`,
  );
  const batchRatio = ppm(batchPages, batchMs) / ppm(engineBatchPages, engineBatchMs);
  console.log(`ratio service/engine (whole corpus at once): ${batchRatio.toFixed(3)}`);
  if (failed.length > 0) console.log(`failed in the service: ${failed.join(', ')}`);
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
  if (!options.skipSoak) await soakDocuments(files, options.soakPages, options.recycleAfterPages);
  if (!options.skipPdf) await soakPdf(files, options.pdfPages);
  if (!options.skipEstimates) await estimates(files);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
