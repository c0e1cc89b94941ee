/** Tasks, their events and their memory samples in SQLite. */
import type {
  JsonValue,
  MemorySample,
  TaskEvent,
  TaskEventType,
  TaskListFilter,
} from '../../../shared/contract';
import type { Db } from './database';
import { rowToTask, TASK_COLUMNS, taskToRow, type StoredTask, type TaskRow } from './task-rows';

interface EventRow {
  id: number;
  task_id: string;
  type: string;
  at_ms: number;
  details_json: string;
}

export class TaskStore {
  private readonly insertStatement;
  private readonly replaceStatement;
  private readonly getStatement;
  private readonly eventStatement;
  private readonly sampleStatement;

  constructor(private readonly db: Db) {
    const names = TASK_COLUMNS.join(', ');
    const values = TASK_COLUMNS.map((c) => `@${c}`).join(', ');
    this.insertStatement = db.prepare(`INSERT INTO tasks (${names}) VALUES (${values})`);
    const sets = TASK_COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = @${c}`)
      .join(', ');
    this.replaceStatement = db.prepare(`UPDATE tasks SET ${sets} WHERE id = @id`);
    this.getStatement = db.prepare('SELECT * FROM tasks WHERE id = ?');
    this.eventStatement = db.prepare(
      'INSERT INTO task_events (task_id, type, at_ms, details_json) VALUES (?, ?, ?, ?)',
    );
    // Prepared once: a sample is written every second for each running task.
    this.sampleStatement = db.prepare(
      'INSERT INTO task_metrics (task_id, at_ms, memory_mb) VALUES (?, ?, ?)',
    );
  }

  /** Runs `work` in one transaction: all of its writes land, or none. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  insert(task: StoredTask): void {
    this.insertStatement.run(taskToRow(task));
  }

  save(task: StoredTask): void {
    this.replaceStatement.run(taskToRow(task));
  }

  get(id: string): StoredTask | null {
    const row = this.getStatement.get(id) as TaskRow | undefined;
    return row ? rowToTask(row) : null;
  }

  withStatus(statuses: string[]): StoredTask[] {
    const marks = statuses.map(() => '?').join(', ');
    const rows = this.db
      .prepare(`SELECT * FROM tasks WHERE status IN (${marks}) ORDER BY queue_seq`)
      .all(...statuses) as TaskRow[];
    return rows.map(rowToTask);
  }

  countWithStatus(statuses: string[]): number {
    const marks = statuses.map(() => '?').join(', ');
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM tasks WHERE status IN (${marks})`)
      .get(...statuses) as { n: number };
    return row.n;
  }

  nextQueueSeq(): number {
    const row = this.db.prepare('SELECT MAX(queue_seq) AS seq FROM tasks').get() as {
      seq: number | null;
    };
    return (row.seq ?? 0) + 1;
  }

  list(filter: TaskListFilter): { tasks: StoredTask[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    if (filter.search) {
      where.push("(source_name LIKE ? ESCAPE '\\' OR source_path LIKE ? ESCAPE '\\')");
      const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(pattern, pattern);
    }
    if (filter.device) {
      where.push('assigned_device = ?');
      params.push(filter.device);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = {
      newest: 'created_at_ms DESC, queue_seq DESC',
      oldest: 'created_at_ms ASC, queue_seq ASC',
      priority: 'priority DESC, queue_seq ASC',
    }[filter.order ?? 'newest'];
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM tasks ${clause}`).get(...params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM tasks ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, filter.limit ?? 50, filter.offset ?? 0) as TaskRow[];
    return { tasks: rows.map(rowToTask), total };
  }

  appendEvent(
    taskId: string,
    type: TaskEventType,
    atMs: number,
    details: { [key: string]: JsonValue },
  ): TaskEvent {
    const info = this.eventStatement.run(taskId, type, atMs, JSON.stringify(details));
    return { id: Number(info.lastInsertRowid), taskId, type, atMs, details };
  }

  events(taskId: string, afterId = 0, limit = 1000): TaskEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM task_events WHERE task_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(taskId, afterId, limit) as EventRow[];
    return rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      type: r.type as TaskEventType,
      atMs: r.at_ms,
      details: JSON.parse(r.details_json) as { [key: string]: JsonValue },
    }));
  }

  addMemorySample(taskId: string, atMs: number, memoryMb: number): void {
    this.sampleStatement.run(taskId, atMs, memoryMb);
  }

  memorySamples(taskId: string, limit = 2000): MemorySample[] {
    const rows = this.db
      .prepare(
        'SELECT at_ms, memory_mb FROM task_metrics WHERE task_id = ? ORDER BY at_ms DESC LIMIT ?',
      )
      .all(taskId, limit) as { at_ms: number; memory_mb: number }[];
    return rows.reverse().map((r) => ({ atMs: r.at_ms, memoryMb: r.memory_mb }));
  }

  /** Mean queue wait of tasks started since `sinceMs`, in ms; null when none started. */
  averageWaitMs(sinceMs: number): number | null {
    const row = this.db
      .prepare(
        'SELECT AVG(last_wait_ms) AS wait FROM tasks WHERE started_at_ms >= ? AND last_wait_ms IS NOT NULL',
      )
      .get(sinceMs) as { wait: number | null };
    return row.wait === null ? null : Math.round(row.wait);
  }
}
