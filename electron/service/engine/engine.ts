import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { DocumentInfo, PageResult, PageWarning } from '../../../shared/domain';
import { OcrError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { DetectedBox } from './db-postprocess';
import type { RotatedRect } from './geometry';
import { MAX_WORKING_PIXELS, type RgbImage } from './decode';
import {
  detectorSize,
  dropContainedBoxes,
  initialDetectionScale,
  inTileCore,
  planTiles,
  rescaleForTextSize,
  verticalShare,
} from './detection-plan';
import { openDocument, probeDocument } from './document-open';
import { joinLineFragments, padLineEnds } from './line-fragments';
import { cutLongLine, joinPieceReadings } from './long-lines';
import type { SourcePage } from './document-source';
import { blocksFromTextLayer } from '../pdf/text-layer-blocks';
import type {
  DocumentResult,
  EngineOptions,
  EngineUsage,
  OcrEngineApi,
  RecognizeOptions,
} from './engine-api';
import { assembleBlocks, rotationOf, type AssemblyFrame } from './page-assembly';
import { RECOGNITION_BATCH_WIDTH_PX, sampledWidth, type LineReading } from './page-ops';
import type { EngineWorkers } from './worker-pool';
import type { SharedImage } from './worker-protocol';

// Decoded pages are used once; libvips' operation cache would only hold their memory.
sharp.cache(false);

/** Share of vertical text above which a page is taken to be lying on its side. */
const SIDEWAYS_SHARE = 0.6;
/** Sampled line width, in pixels, of the smallest part of a page's lines sent to a worker. */
const SPLIT_MIN_WIDTH_PX = 2000;
/** Lines the page's orientation is judged from (the longest ones). */
const ORIENTATION_SAMPLE_LINES = 12;
/** A line read with less confidence than this is read again turned the other way. */
const DOUBTFUL_CONFIDENCE = 0.5;
/** Page confidence below which the page carries a low-confidence warning. */
const LOW_CONFIDENCE = 0.6;

interface StageClock {
  detect: number;
  classify: number;
  recognize: number;
  inference: number;
}

/** Reads documents page by page on a set of engine workers. */
export class OcrEngine implements OcrEngineApi {
  constructor(
    private readonly workers: EngineWorkers,
    private readonly options: EngineOptions,
  ) {}

  probe(path: string): Promise<DocumentInfo> {
    return probeDocument(path, { maxPixels: this.options.maxPixels });
  }

  async recognizeDocument(path: string, options: RecognizeOptions = {}): Promise<DocumentResult> {
    const source = await openDocument(path, {
      maxPixels: this.options.maxPixels,
      signal: options.signal,
    });
    const result: DocumentResult = { info: source.info, pages: [], pageErrors: [] };
    const pageFailed = (pageIndex: number, error: ErrorInfo) => {
      result.pageErrors.push({ pageIndex, error });
      options.onPageError?.(pageIndex, error);
    };
    // Pages overlap (one page's detection runs beside the previous page's recognition) but
    // are delivered in order; `delivered` chains the deliveries.
    const window: Promise<void>[] = [];
    let delivered: Promise<void> = Promise.resolve();
    try {
      const pages = source.pages(options.pages)[Symbol.asyncIterator]();
      for (;;) {
        const decodeStart = performance.now();
        const next = await pages.next();
        if (next.done) break;
        const page = next.value;
        const decodeMs = performance.now() - decodeStart;
        throwIfAborted(options.signal);
        const reading = 'error' in page ? null : settle(this.pageResult(page, options, decodeMs));
        delivered = delivered.then(async () => {
          if ('error' in page) return pageFailed(page.index, toErrorInfo(page.error));
          const outcome = await (reading as Promise<Settled<PageResult>>);
          if (outcome.ok) {
            result.pages.push(outcome.value);
            options.onPage?.(outcome.value);
            return;
          }
          const error = toErrorInfo(outcome.error);
          // These end the whole document: the service retries or stops it.
          if (error.code === 'cancelled' || error.code === 'out_of_memory') throw outcome.error;
          pageFailed(page.index, error);
        });
        window.push(delivered.catch(() => undefined));
        if (window.length >= Math.max(1, this.workers.size)) await window.shift();
      }
      await delivered;
    } finally {
      await Promise.all(window);
      await source.close();
    }
    if (result.pages.length === 0 && result.pageErrors.length > 0) {
      const first = result.pageErrors[0].error;
      throw new OcrError(first.code, first.message);
    }
    return result;
  }

  /** OCR of a decoded page, or its own text when it is a born-digital PDF page kept as is. */
  private async pageResult(
    page: Extract<SourcePage, { image: RgbImage }>,
    options: RecognizeOptions,
    decodeMs: number,
  ): Promise<PageResult> {
    const ownText = page.textLayer;
    if (!ownText || ownText.text.trim() === '' || options.pdfText === 'ocr') {
      return this.readPage(page.image, page.index, options, decodeMs);
    }
    const blocks = blocksFromTextLayer(ownText);
    return {
      pageIndex: page.index,
      widthPx: page.image.width,
      heightPx: page.image.height,
      rotation: 0,
      blocks,
      // The lines as grouped by their places, not pdf.js's line ends (see blocksFromTextLayer).
      text: blocks.map((block) => block.lines.map((line) => line.text).join('\n')).join('\n\n'),
      confidence: 1,
      warnings: [],
      timingsMs: {
        decode: decodeMs,
        detect: 0,
        classify: 0,
        recognize: 0,
        layout: 0,
        total: decodeMs,
        inference: 0,
      },
      rssMb: Math.round(process.memoryUsage.rss() / 1e6),
      textSource: 'pdf-text',
    };
  }

  recognizeImage(
    image: RgbImage,
    pageIndex = 0,
    options: RecognizeOptions = {},
  ): Promise<PageResult> {
    return this.readPage(image, pageIndex, options, 0);
  }

  usage(): EngineUsage {
    return this.workers.usage();
  }

  close(): Promise<void> {
    return this.workers.close();
  }

  private async readPage(
    original: RgbImage,
    pageIndex: number,
    options: RecognizeOptions,
    decodeMs: number,
  ): Promise<PageResult> {
    const started = performance.now();
    const clock: StageClock = { detect: 0, classify: 0, recognize: 0, inference: 0 };
    const warnings: PageWarning[] = [];
    const reduction = options.memoryReductionFactor ?? 1;

    let work = toShared(original);
    let quarterTurn: 0 | 90 | 270 = 0;
    let detection = await this.detect(work, reduction, clock, options.signal);
    if (detection.boxes.length >= 2 && verticalShare(detection.boxes) > SIDEWAYS_SHARE) {
      quarterTurn = await this.sidewaysTurn(work, detection.boxes, clock);
      work = toShared(await rotateQuarter(original, quarterTurn));
      detection = await this.detect(work, reduction, clock, options.signal);
    }
    if (original.decodedScale !== undefined) {
      warnings.push({
        code: 'page_scaled_down',
        message: `The page was decoded at ${Math.round(original.decodedScale * 100)}% of its size (it is over ${MAX_WORKING_PIXELS / 1e6} megapixels)`,
      });
    }
    if (detection.scale < 1) {
      warnings.push({
        code: 'page_scaled_down',
        message: `Text was found on the page scaled to ${Math.round(detection.scale * 100)}%`,
      });
    }
    throwIfAborted(options.signal);

    const boxes = padLineEnds(joinLineFragments(dropContainedBoxes(detection.boxes)));
    const readings = await this.recognize(work, boxes, reduction, clock);
    throwIfAborted(options.signal);

    const layoutStart = performance.now();
    const upsideDown = readsUpsideDown(boxes, readings);
    const frame: AssemblyFrame = {
      quarterTurn,
      upsideDown,
      workWidth: work.width,
      workHeight: work.height,
    };
    const { blocks, text } = assembleBlocks(
      boxes.map((b) => b.rect),
      readings,
      frame,
    );
    const rotation = rotationOf(frame);
    if (rotation !== 0) {
      warnings.push({
        code: 'page_rotated',
        message: `The page was turned ${rotation}° to read it`,
      });
    }
    const confidence = pageConfidence(blocks.flatMap((b) => b.lines));
    if (blocks.length === 0) {
      warnings.push({ code: 'no_text_found', message: 'No text was found on the page' });
    } else if (confidence < LOW_CONFIDENCE) {
      warnings.push({
        code: 'low_confidence',
        message: `The text was read with low confidence (${Math.round(confidence * 100)}%)`,
      });
    }
    const layoutMs = performance.now() - layoutStart;

    return {
      pageIndex,
      widthPx: original.width,
      heightPx: original.height,
      rotation,
      blocks,
      text,
      confidence,
      warnings,
      timingsMs: {
        decode: decodeMs,
        detect: clock.detect,
        classify: clock.classify,
        recognize: clock.recognize,
        layout: layoutMs,
        total: decodeMs + performance.now() - started,
        inference: clock.inference,
      },
      rssMb: Math.round(process.memoryUsage.rss() / 1e6),
    };
  }

  /**
   * The clockwise turn that sets a sideways page upright: a quarter turn when its lines read
   * upwards, three when they read downwards, as the classifier judges its vertical lines. The
   * detector finds text turned upside down less surely than upright: turned the wrong way, a
   * sideways banner lost a word or two in every few thousand pixels.
   */
  private async sidewaysTurn(
    page: SharedImage,
    boxes: DetectedBox[],
    clock: StageClock,
  ): Promise<90 | 270> {
    if (!this.options.useClassifier) return 90;
    // Vertical lines run downwards (see normaliseTextRect): upside down so, they read upwards.
    const vertical = boxes.map((b) => b.rect).filter((r) => Math.abs(r.uy) > Math.abs(r.ux));
    const started = performance.now();
    const readsUpwards = await this.pageIsUpsideDown(page, vertical, clock);
    clock.classify += performance.now() - started;
    return readsUpwards ? 90 : 270;
  }

  /** Detects lines at a scale chosen from the page size, then from the text size if it was too small. */
  private async detect(
    page: SharedImage,
    reduction: number,
    clock: StageClock,
    signal?: AbortSignal,
  ): Promise<{ boxes: DetectedBox[]; scale: number }> {
    let scale = initialDetectionScale(page.width, page.height, reduction);
    let boxes = await this.detectAtScale(page, scale, clock);
    const larger = rescaleForTextSize(boxes, scale);
    if (larger !== null && larger > scale * 1.2) {
      throwIfAborted(signal);
      scale = larger;
      boxes = await this.detectAtScale(page, scale, clock);
    }
    return { boxes, scale };
  }

  private async detectAtScale(
    page: SharedImage,
    scale: number,
    clock: StageClock,
  ): Promise<DetectedBox[]> {
    const started = performance.now();
    const size = detectorSize(page.width, page.height, scale);
    const resized = await sharp(new Uint8Array(page.buffer), {
      raw: { width: page.width, height: page.height, channels: 3 },
    })
      .resize(size.width, size.height, { fit: 'fill' })
      .raw()
      .toBuffer();
    const detImage = toShared({ data: resized, width: size.width, height: size.height });
    const pageScale = { x: page.width / size.width, y: page.height / size.height };
    const tiles = planTiles(size.width, size.height);
    const outcomes = await Promise.all(
      tiles.map((tile) => this.workers.detect({ image: detImage, region: tile.region, pageScale })),
    );
    clock.inference += outcomes.reduce((s, o) => s + o.inferenceMs, 0);
    clock.detect += performance.now() - started;
    if (tiles.length === 1) return outcomes[0].boxes;
    return outcomes.flatMap((o, k) => o.boxes.filter((b) => inTileCore(b, tiles[k], pageScale)));
  }

  /**
   * Decides the page's orientation from a sample of its longest lines, reads every line so
   * turned, then reads again turned over any line that came out poorly (a label printed the
   * other way up), keeping the better reading.
   */
  private async recognize(
    page: SharedImage,
    boxes: DetectedBox[],
    reduction: number,
    clock: StageClock,
  ): Promise<LineReading[]> {
    const rects = boxes.map((b) => b.rect);
    const classifyStart = performance.now();
    const upsideDown =
      this.options.useClassifier && (await this.pageIsUpsideDown(page, rects, clock));
    clock.classify += performance.now() - classifyStart;

    const recognizeStart = performance.now();
    const readings = await this.readLines(
      page,
      rects,
      rects.map(() => upsideDown),
      reduction,
      clock,
    );
    const doubtful = this.options.useClassifier
      ? await this.turnedLines(page, rects, readings, upsideDown, clock)
      : [];
    if (doubtful.length > 0) {
      const retried = await this.readLines(
        page,
        doubtful.map((i) => rects[i]),
        doubtful.map(() => !upsideDown),
        reduction,
        clock,
      );
      doubtful.forEach((lineIndex, k) => {
        if (retried[k].confidence > readings[lineIndex].confidence + 0.1)
          readings[lineIndex] = retried[k];
      });
    }
    clock.recognize += performance.now() - recognizeStart;
    return readings;
  }

  /**
   * Lines read with low confidence that the classifier says lie the other way from the page:
   * the only ones worth reading again turned over (most low-confidence lines are just noise).
   */
  private async turnedLines(
    page: SharedImage,
    rects: RotatedRect[],
    readings: LineReading[],
    upsideDown: boolean,
    clock: StageClock,
  ): Promise<number[]> {
    const doubtful = readings.flatMap((r, i) => (r.confidence < DOUBTFUL_CONFIDENCE ? [i] : []));
    if (doubtful.length === 0) return [];
    const outcome = await this.workers.classify({
      image: page,
      rects: doubtful.map((i) => rects[i]),
    });
    clock.inference += outcome.inferenceMs;
    return doubtful.filter((_, k) => outcome.upsideDown[k] > 0.5 !== upsideDown);
  }

  private async pageIsUpsideDown(
    page: SharedImage,
    rects: RotatedRect[],
    clock: StageClock,
  ): Promise<boolean> {
    if (rects.length === 0) return false;
    const sample = rects
      .map((_, i) => i)
      .sort((a, b) => rects[b].width - rects[a].width)
      .slice(0, ORIENTATION_SAMPLE_LINES);
    const outcome = await this.workers.classify({
      image: page,
      rects: sample.map((i) => rects[i]),
    });
    clock.inference += outcome.inferenceMs;
    let flipped = 0;
    let total = 0;
    sample.forEach((lineIndex, k) => {
      total += rects[lineIndex].width;
      if (outcome.upsideDown[k] > 0.5) flipped += rects[lineIndex].width;
    });
    return flipped > total / 2;
  }

  /** Reads lines, each too long to read whole in pieces, and puts the pieces back together. */
  private async readLines(
    page: SharedImage,
    rects: RotatedRect[],
    flips: boolean[],
    reduction: number,
    clock: StageClock,
  ): Promise<LineReading[]> {
    const image = { data: new Uint8Array(page.buffer), width: page.width, height: page.height };
    const pieces = rects.map((rect) => cutLongLine(image, rect));
    if (pieces.every((p) => p.length === 1)) {
      return this.readPieces(page, rects, flips, reduction, clock);
    }
    const pieceFlips = pieces.flatMap((p, i) => p.map(() => flips[i]));
    const readings = await this.readPieces(page, pieces.flat(), pieceFlips, reduction, clock);
    let next = 0;
    return pieces.map((linePieces, i) => {
      const own = readings.slice(next, (next += linePieces.length));
      return joinPieceReadings(rects[i], linePieces, own, flips[i]);
    });
  }

  /** Reads lines split across the workers in chunks of near-equal sampled width. */
  private async readPieces(
    page: SharedImage,
    rects: RotatedRect[],
    flips: boolean[],
    reduction: number,
    clock: StageClock,
  ): Promise<LineReading[]> {
    const started = performance.now();
    const widths = rects.map(sampledWidth);
    const totalWidth = widths.reduce((s, w) => s + w, 0);
    // Twice as many parts as workers, so that while one worker detects the next page the
    // others take most of this one.
    const parts = Math.max(
      1,
      Math.min(2 * this.workers.size, Math.floor(totalWidth / SPLIT_MIN_WIDTH_PX)),
    );
    const chunks = balanceByWidth(widths, parts);
    const batchWidthPx = Math.max(96, Math.round(RECOGNITION_BATCH_WIDTH_PX * reduction));
    const outcomes = await Promise.all(
      chunks.map((indices) =>
        this.workers.recognize({
          image: page,
          rects: indices.map((i) => rects[i]),
          flips: indices.map((i) => flips[i]),
          batchWidthPx,
        }),
      ),
    );
    const readings: LineReading[] = new Array(rects.length);
    chunks.forEach((indices, k) => indices.forEach((i, j) => (readings[i] = outcomes[k].lines[j])));
    // Workers run side by side: count inference by its share of their busy time, in wall-clock ms.
    const elapsed = performance.now() - started;
    const busy = outcomes.reduce((s, o) => s + o.totalMs, 0);
    const inference = outcomes.reduce((s, o) => s + o.inferenceMs, 0);
    clock.inference += busy > 0 ? elapsed * (inference / busy) : 0;
    return readings;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects, so that a page's failure waits for its turn to be reported. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function toShared(image: RgbImage): SharedImage {
  const { data } = image;
  if (
    data.buffer instanceof SharedArrayBuffer &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength
  ) {
    return { buffer: data.buffer, width: image.width, height: image.height };
  }
  const buffer = new SharedArrayBuffer(image.data.length);
  new Uint8Array(buffer).set(image.data);
  return { buffer, width: image.width, height: image.height };
}

async function rotateQuarter(image: RgbImage, degrees: 90 | 270): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .rotate(degrees)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Assigns lines to `parts` groups of near-equal total width, longest first. */
function balanceByWidth(widths: number[], parts: number): number[][] {
  const groups = Array.from({ length: parts }, () => ({ width: 0, indices: [] as number[] }));
  const order = widths.map((_, i) => i).sort((a, b) => widths[b] - widths[a]);
  for (const i of order) {
    const lightest = groups.reduce((min, g) => (g.width < min.width ? g : min));
    lightest.width += widths[i];
    lightest.indices.push(i);
  }
  return groups.filter((g) => g.indices.length > 0).map((g) => g.indices);
}

/** The page reads upside down when most of its text, by length, was classified so. */
function readsUpsideDown(boxes: DetectedBox[], readings: LineReading[]): boolean {
  let flipped = 0;
  let total = 0;
  boxes.forEach((box, i) => {
    total += box.rect.width;
    if (readings[i]?.flipped) flipped += box.rect.width;
  });
  return total > 0 && flipped / total > 0.5;
}

function pageConfidence(lines: { text: string; confidence: number }[]): number {
  const chars = lines.reduce((s, l) => s + l.text.length, 0);
  if (chars === 0) return 1;
  return lines.reduce((s, l) => s + l.confidence * l.text.length, 0) / chars;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new OcrError('cancelled', 'The task was cancelled');
}
