/**
 * Folding the recogniser's activations changes how onnxruntime runs it, not what it computes:
 * the rewritten model gives the same outputs, and models without the pattern come back as
 * they were.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { foldActivations } from '../../../../electron/service/engine/activation-folding';
import { defaultModelFiles } from '../../../../electron/service/engine/model-files';
import { readFields, writeFields } from '../../../../electron/service/engine/onnx-wire';

const files = defaultModelFiles();
const options: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
};

/** A deterministic stand-in for a batch of normalised line images, values in [-1, 1]. */
function lineBatch(batch: number, widthPx: number): ort.Tensor {
  const data = new Float32Array(batch * 3 * 48 * widthPx);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * Math.cos(i * 0.011);
  return new ort.Tensor('float32', data, [batch, 3, 48, widthPx]);
}

async function run(model: string | Uint8Array, input: ort.Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model as Uint8Array, options);
  try {
    const outputs = await session.run({ [session.inputNames[0]]: input });
    return outputs[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('onnx wire format', () => {
  test('reading and writing a model gives back the same bytes', () => {
    const bytes = new Uint8Array(readFileSync(files.classifier));
    assert.deepEqual(writeFields(readFields(bytes)), bytes);
  });
});

describe('foldActivations', () => {
  test('folds every hard-swish block of the recogniser and keeps its outputs', async () => {
    const original = new Uint8Array(readFileSync(files.recognition));
    const { model, folded } = foldActivations(original);
    assert.ok(folded >= 20, `only ${folded} blocks folded`);

    for (const [batch, widthPx] of [
      [3, 160],
      [1, 640],
    ]) {
      const input = lineBatch(batch, widthPx);
      const expected = await run(files.recognition, input);
      const actual = await run(model, input);
      assert.equal(actual.length, expected.length);
      const worst = expected.reduce((m, v, i) => Math.max(m, Math.abs(v - actual[i])), 0);
      assert.ok(worst < 1e-4, `outputs differ by up to ${worst}`);
    }
  });

  test('folds the detector too and keeps its probability map', async () => {
    const { model, folded } = foldActivations(new Uint8Array(readFileSync(files.detection)));
    assert.ok(folded >= 20, `only ${folded} blocks folded`);
    const data = new Float32Array(3 * 160 * 224);
    for (let i = 0; i < data.length; i++) data[i] = 2 * Math.sin(i * 0.37) * Math.cos(i * 0.011);
    const input = new ort.Tensor('float32', data, [1, 3, 160, 224]);
    const expected = await run(files.detection, input);
    const actual = await run(model, input);
    const worst = expected.reduce((m, v, i) => Math.max(m, Math.abs(v - actual[i])), 0);
    assert.ok(worst < 1e-4, `outputs differ by up to ${worst}`);
  });

  test('leaves a model without the pattern untouched', () => {
    const original = new Uint8Array(readFileSync(files.classifier));
    const { model, folded } = foldActivations(original);
    assert.equal(folded, 0);
    assert.equal(model, original);
  });

  test('refuses bytes that are not a protocol-buffers message', () => {
    assert.throws(() => foldActivations(new TextEncoder().encode('not an onnx model')));
  });
});
