import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifierWindows } from '../../../../electron/service/engine/page-ops';

describe('classifierWindows', () => {
  test('classifies a short line whole', () => {
    const word = { cx: 100, cy: 50, width: 120, height: 30, ux: 1, uy: 0 };
    assert.deepEqual(classifierWindows(word), [word]);
  });

  test('looks at the start, middle and end of a long line, each no longer than the input takes', () => {
    const line = { cx: 500, cy: 50, width: 900, height: 30, ux: 1, uy: 0 };
    const windows = classifierWindows(line);
    assert.equal(windows.length, 3);
    for (const window of windows) {
      assert.ok(window.width < 200);
      assert.equal(window.height, 30);
      assert.equal(window.cy, 50);
    }
    assert.equal(windows[0].cx - windows[0].width / 2, 50);
    assert.equal(windows[1].cx, 500);
    assert.equal(windows[2].cx + windows[2].width / 2, 950);
  });

  test('follows a skewed line along its direction', () => {
    const line = { cx: 0, cy: 0, width: 1000, height: 20, ux: 0.8, uy: 0.6 };
    const [first, , last] = classifierWindows(line);
    assert.ok(Math.abs(first.cy / first.cx - 0.75) < 1e-9);
    assert.ok(Math.abs(last.cx + first.cx) < 1e-9);
  });
});
