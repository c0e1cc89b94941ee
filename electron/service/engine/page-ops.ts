import { performance } from 'node:perf_hooks';
import type { RgbImage } from './decode';
import { boxesFromProbabilityMap, DEFAULT_DB_PARAMS, type DetectedBox } from './db-postprocess';
import { ctcGreedyDecode, type DecodedChar } from './ctc-decode';
import type { RotatedRect } from './geometry';
import { correctLetterCase } from './letter-case';
import { restoreLigatureLetters } from './ligatures';
import {
  imageToDetectorTensor,
  LINE_HEIGHT_PX,
  sampleLineInto,
  type PixelRegion,
} from './line-sampler';
import { runSingle, type ModelSessions } from './model-sessions';
import { zerosAmongFigures } from './old-style-figures';
import { lowerSmallCapitals } from './small-capitals';
import {
  inkProfile,
  joinDashRuns,
  joinDoubledQuotes,
  restoreWordSpaces,
  tidyPunctuationSpaces,
} from './word-gaps';

/**
 * Widths, in pixels, that short lines are padded to so they can share a batch. Lines wider than
 * the last are padded only to a multiple of WIDE_LINE_STEP_PX: padding costs as much as text,
 * and onnxruntime's memory, measured here over 81 such widths, stays flat (+25 MB). Batching
 * itself saves little (7.0 ms per 100 px in batches of 8 against 8.0 alone at 96 px), so the
 * short buckets are close together: with steps of 64-80 px, 12% of the recogniser's work on
 * forms and receipts was padding; with these, 6%.
 */
const SHORT_LINE_BUCKETS_PX = [64, 96, 128, 160, 192, 224, 256, 288, 320, 384, 448, 512, 576, 640];
const WIDE_LINE_STEP_PX = 32;
const MAX_LINE_WIDTH_PX = 3200;
/**
 * Lines are sampled this much narrower than their aspect ratio gives. Measured on the book
 * pages of the corpus: 0.8 reads as well as 1.0 (CER 1.89% against 1.91%) for a fifth less
 * recognition work; 0.65 starts to merge letters (CER 2.57%).
 */
const LINE_WIDTH_SCALE = 0.8;
/**
 * Total padded width, in pixels, of one recognition batch. Measured here: the recogniser costs
 * about 7.5 ms per 100 px on one thread for single lines, 8 ms in batches of 2,560 px and 13 ms
 * in batches of 5,120 px, so batches stay small; small lines still share a run.
 */
export const RECOGNITION_BATCH_WIDTH_PX = 1280;
const MAX_RECOGNITION_BATCH = 16;
const CLASSIFIER_WIDTH_PX = 192;
const CLASSIFIER_BATCH = 32;
/** A line up to this many times longer than the classifier's input is classified whole. */
const CLASSIFIER_MAX_SQUEEZE = 1.5;

export interface DetectOutcome {
  boxes: DetectedBox[];
  inferenceMs: number;
  totalMs: number;
}

/**
 * Finds text lines in one region of `detImage` (the page at the detector's scale) and returns
 * them in page coordinates, the page being `pageScale` times larger than `detImage` (x and y
 * differ slightly: the detector's sides are rounded to multiples of 32).
 */
export async function detectLines(
  sessions: ModelSessions,
  detImage: RgbImage,
  region: PixelRegion,
  pageScale: { x: number; y: number },
): Promise<DetectOutcome> {
  const started = performance.now();
  if (!sessions.detector) throw new Error('This engine worker holds no detector');
  const tensor = imageToDetectorTensor(detImage, region);
  const inferStart = performance.now();
  const output = await runSingle(sessions.detector, tensor, [1, 3, region.height, region.width]);
  const inferenceMs = performance.now() - inferStart;
  const map = { data: output.data, width: region.width, height: region.height };
  const boxes = boxesFromProbabilityMap(
    map,
    region.width * pageScale.x,
    region.height * pageScale.y,
    DEFAULT_DB_PARAMS,
  ).map((box) => offsetBox(box, region.x * pageScale.x, region.y * pageScale.y));
  return { boxes, inferenceMs, totalMs: performance.now() - started };
}

function offsetBox(box: DetectedBox, dx: number, dy: number): DetectedBox {
  return {
    ...box,
    rect: { ...box.rect, cx: box.rect.cx + dx, cy: box.rect.cy + dy },
    polygon: box.polygon.map(([x, y]) => [x + dx, y + dy]),
  };
}

export interface LineReading {
  text: string;
  confidence: number;
  chars: DecodedChar[];
  /** Output time steps per sampled line pixel, to place characters along the line. */
  stepWidthPx: number;
  /** Width, in pixels, the line was sampled to (its height is 48). */
  sampledWidthPx: number;
  flipped: boolean;
}

export interface RecognizeOutcome {
  lines: LineReading[];
  totalMs: number;
  inferenceMs: number;
}

/** Width, in pixels, a line is sampled to at the models' 48 px height. */
export function sampledWidth(rect: RotatedRect): number {
  const aspect = rect.height > 0 ? rect.width / rect.height : 1;
  return Math.max(
    8,
    Math.min(MAX_LINE_WIDTH_PX, Math.round(LINE_HEIGHT_PX * aspect * LINE_WIDTH_SCALE)),
  );
}

/**
 * Length, in page pixels, of the longest line of `heightPx` that is read whole: a longer one would
 * be squeezed past its aspect ratio, and is cut into pieces (see cutLongLine in long-lines.ts).
 */
export function longestWholeLinePx(heightPx: number): number {
  return (MAX_LINE_WIDTH_PX * heightPx) / (LINE_HEIGHT_PX * LINE_WIDTH_SCALE);
}

/** Reads each line rectangle of `page`, turning over those whose `flips` entry is set. */
export async function recognizeLines(
  sessions: ModelSessions,
  page: RgbImage,
  rects: RotatedRect[],
  flips: boolean[],
  batchWidthPx = RECOGNITION_BATCH_WIDTH_PX,
): Promise<RecognizeOutcome> {
  const started = performance.now();
  let inferenceMs = 0;
  const widths = rects.map(sampledWidth);
  const lines: LineReading[] = new Array(rects.length);
  for (const batch of planBatches(widths, batchWidthPx)) {
    const slotWidth = batch.bucketWidthPx;
    const slotSize = 3 * LINE_HEIGHT_PX * slotWidth;
    const tensor = new Float32Array(batch.indices.length * slotSize);
    batch.indices.forEach((lineIndex, k) => {
      const slot = tensor.subarray(k * slotSize, (k + 1) * slotSize);
      sampleLineInto(
        page,
        rects[lineIndex],
        widths[lineIndex],
        slot,
        0,
        slotWidth,
        flips[lineIndex],
      );
    });
    const inferStart = performance.now();
    const dims = [batch.indices.length, 3, LINE_HEIGHT_PX, slotWidth];
    const output = await runSingle(sessions.recognizer, tensor, dims);
    inferenceMs += performance.now() - inferStart;
    const [, steps, classes] = output.dims;
    const stepWidthPx = slotWidth / steps;
    batch.indices.forEach((lineIndex, k) => {
      const raw = restoreLigatureLetters(
        ctcGreedyDecode(output.data, k * steps * classes, steps, classes, sessions.alphabet),
        output.data,
        k * steps * classes,
        steps,
        classes,
        sessions.alphabet,
      );
      const slot = tensor.subarray(k * slotSize, (k + 1) * slotSize);
      const profile = inkProfile(slot, slotWidth, widths[lineIndex]);
      const spaced = profile ? restoreWordSpaces(raw, profile, stepWidthPx) : raw;
      const tidied = zerosAmongFigures(
        tidyPunctuationSpaces(joinDashRuns(joinDoubledQuotes(spaced))),
      );
      const sampledToPagePx = rects[lineIndex].height / LINE_HEIGHT_PX;
      const decoded = profile
        ? lowerSmallCapitals(
            correctLetterCase(tidied, profile, stepWidthPx, sampledToPagePx),
            profile,
            stepWidthPx,
            sampledToPagePx,
          )
        : tidied;
      lines[lineIndex] = {
        ...decoded,
        stepWidthPx,
        sampledWidthPx: widths[lineIndex],
        flipped: flips[lineIndex],
      };
    });
  }
  return { lines, totalMs: performance.now() - started, inferenceMs };
}

export interface ClassifyOutcome {
  /** Per line, the probability that it reads upside down. */
  upsideDown: number[];
  totalMs: number;
  inferenceMs: number;
}

/** Runs the 0°/180° line classifier on each rectangle, averaged over its windows. */
export async function classifyLines(
  sessions: ModelSessions,
  page: RgbImage,
  rects: RotatedRect[],
): Promise<ClassifyOutcome> {
  const started = performance.now();
  const windows = rects.map(classifierWindows);
  const scores = new Float32Array(windows.reduce((s, w) => s + w.length, 0));
  const inferenceMs = await classify(sessions, page, windows.flat(), scores);
  let at = 0;
  const upsideDown = windows.map((w) => {
    let sum = 0;
    for (let k = 0; k < w.length; k++) sum += scores[at++];
    return sum / w.length;
  });
  return { upsideDown, totalMs: performance.now() - started, inferenceMs };
}

/**
 * The stretches of a line the classifier looks at: the whole line when it fits the classifier's
 * input at about the recogniser's scale, else three windows that do, at its start, middle and
 * end. Squeezed whole into the input, a long line's letters become strokes the classifier
 * cannot read: on a fax whose paragraph lines are 30 times as long as they are tall, it took six
 * of its twelve longest lines for upside down, and the page was read turned over.
 */
export function classifierWindows(rect: RotatedRect): RotatedRect[] {
  const windowPx = (CLASSIFIER_WIDTH_PX / LINE_HEIGHT_PX / LINE_WIDTH_SCALE) * rect.height;
  if (rect.width <= CLASSIFIER_MAX_SQUEEZE * windowPx) return [rect];
  return [-1, 0, 1].map((side) => {
    const shift = (side * (rect.width - windowPx)) / 2;
    return {
      ...rect,
      width: windowPx,
      cx: rect.cx + shift * rect.ux,
      cy: rect.cy + shift * rect.uy,
    };
  });
}

/** Writes each line's probability of being upside down; returns the inference time in ms. */
async function classify(
  sessions: ModelSessions,
  page: RgbImage,
  rects: RotatedRect[],
  out: Float32Array,
): Promise<number> {
  let inferenceMs = 0;
  const slotSize = 3 * LINE_HEIGHT_PX * CLASSIFIER_WIDTH_PX;
  for (let start = 0; start < rects.length; start += CLASSIFIER_BATCH) {
    const count = Math.min(CLASSIFIER_BATCH, rects.length - start);
    const tensor = new Float32Array(count * slotSize);
    for (let k = 0; k < count; k++) {
      const width = Math.min(CLASSIFIER_WIDTH_PX, sampledWidth(rects[start + k]));
      const slot = tensor.subarray(k * slotSize, (k + 1) * slotSize);
      sampleLineInto(page, rects[start + k], width, slot, 0, CLASSIFIER_WIDTH_PX, false);
    }
    const inferStart = performance.now();
    const output = await runSingle(sessions.classifier, tensor, [
      count,
      3,
      LINE_HEIGHT_PX,
      CLASSIFIER_WIDTH_PX,
    ]);
    inferenceMs += performance.now() - inferStart;
    for (let k = 0; k < count; k++) out[start + k] = output.data[k * 2 + 1];
  }
  return inferenceMs;
}

/** The padded width a line of `width` pixels is recognised at. */
export function bucketWidth(width: number): number {
  const short = SHORT_LINE_BUCKETS_PX.find((b) => b >= width);
  if (short !== undefined) return short;
  return Math.min(MAX_LINE_WIDTH_PX, Math.ceil(width / WIDE_LINE_STEP_PX) * WIDE_LINE_STEP_PX);
}

export interface RecognitionBatch {
  bucketWidthPx: number;
  indices: number[];
}

/**
 * Groups lines by the width bucket they pad to, then cuts each group into batches whose total
 * padded width stays within the batch budget.
 */
export function planBatches(
  widthsPx: number[],
  batchWidthPx = RECOGNITION_BATCH_WIDTH_PX,
): RecognitionBatch[] {
  const byBucket = new Map<number, number[]>();
  for (const [index, width] of widthsPx.entries()) {
    const bucket = bucketWidth(width);
    const group = byBucket.get(bucket) ?? [];
    group.push(index);
    byBucket.set(bucket, group);
  }
  const batches: RecognitionBatch[] = [];
  for (const bucket of [...byBucket.keys()].sort((a, b) => a - b)) {
    const group = byBucket.get(bucket) ?? [];
    const perBatch = Math.max(
      1,
      Math.min(MAX_RECOGNITION_BATCH, Math.floor(batchWidthPx / bucket)),
    );
    for (let i = 0; i < group.length; i += perBatch) {
      batches.push({ bucketWidthPx: bucket, indices: group.slice(i, i + perBatch) });
    }
  }
  return batches;
}
