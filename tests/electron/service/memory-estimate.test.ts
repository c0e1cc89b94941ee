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
  // The bench measured about 460, 700 and 880 MB for these three in a fresh service.
  assert.ok(Math.abs(small / 457 - 1) < 0.3, String(small));
  assert.ok(Math.abs(book / 692 - 1) < 0.3, String(book));
  assert.ok(Math.abs(poster / 877 - 1) < 0.3, String(poster));
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
