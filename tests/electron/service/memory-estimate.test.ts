import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  estimateMemoryMb,
  type EstimateInput,
} from '../../../electron/service/tasks/memory-estimate';

const receipt: EstimateInput = {
  info: { widthPx: 463, heightPx: 1013, pageCount: 1 },
  deviceKind: 'cpu',
  memoryReductionFactor: 1,
  pagesInFlight: 2,
};

test('larger pages need more memory, with the detector’s share capped', () => {
  const small = estimateMemoryMb(receipt);
  const book = estimateMemoryMb({
    ...receipt,
    info: { widthPx: 1850, heightPx: 2621, pageCount: 1 },
  });
  const poster = estimateMemoryMb({
    ...receipt,
    info: { widthPx: 4961, heightPx: 7016, pageCount: 1 },
  });
  assert.ok(small < book && book < poster);
  // The bench measured about 400, 560 and 600 MB for these three in a fresh service (the
  // detector reads in strips, so the poster costs little more than the book page).
  assert.ok(Math.abs(small / 404 - 1) < 0.3, String(small));
  assert.ok(Math.abs(book / 556 - 1) < 0.3, String(book));
  assert.ok(Math.abs(poster / 598 - 1) < 0.3, String(poster));
});

test('pages read at once add up; a reduction factor lowers the estimate; a GPU costs its context', () => {
  const single = estimateMemoryMb(receipt);
  const twoPages = estimateMemoryMb({ ...receipt, info: { ...receipt.info, pageCount: 5 } });
  const reduced = estimateMemoryMb({ ...receipt, memoryReductionFactor: 0.5 });
  const onGpu = estimateMemoryMb({ ...receipt, deviceKind: 'cuda', pagesInFlight: 1 });
  assert.ok(twoPages > single);
  assert.ok(reduced < single);
  assert.ok(onGpu > single);
});
