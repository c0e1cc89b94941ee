import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OcrError, type ErrorInfo } from '../../../shared/errors';
import type { EngineUsage } from './engine-api';
import type { ModelFiles } from './model-files';
import type { SessionTuning } from './model-sessions';
import type { ClassifyOutcome, DetectOutcome, RecognizeOutcome } from './page-ops';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

type DetectRequest = Omit<Extract<WorkerRequest, { kind: 'detect' }>, 'id' | 'kind'>;
type RecognizeRequest = Omit<Extract<WorkerRequest, { kind: 'recognize' }>, 'id' | 'kind'>;
type ClassifyRequest = Omit<Extract<WorkerRequest, { kind: 'classify' }>, 'id' | 'kind'>;
type Outcome = DetectOutcome | RecognizeOutcome | ClassifyOutcome;

/** How long close() waits for running units before stopping their threads, in ms. */
const CLOSE_GRACE_MS = 30_000;

interface Unit {
  request: WorkerRequest;
  resolve: (value: Outcome) => void;
  reject: (error: OcrError) => void;
}

interface Slot {
  worker: Worker;
  busy: Unit | null;
  /** Holds the detector. Only the first worker does: detection is about a tenth of the work. */
  detects: boolean;
}

/**
 * Worker threads that each hold single-threaded model sessions. Units of work queue here and
 * go to the first free worker, recognition before detection so that pages already started
 * finish first.
 */
export class EngineWorkers {
  private readonly slots: Slot[] = [];
  /**
   * Workers still loading their models: not in `slots` yet. close() waits for them, as for a
   * busy worker: ending a thread inside onnxruntime's session setup aborts the process.
   */
  private readonly loading = new Set<Worker>();
  private readonly queue: Unit[] = [];
  private nextId = 1;
  private closed = false;
  private readonly totals: EngineUsage = { inferenceMs: 0, workerBusyMs: 0, workerCpuMs: 0 };

  private constructor(
    private readonly files: ModelFiles,
    private readonly tuning: SessionTuning,
  ) {}

  static async start(
    count: number,
    files: ModelFiles,
    tuning: SessionTuning,
  ): Promise<EngineWorkers> {
    const pool = new EngineWorkers(files, tuning);
    try {
      await Promise.all(Array.from({ length: count }, (_, i) => pool.spawn(i === 0)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  usage(): EngineUsage {
    return { ...this.totals };
  }

  detect(request: DetectRequest): Promise<DetectOutcome> {
    return this.enqueue({
      ...request,
      kind: 'detect',
      id: this.nextId++,
    }) as Promise<DetectOutcome>;
  }

  recognize(request: RecognizeRequest): Promise<RecognizeOutcome> {
    return this.enqueue({
      ...request,
      kind: 'recognize',
      id: this.nextId++,
    }) as Promise<RecognizeOutcome>;
  }

  classify(request: ClassifyRequest): Promise<ClassifyOutcome> {
    return this.enqueue({
      ...request,
      kind: 'classify',
      id: this.nextId++,
    }) as Promise<ClassifyOutcome>;
  }

  /**
   * Stops the workers once their current unit is done: terminating a thread inside an
   * onnxruntime call aborts the whole process. A unit still running after CLOSE_GRACE_MS is
   * cut off all the same.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const unit of this.queue.splice(0)) {
      unit.reject(new OcrError('cancelled', 'The engine was closed'));
    }
    const slots = this.slots.splice(0);
    const deadline = Date.now() + CLOSE_GRACE_MS;
    // A worker still loading its models ends itself once loaded (see spawn).
    while ((slots.some((slot) => slot.busy) || this.loading.size > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stragglers = [...this.loading];
    this.loading.clear();
    await Promise.all(
      [...slots.map((slot) => slot.worker), ...stragglers].map((w) => w.terminate()),
    );
  }

  private enqueue(request: WorkerRequest): Promise<Outcome> {
    if (this.closed) return Promise.reject(new OcrError('cancelled', 'The engine was closed'));
    return new Promise((resolve, reject) => {
      const unit = { request, resolve, reject };
      // Recognition goes ahead of detection: it finishes pages already under way.
      if (request.kind !== 'detect') {
        const firstDetect = this.queue.findIndex((u) => u.request.kind === 'detect');
        this.queue.splice(firstDetect < 0 ? this.queue.length : firstDetect, 0, unit);
      } else {
        this.queue.push(unit);
      }
      this.dispatch();
    });
  }

  private dispatch(): void {
    const othersRecognize = this.slots.some((slot) => !slot.detects);
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const index = this.nextUnitFor(slot, othersRecognize);
      if (index < 0) continue;
      const [unit] = this.queue.splice(index, 1);
      slot.busy = unit;
      slot.worker.postMessage(unit.request);
    }
  }

  /**
   * The queue index of the unit a free worker takes next. A worker that holds the detector
   * takes a waiting detection first when other workers can take the rest: only it can detect,
   * and measured with two documents in flight, the other worker otherwise sat idle 23% of the
   * time waiting for the next page's lines. The others take what they can, in queue order.
   */
  private nextUnitFor(slot: Slot, othersRecognize: boolean): number {
    if (!slot.detects) return this.queue.findIndex((u) => u.request.kind !== 'detect');
    if (othersRecognize) {
      const detection = this.queue.findIndex((u) => u.request.kind === 'detect');
      if (detection >= 0) return detection;
    }
    return this.queue.length > 0 ? 0 : -1;
  }

  private spawn(detects: boolean): Promise<void> {
    const { url, execArgv } = workerEntry();
    const workerData = { files: this.files, tuning: this.tuning, detects };
    const worker = new Worker(url, { workerData, execArgv });
    const slot: Slot = { worker, busy: null, detects };
    this.loading.add(worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') {
          this.loading.delete(worker);
          if (this.closed) {
            void worker.terminate();
            reject(new OcrError('cancelled', 'The engine was closed'));
            return;
          }
          this.slots.push(slot);
          resolve();
          this.dispatch();
          return;
        }
        if (reply.kind === 'failed') {
          this.loading.delete(worker);
          void worker.terminate();
          reject(
            new OcrError(reply.error.code, `Could not load the models: ${reply.error.message}`),
          );
          return;
        }
        this.settle(slot, reply);
      });
      worker.on('error', (error) => {
        this.loading.delete(worker);
        reject(new OcrError('internal', `Engine worker failed: ${error.message}`));
        this.replace(slot, { code: 'internal', message: `Engine worker failed: ${error.message}` });
      });
      worker.on('exit', (code) => {
        if (this.loading.delete(worker)) {
          reject(new OcrError('internal', `Engine worker exited with code ${code} while loading`));
        }
        if (this.closed) return;
        this.replace(slot, { code: 'internal', message: `Engine worker exited with code ${code}` });
      });
    });
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const unit = slot.busy;
    slot.busy = null;
    if (unit && 'id' in reply && reply.id === unit.request.id) {
      if (reply.kind === 'error') {
        unit.reject(new OcrError(reply.error.code, reply.error.message));
      } else {
        this.totals.inferenceMs += reply.outcome.inferenceMs;
        this.totals.workerBusyMs += reply.outcome.totalMs;
        const cpuMs = reply.cpuMs ?? null;
        this.totals.workerCpuMs =
          this.totals.workerCpuMs === null || cpuMs === null
            ? null
            : this.totals.workerCpuMs + cpuMs;
        unit.resolve(reply.outcome);
      }
    }
    this.dispatch();
  }

  /** A worker died: fail its unit and start a fresh worker in its place. */
  private replace(slot: Slot, error: ErrorInfo): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.busy?.reject(new OcrError(error.code, error.message));
    slot.busy = null;
    void slot.worker.terminate();
    if (!this.closed) this.spawn(slot.detects).catch(() => undefined);
  }
}

/**
 * The worker's entry: a bundled engine-worker.js beside this file when built, otherwise the
 * TypeScript source run through tsx (resolved absolutely, so it works from any folder).
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const override = process.env.OCR_DESK_ENGINE_WORKER;
  if (override) return { url: new URL(`file://${override}`), execArgv: [] };
  const built = new URL('./engine-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { url: built, execArgv: [] };
  return { url: new URL('./engine-worker-dev.mjs', import.meta.url), execArgv: [] };
}
