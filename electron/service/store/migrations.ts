/**
 * Schema migrations, applied in order by schema version (SQLite's user_version). Add a new
 * entry for every change; never edit one that has shipped.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        source_path TEXT NOT NULL,
        source_name TEXT NOT NULL,
        source_format TEXT,
        source_size_bytes INTEGER,
        options_json TEXT NOT NULL,
        status TEXT NOT NULL,
        priority INTEGER NOT NULL,
        original_priority INTEGER NOT NULL,
        queue_seq INTEGER NOT NULL,
        pages_done INTEGER NOT NULL DEFAULT 0,
        pages_total INTEGER,
        created_at_ms INTEGER NOT NULL,
        queued_at_ms INTEGER,
        started_at_ms INTEGER,
        finished_at_ms INTEGER,
        updated_at_ms INTEGER NOT NULL,
        not_before_ms INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        failure_reason TEXT,
        failure_message TEXT,
        estimated_memory_mb REAL,
        actual_memory_mb REAL,
        assigned_device TEXT,
        service_instance_id TEXT,
        resource_cleanup_completed INTEGER NOT NULL DEFAULT 0,
        memory_reduction_factor REAL NOT NULL DEFAULT 1,
        warnings_json TEXT NOT NULL DEFAULT '[]',
        processing_ms INTEGER NOT NULL DEFAULT 0,
        last_wait_ms INTEGER,
        page_width_px INTEGER,
        page_height_px INTEGER
      );
      CREATE INDEX tasks_by_status ON tasks (status, queue_seq);
      CREATE INDEX tasks_by_created ON tasks (created_at_ms);

      CREATE TABLE task_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        details_json TEXT NOT NULL
      );
      CREATE INDEX task_events_by_task ON task_events (task_id, id);

      CREATE TABLE task_metrics (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        at_ms INTEGER NOT NULL,
        memory_mb REAL NOT NULL
      );
      CREATE INDEX task_metrics_by_task ON task_metrics (task_id, at_ms);

      CREATE TABLE result_pages (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        page_index INTEGER NOT NULL,
        width_px INTEGER NOT NULL,
        height_px INTEGER NOT NULL,
        rotation INTEGER NOT NULL,
        text TEXT NOT NULL,
        confidence REAL NOT NULL,
        warnings_json TEXT NOT NULL,
        timings_json TEXT NOT NULL,
        rss_mb REAL NOT NULL,
        UNIQUE (task_id, page_index)
      );

      CREATE TABLE result_blocks (
        id INTEGER PRIMARY KEY,
        page_id INTEGER NOT NULL REFERENCES result_pages (id) ON DELETE CASCADE,
        block_index INTEGER NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        width REAL NOT NULL,
        height REAL NOT NULL,
        UNIQUE (page_id, block_index)
      );

      CREATE TABLE result_lines (
        id INTEGER PRIMARY KEY,
        block_id INTEGER NOT NULL REFERENCES result_blocks (id) ON DELETE CASCADE,
        line_index INTEGER NOT NULL,
        text TEXT NOT NULL,
        confidence REAL NOT NULL,
        polygon_json TEXT NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        width REAL NOT NULL,
        height REAL NOT NULL,
        words_json TEXT NOT NULL,
        char_confidences_json TEXT NOT NULL,
        UNIQUE (block_id, line_index)
      );

      CREATE TABLE page_errors (
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        page_index INTEGER NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (task_id, page_index)
      );
    `,
  },
  {
    // Pages of born-digital PDFs can take their text from the PDF instead of OCR.
    version: 2,
    sql: `ALTER TABLE result_pages ADD COLUMN text_source TEXT;`,
  },
];
