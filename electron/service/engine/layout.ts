import type { Box } from '../../../shared/domain';

/** A line as layout sees it: its box in the upright page frame. */
export interface LayoutItem {
  box: Box;
}

/** How much of the smaller height two lines must share to sit on one visual row. */
const ROW_OVERLAP = 0.5;
/** A vertical gap wider than this many line heights may separate blocks. */
const BLOCK_GAP_LINES = 0.9;
/** A horizontal gap wider than this many line heights may separate columns. */
const COLUMN_GAP_LINES = 1.2;
/** Each side of a column cut holds at least this many lines... */
const MIN_COLUMN_LINES = 3;
/** ...spans at least this share of the region's width... */
const MIN_COLUMN_SHARE = 0.25;
/** ...and its median line fills at least this share of the column's width (prose, not a list of numbers). */
const MIN_COLUMN_FILL = 0.4;

/**
 * Groups lines into blocks in reading order by recursive XY-cut: split at wide horizontal
 * whitespace (paragraphs, sections), and at vertical whitespace only where both sides look like
 * columns of text, so that a receipt's label and price stay on one row while a two-column page
 * reads column by column. Returns blocks as lists of item indices, each in reading order.
 */
export function orderIntoBlocks(items: LayoutItem[]): number[][] {
  if (items.length === 0) return [];
  const heights = items.map((i) => i.box.height).sort((a, b) => a - b);
  const lineHeight = Math.max(1, heights[heights.length >> 1]);
  const blocks: number[][] = [];
  cut(
    items.map((_, i) => i),
    items,
    lineHeight,
    blocks,
  );
  return blocks;
}

function cut(indices: number[], items: LayoutItem[], lineHeight: number, out: number[][]): void {
  const rows = splitAtGaps(indices, items, 'y', BLOCK_GAP_LINES * lineHeight);
  if (rows.length > 1) {
    for (const part of rows) cut(part, items, lineHeight, out);
    return;
  }
  const columns = splitAtGaps(indices, items, 'x', COLUMN_GAP_LINES * lineHeight);
  if (columns.length > 1 && looksLikeColumns(columns, items)) {
    for (const part of columns) cut(part, items, lineHeight, out);
    return;
  }
  out.push(readingOrder(indices, items));
}

/** Splits items wherever their projections on an axis leave a gap wider than `minGap`. */
function splitAtGaps(
  indices: number[],
  items: LayoutItem[],
  axis: 'x' | 'y',
  minGap: number,
): number[][] {
  const start = (i: number) => (axis === 'x' ? items[i].box.x : items[i].box.y);
  const end = (i: number) =>
    axis === 'x' ? items[i].box.x + items[i].box.width : items[i].box.y + items[i].box.height;
  const sorted = [...indices].sort((a, b) => start(a) - start(b));
  const parts: number[][] = [];
  let current: number[] = [];
  let reach = -Infinity;
  for (const i of sorted) {
    if (current.length > 0 && start(i) - reach > minGap) {
      parts.push(current);
      current = [];
    }
    current.push(i);
    reach = Math.max(reach, end(i));
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function looksLikeColumns(columns: number[][], items: LayoutItem[]): boolean {
  const extent = (part: number[]) => {
    const left = Math.min(...part.map((i) => items[i].box.x));
    const right = Math.max(...part.map((i) => items[i].box.x + items[i].box.width));
    return { left, right, width: right - left };
  };
  const all = extent(columns.flat());
  return columns.every((part) => {
    const { width } = extent(part);
    const widths = part.map((i) => items[i].box.width).sort((a, b) => a - b);
    return (
      part.length >= MIN_COLUMN_LINES &&
      width >= MIN_COLUMN_SHARE * all.width &&
      widths[widths.length >> 1] >= MIN_COLUMN_FILL * width
    );
  });
}

/** Top to bottom by visual rows, left to right within a row. */
function readingOrder(indices: number[], items: LayoutItem[]): number[] {
  const byTop = [...indices].sort((a, b) => items[a].box.y - items[b].box.y);
  const rows: number[][] = [];
  for (const i of byTop) {
    const row = rows.find((r) => sharesRow(items[r[0]].box, items[i].box));
    if (row) row.push(i);
    else rows.push([i]);
  }
  return rows.flatMap((row) => row.sort((a, b) => items[a].box.x - items[b].box.x));
}

export function sharesRow(a: Box, b: Box): boolean {
  const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return overlap > ROW_OVERLAP * Math.min(a.height, b.height);
}
