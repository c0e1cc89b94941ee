/**
 * An engine worker thread: holds one set of single-threaded model sessions and runs the
 * detection and recognition units the coordinator sends it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { classifyInferenceError } from './inference-errors';
import { loadModelSessions, type ModelSessions, type SessionTuning } from './model-sessions';
import type { ModelFiles } from './model-files';
import { classifyLines, detectLines, recognizeLines } from './page-ops';
import { threadCpuMs } from './thread-cpu';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

interface WorkerSetup {
  files: ModelFiles;
  tuning: SessionTuning;
  detects: boolean;
}

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('engine-worker must run as a worker thread');

const ready: Promise<ModelSessions> = loadModelSessions(setup.files, setup.tuning, setup.detects);
ready.then(
  () => port.postMessage({ kind: 'ready' } satisfies WorkerReply),
  (error) => port.postMessage({ kind: 'failed', error: toErrorInfo(error) } satisfies WorkerReply),
);

port.on('message', (request: WorkerRequest) => {
  const cpuStart = threadCpuMs();
  handle(request).then(
    (reply) => {
      const cpuEnd = threadCpuMs();
      const cpuMs = cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart;
      port.postMessage('outcome' in reply ? { ...reply, cpuMs } : reply);
    },
    (error) =>
      port.postMessage({
        kind: 'error',
        id: request.id,
        error: classifyInferenceError(error),
      } satisfies WorkerReply),
  );
});

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  const sessions = await ready;
  const image = (shared: WorkerRequest['image']) => ({
    data: new Uint8Array(shared.buffer),
    width: shared.width,
    height: shared.height,
  });
  if (request.kind === 'detect') {
    const outcome = await detectLines(
      sessions,
      image(request.image),
      request.region,
      request.pageScale,
    );
    return { kind: 'detected', id: request.id, outcome };
  }
  if (request.kind === 'classify') {
    const outcome = await classifyLines(sessions, image(request.image), request.rects);
    return { kind: 'classified', id: request.id, outcome };
  }
  const outcome = await recognizeLines(
    sessions,
    image(request.image),
    request.rects,
    request.flips,
    request.batchWidthPx,
  );
  return { kind: 'recognized', id: request.id, outcome };
}
