// Child process: OCR Desk's engine, one instance, reading as many documents at once as it has
// worker threads, as the service's CPU instance does (one document's detection then runs beside
// another's recognition; Tesseract is run as two processes at once for the same reason).
import { performance } from 'node:perf_hooks';
import type { EngineUsage } from '../../../electron/service/engine/engine-api';
import { createEngine, defaultEngineOptions } from '../../../electron/service/engine/index';
import type { PageResult } from '../../../shared/domain';
import type { BenchFile, FileRun, StageTotalsMs } from '../runner-protocol';
import { progress, runAsChild, type Runner } from '../runner-child';

function stageTotals(pages: PageResult[]): StageTotalsMs {
  const totals: StageTotalsMs = {
    decode: 0,
    detect: 0,
    classify: 0,
    recognize: 0,
    layout: 0,
    total: 0,
    inference: 0,
  };
  for (const page of pages) {
    for (const stage of Object.keys(totals) as (keyof StageTotalsMs)[]) {
      totals[stage] += page.timingsMs[stage];
    }
  }
  return totals;
}

/**
 * CPU time spent inside onnxruntime between two readings, in ms. The workers time their
 * onnxruntime calls by the clock; when the machine is busy a worker also waits for a core
 * then, so the clock time is scaled by the share of the workers' time they had a core for.
 */
function inferenceCpuMs(before: EngineUsage, after: EngineUsage): number {
  const inferenceMs = after.inferenceMs - before.inferenceMs;
  const busyMs = after.workerBusyMs - before.workerBusyMs;
  if (after.workerCpuMs === null || before.workerCpuMs === null || busyMs <= 0) return inferenceMs;
  const onCore = Math.min(1, (after.workerCpuMs - before.workerCpuMs) / busyMs);
  return inferenceMs * onCore;
}

async function start(): Promise<Runner> {
  const engine = await createEngine();
  const { workers, provider } = defaultEngineOptions();

  async function readFile(file: BenchFile): Promise<FileRun> {
    const started = performance.now();
    try {
      const result = await engine.recognizeDocument(file.imagePath);
      const wallMs = performance.now() - started;
      const pages = [...result.pages].sort((a, b) => a.pageIndex - b.pageIndex);
      const failures = result.pageErrors.map(
        ({ pageIndex, error }) => `page ${pageIndex + 1}: ${error.code}: ${error.message}`,
      );
      return {
        imagePath: file.imagePath,
        text: pages.map((page) => page.text).join('\n\n'),
        wallMs,
        pagesRead: pages.length,
        stageTotalsMs: stageTotals(pages),
        warnings: pages.flatMap((page) => page.warnings.map((warning) => warning.code)),
        ...(failures.length > 0 ? { error: failures.join('; ') } : {}),
      };
    } catch (error) {
      const wallMs = performance.now() - started;
      const message = error instanceof Error ? error.message : String(error);
      progress('ours', `${file.imagePath} failed: ${message}`);
      return { imagePath: file.imagePath, text: '', wallMs, pagesRead: 0, error: message };
    }
  }

  return {
    description: `OCR Desk engine (PP-OCRv4 on onnxruntime-node), default options: ${workers} workers, ${workers} documents at once, ${provider}`,
    async runSet(files) {
      const usageStart = engine.usage();
      const runs: FileRun[] = new Array(files.length);
      let next = 0;
      const lane = async () => {
        for (let index = next++; index < files.length; index = next++) {
          runs[index] = await readFile(files[index]);
        }
      };
      await Promise.all(Array.from({ length: workers }, lane));
      return { files: runs, inferenceMs: inferenceCpuMs(usageStart, engine.usage()) };
    },
    close: () => engine.close(),
  };
}

await runAsChild('ours', start);
