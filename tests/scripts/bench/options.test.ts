import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchOptions } from '../../../scripts/bench/options';

describe('parseBenchOptions', () => {
  it('runs every runner on the default corpus when given nothing', () => {
    assert.deepEqual(parseBenchOptions([]), { runners: ['ours', 'tesseract', 'gutenye'] });
  });

  it('takes a folder, a runner list and a per-set limit, in either flag form', () => {
    assert.deepEqual(parseBenchOptions(['corpus', '--only', 'tesseract,ours', '--limit=3']), {
      dir: 'corpus',
      runners: ['ours', 'tesseract'],
      limitPerSet: 3,
    });
  });

  it('keeps the fixed runner order whatever order --only lists them in', () => {
    assert.deepEqual(parseBenchOptions(['--only=gutenye,ours']).runners, ['ours', 'gutenye']);
  });

  it('refuses unknown runners, bad limits, unknown flags and a second folder', () => {
    assert.throws(() => parseBenchOptions(['--only', 'ours,abbyy']), /abbyy/);
    assert.throws(() => parseBenchOptions(['--limit', '0']), /--limit/);
    assert.throws(() => parseBenchOptions(['--limit']), /needs a value/);
    assert.throws(() => parseBenchOptions(['--fast']), /unknown option --fast/);
    assert.throws(() => parseBenchOptions(['a', 'b']), /one corpus folder/);
  });
});
