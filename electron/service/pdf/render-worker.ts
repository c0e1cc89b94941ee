/**
 * The PDF render worker: a thread of its own that opens one PDF with pdf.js and renders the
 * pages the PDF source asks for, one at a time. Rendering here keeps the service's event loop
 * free, and lets the source stop a page that hangs by ending the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { PdfJsDocument } from './pdf-document';
import type { RenderReply, RenderRequest, RenderWorkerSetup } from './render-protocol';

const setup = workerData as RenderWorkerSetup;
const port = parentPort;
if (!port) throw new Error('render-worker must run as a worker thread');

const opening = PdfJsDocument.open(setup.path, setup.limits, setup.fileSizeBytes);
opening.then(
  (doc) => port.postMessage({ kind: 'opened', info: doc.info } satisfies RenderReply),
  (error) =>
    port.postMessage({ kind: 'open-failed', error: toErrorInfo(error) } satisfies RenderReply),
);

// Requests are handled in order: one page in memory at a time.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: RenderRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: RenderRequest): Promise<void> {
  const doc = await opening.catch(() => undefined);
  if (request.kind === 'close') {
    await doc?.close().catch(() => undefined);
    port?.postMessage({ kind: 'closed' } satisfies RenderReply);
    return;
  }
  if (!doc) return;
  const page = await doc.render(request.index);
  if ('error' in page) {
    const reply: RenderReply = {
      kind: 'page-failed',
      id: request.id,
      index: page.index,
      error: page.error,
    };
    port?.postMessage(reply);
    return;
  }
  const buffer = page.image.data.buffer as ArrayBuffer;
  const image = { buffer, width: page.image.width, height: page.image.height };
  const reply: RenderReply = {
    kind: 'page',
    id: request.id,
    index: page.index,
    image,
    warnings: page.warnings,
    textLayer: page.textLayer,
  };
  port?.postMessage(reply, [buffer]);
}
