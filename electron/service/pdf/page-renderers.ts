/**
 * Where a PDF's pages are rendered. Normally in a worker thread of their own: the service's
 * event loop stays free while a page renders, a page that hangs is stopped by ending the
 * thread, and a page that exhausts the thread's heap takes only that thread down. When no
 * worker script is available (a build that did not bundle one), pages render in this thread,
 * with a timeout that can only stop work that yields.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocumentInfo } from '../../../shared/domain';
import { OcrError, type ErrorInfo } from '../../../shared/errors';
import type { SourcePage } from '../engine/document-source';
import { PdfJsDocument } from './pdf-document';
import { withTimeout } from './pdf-errors';
import type { RenderReply, RenderWorkerSetup } from './render-protocol';

export interface PageRenderer {
  readonly info: DocumentInfo;
  /** Renders one page; a page that fails, hangs or crashes gives its error, not a throw. */
  render(index: number, timeoutMs: number, signal?: AbortSignal): Promise<SourcePage>;
  close(): Promise<void>;
}

/** Heap limit of a render worker, in MB: a pathological page fails alone instead of the service. */
const WORKER_HEAP_MB = 1536;

export function renderWorkerEntry(): URL | undefined {
  const built = new URL('./pdf-render-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  const dev = new URL('./render-worker-dev.mjs', import.meta.url);
  return existsSync(fileURLToPath(dev)) ? dev : undefined;
}

export async function startPageRenderer(
  setup: RenderWorkerSetup,
  openTimeoutMs: number,
  where: 'worker' | 'thread' = 'worker',
): Promise<PageRenderer> {
  const entry = where === 'worker' ? renderWorkerEntry() : undefined;
  if (entry) return WorkerPageRenderer.start(entry, setup, openTimeoutMs);
  const doc = await withTimeout(
    PdfJsDocument.open(setup.path, setup.limits, setup.fileSizeBytes),
    openTimeoutMs,
  );
  return new ThreadPageRenderer(doc);
}

class ThreadPageRenderer implements PageRenderer {
  constructor(private readonly doc: PdfJsDocument) {}

  get info(): DocumentInfo {
    return this.doc.info;
  }

  async render(index: number, timeoutMs: number): Promise<SourcePage> {
    try {
      return await withTimeout(this.doc.render(index), timeoutMs);
    } catch (error) {
      return { index, error: timedOut(index, timeoutMs, error) };
    }
  }

  close(): Promise<void> {
    return this.doc.close();
  }
}

interface Waiter {
  settle(reply: RenderReply | { kind: 'died'; error: ErrorInfo }): void;
}

class WorkerPageRenderer implements PageRenderer {
  /** Set by `start` before the renderer is handed out. */
  info!: DocumentInfo;
  private worker: Worker | undefined;
  private waiter: Waiter | undefined;
  private nextId = 1;

  private constructor(
    private readonly entry: URL,
    private readonly setup: RenderWorkerSetup,
    private readonly openTimeoutMs: number,
  ) {}

  static async start(entry: URL, setup: RenderWorkerSetup, openTimeoutMs: number) {
    const renderer = new WorkerPageRenderer(entry, setup, openTimeoutMs);
    renderer.info = await renderer.spawn();
    return renderer;
  }

  /** Starts a worker on the file and waits until it has opened it. */
  private async spawn(): Promise<DocumentInfo> {
    const worker = new Worker(this.entry, {
      workerData: this.setup,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    this.worker = worker;
    // A source its owner forgot to close must not keep the process alive; a pending render
    // still does, through its timeout timer.
    worker.unref();
    worker.on('message', (reply: RenderReply) => this.waiter?.settle(reply));
    worker.on('error', (error: Error & { code?: string }) => this.died(worker, workerError(error)));
    worker.on('exit', (code) => {
      this.died(worker, {
        code: 'invalid_input',
        message: `the PDF renderer stopped (exit code ${code})`,
      });
    });
    const reply = await this.wait(this.openTimeoutMs);
    if (reply.kind === 'opened') return reply.info;
    await this.stop();
    if (reply.kind === 'open-failed') throw new OcrError(reply.error.code, reply.error.message);
    if (reply.kind === 'timeout') {
      throw new OcrError(
        'timeout',
        `Opening the PDF took longer than ${seconds(this.openTimeoutMs)} s`,
      );
    }
    const message = reply.kind === 'died' ? reply.error.message : 'unexpected reply';
    throw new OcrError('invalid_input', `The PDF cannot be read (${message})`);
  }

  async render(index: number, timeoutMs: number, signal?: AbortSignal): Promise<SourcePage> {
    if (!this.worker) {
      // The previous page hung or crashed the worker: start afresh for this one.
      try {
        await this.spawn();
      } catch (error) {
        return { index, error: { code: 'invalid_input', message: (error as Error).message } };
      }
    }
    const id = this.nextId++;
    this.worker?.postMessage({ kind: 'render', id, index });
    const reply = await this.wait(timeoutMs, signal);

    if (reply.kind === 'page' && reply.id === id) {
      const image = {
        data: new Uint8Array(reply.image.buffer),
        width: reply.image.width,
        height: reply.image.height,
      };
      return { index, image, warnings: reply.warnings, textLayer: reply.textLayer };
    }
    if (reply.kind === 'page-failed' && reply.id === id) return { index, error: reply.error };
    await this.stop();
    if (reply.kind === 'aborted') throw new OcrError('cancelled', 'The task was cancelled');
    if (reply.kind === 'timeout') return { index, error: timedOut(index, timeoutMs) };
    const why =
      reply.kind === 'died' ? reply.error : { code: 'internal' as const, message: reply.kind };
    return {
      index,
      error: { code: why.code, message: `Page ${index + 1} could not be rendered: ${why.message}` },
    };
  }

  /** The worker's next reply, or why none came: timeout, abort, or the worker's death. */
  private wait(
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<
    RenderReply | { kind: 'died'; error: ErrorInfo } | { kind: 'timeout' } | { kind: 'aborted' }
  > {
    return new Promise((resolve) => {
      const finish = (outcome: Parameters<typeof resolve>[0]) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(outcome);
      };
      const onAbort = () => finish({ kind: 'aborted' });
      const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
      if (signal?.aborted) return finish({ kind: 'aborted' });
      signal?.addEventListener('abort', onAbort);
      this.waiter = { settle: finish };
    });
  }

  private died(worker: Worker, error: ErrorInfo): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.waiter?.settle({ kind: 'died', error });
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  close(): Promise<void> {
    return this.stop();
  }
}

function workerError(error: Error & { code?: string }): ErrorInfo {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      code: 'out_of_memory',
      message: `the PDF renderer ran out of memory (${WORKER_HEAP_MB} MB)`,
    };
  }
  return { code: 'invalid_input', message: `the PDF renderer failed (${error.message})` };
}

function timedOut(index: number, timeoutMs: number, cause?: unknown): ErrorInfo {
  if (cause instanceof OcrError && cause.code !== 'timeout') return cause.toInfo();
  return {
    code: 'timeout',
    message: `Page ${index + 1} took longer than ${seconds(timeoutMs)} s to render`,
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 1000 ? 3 : 0);
}
