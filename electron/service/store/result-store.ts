/**
 * Page results (pages, blocks, lines with their boxes) in SQLite, so that results survive a
 * restart. Writing a page replaces any earlier copy of the same task and page in one
 * transaction, so a page read again after a crash never leaves duplicate rows.
 */
import type { PageError } from '../../../shared/contract';
import type {
  Box,
  OcrBlock,
  OcrLine,
  OcrWord,
  PageResult,
  PageRotation,
  PageWarning,
  Point,
  StageTimingsMs,
} from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import type { Db } from './database';

interface PageRow {
  id: number;
  page_index: number;
  width_px: number;
  height_px: number;
  rotation: number;
  text: string;
  confidence: number;
  warnings_json: string;
  timings_json: string;
  rss_mb: number;
  text_source: string | null;
}

interface BlockRow extends Box {
  id: number;
  page_id: number;
}

interface LineRow extends Box {
  block_id: number;
  text: string;
  confidence: number;
  polygon_json: string;
  words_json: string;
  char_confidences_json: string;
}

export class ResultStore {
  constructor(private readonly db: Db) {}

  /** Stores one page; call inside the transaction that also records the page's progress. */
  savePage(taskId: string, page: PageResult): void {
    this.db
      .prepare('DELETE FROM result_pages WHERE task_id = ? AND page_index = ?')
      .run(taskId, page.pageIndex);
    this.db
      .prepare('DELETE FROM page_errors WHERE task_id = ? AND page_index = ?')
      .run(taskId, page.pageIndex);
    const pageId = this.db
      .prepare(
        `INSERT INTO result_pages (task_id, page_index, width_px, height_px, rotation, text,
           confidence, warnings_json, timings_json, rss_mb, text_source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        taskId,
        page.pageIndex,
        page.widthPx,
        page.heightPx,
        page.rotation,
        page.text,
        page.confidence,
        JSON.stringify(page.warnings),
        JSON.stringify(page.timingsMs),
        page.rssMb,
        page.textSource ?? null,
      ).lastInsertRowid;

    const insertBlock = this.db.prepare(
      'INSERT INTO result_blocks (page_id, block_index, x, y, width, height) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertLine = this.db.prepare(
      `INSERT INTO result_lines (block_id, line_index, text, confidence, polygon_json, x, y,
         width, height, words_json, char_confidences_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    page.blocks.forEach((block, blockIndex) => {
      const { x, y, width, height } = block.box;
      const blockId = insertBlock.run(pageId, blockIndex, x, y, width, height).lastInsertRowid;
      block.lines.forEach((line, lineIndex) => {
        insertLine.run(
          blockId,
          lineIndex,
          line.text,
          line.confidence,
          JSON.stringify(line.polygon),
          line.box.x,
          line.box.y,
          line.box.width,
          line.box.height,
          JSON.stringify(line.words),
          JSON.stringify(line.charConfidences),
        );
      });
    });
  }

  savePageError(taskId: string, error: PageError): void {
    this.db
      .prepare(
        `INSERT INTO page_errors (task_id, page_index, code, message) VALUES (?, ?, ?, ?)
         ON CONFLICT (task_id, page_index) DO UPDATE SET code = excluded.code, message = excluded.message`,
      )
      .run(taskId, error.pageIndex, error.error.code, error.error.message);
  }

  storedPageIndices(taskId: string): number[] {
    const rows = this.db
      .prepare('SELECT page_index FROM result_pages WHERE task_id = ? ORDER BY page_index')
      .all(taskId) as { page_index: number }[];
    return rows.map((r) => r.page_index);
  }

  pageErrors(taskId: string): PageError[] {
    const rows = this.db
      .prepare(
        'SELECT page_index, code, message FROM page_errors WHERE task_id = ? ORDER BY page_index',
      )
      .all(taskId) as { page_index: number; code: string; message: string }[];
    return rows.map((r) => ({
      pageIndex: r.page_index,
      error: { code: r.code as ErrorCode, message: r.message },
    }));
  }

  pages(taskId: string): PageResult[] {
    const pageRows = this.db
      .prepare('SELECT * FROM result_pages WHERE task_id = ? ORDER BY page_index')
      .all(taskId) as PageRow[];
    if (pageRows.length === 0) return [];

    const blockRows = this.db
      .prepare(
        `SELECT b.id, b.page_id, b.x, b.y, b.width, b.height FROM result_blocks b
         JOIN result_pages p ON p.id = b.page_id WHERE p.task_id = ? ORDER BY b.page_id, b.block_index`,
      )
      .all(taskId) as BlockRow[];
    const lineRows = this.db
      .prepare(
        `SELECT l.* FROM result_lines l JOIN result_blocks b ON b.id = l.block_id
         JOIN result_pages p ON p.id = b.page_id WHERE p.task_id = ? ORDER BY l.block_id, l.line_index`,
      )
      .all(taskId) as LineRow[];

    const linesByBlock = groupBy(lineRows, (l) => l.block_id);
    const blocksByPage = groupBy(blockRows, (b) => b.page_id);
    return pageRows.map((row) => ({
      pageIndex: row.page_index,
      widthPx: row.width_px,
      heightPx: row.height_px,
      rotation: row.rotation as PageRotation,
      text: row.text,
      confidence: row.confidence,
      warnings: JSON.parse(row.warnings_json) as PageWarning[],
      timingsMs: JSON.parse(row.timings_json) as StageTimingsMs,
      rssMb: row.rss_mb,
      ...(row.text_source ? { textSource: row.text_source as PageResult['textSource'] } : {}),
      blocks: (blocksByPage.get(row.id) ?? []).map((b): OcrBlock => ({
        box: { x: b.x, y: b.y, width: b.width, height: b.height },
        lines: (linesByBlock.get(b.id) ?? []).map(toLine),
      })),
    }));
  }

  /** Row counts of one task's results, for checks that nothing was stored twice. */
  rowCounts(taskId: string): { pages: number; blocks: number; lines: number } {
    const count = (sql: string) => (this.db.prepare(sql).get(taskId) as { n: number }).n;
    return {
      pages: count('SELECT COUNT(*) AS n FROM result_pages WHERE task_id = ?'),
      blocks: count(
        'SELECT COUNT(*) AS n FROM result_blocks b JOIN result_pages p ON p.id = b.page_id WHERE p.task_id = ?',
      ),
      lines: count(
        `SELECT COUNT(*) AS n FROM result_lines l JOIN result_blocks b ON b.id = l.block_id
         JOIN result_pages p ON p.id = b.page_id WHERE p.task_id = ?`,
      ),
    };
  }
}

function toLine(row: LineRow): OcrLine {
  return {
    text: row.text,
    confidence: row.confidence,
    polygon: JSON.parse(row.polygon_json) as Point[],
    box: { x: row.x, y: row.y, width: row.width, height: row.height },
    words: JSON.parse(row.words_json) as OcrWord[],
    charConfidences: JSON.parse(row.char_confidences_json) as number[],
  };
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
