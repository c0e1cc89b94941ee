/**
 * Checks of where a page's lines and words are, in the page's own pixels: what a searchable
 * PDF, hOCR or a highlight in the viewer relies on.
 */
import assert from 'node:assert/strict';
import type { Box, OcrLine, PageResult, Point } from '../../../../../shared/domain';

/** The way text runs in the page image: right on an upright page, down on one turned 90° clockwise. */
export type ReadingDirection = 'right' | 'down' | 'left' | 'up';

const UNIT: Record<ReadingDirection, Point> = {
  right: [1, 0],
  down: [0, 1],
  left: [-1, 0],
  up: [0, -1],
};

/** Pixels a box may stray past what holds it (rounding, half-pixel conventions). */
const SLACK_PX = 2;

function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - SLACK_PX &&
    inner.y >= outer.y - SLACK_PX &&
    inner.x + inner.width <= outer.x + outer.width + SLACK_PX &&
    inner.y + inner.height <= outer.y + outer.height + SLACK_PX
  );
}

function along(direction: ReadingDirection, box: Box): number {
  const [ux, uy] = UNIT[direction];
  return (box.x + box.width / 2) * ux + (box.y + box.height / 2) * uy;
}

function assertLineFollows(line: OcrLine, direction: ReadingDirection): void {
  const [ux, uy] = UNIT[direction];
  const [start, end] = line.polygon;
  const dx = end[0] - start[0];
  const dy = end[1] - start[1];
  // The polygon's first edge is the top of the text, from where reading starts.
  assert.ok(
    dx * ux + dy * uy > 0.9 * Math.hypot(dx, dy),
    `line "${line.text}": first edge (${dx.toFixed(0)}, ${dy.toFixed(0)}) does not run ${direction}`,
  );

  assert.equal(line.words.map((w) => w.text).join(' '), line.text);
  line.words.forEach((word, i) => {
    assert.ok(inside(word.box, line.box), `word "${word.text}" outside its line "${line.text}"`);
    const before = line.words[i - 1];
    if (before) {
      assert.ok(
        along(direction, word.box) > along(direction, before.box),
        `"${before.text}" then "${word.text}" in "${line.text}" do not follow ${direction}`,
      );
    }
  });

  assert.equal(line.charConfidences.length, Array.from(line.text).length);
  for (const c of [
    line.confidence,
    ...line.charConfidences,
    ...line.words.map((w) => w.confidence),
  ]) {
    assert.ok(c >= 0 && c <= 1, `confidence ${c} in "${line.text}"`);
  }
}

/** Every line lies on the page and reads in `direction`, its words in order along it. */
export function assertLinesFollow(page: PageResult, direction: ReadingDirection): void {
  const lines = page.blocks.flatMap((b) => b.lines);
  assert.ok(lines.length > 0, 'no lines');
  const pageBox = { x: 0, y: 0, width: page.widthPx, height: page.heightPx };
  for (const line of lines) {
    assert.ok(
      inside(line.box, pageBox),
      `line "${line.text}" ${JSON.stringify(line.box)} is off the ${page.widthPx}x${page.heightPx} page`,
    );
    for (const block of page.blocks) {
      if (block.lines.includes(line)) assert.ok(inside(line.box, block.box));
    }
    assertLineFollows(line, direction);
  }
}
