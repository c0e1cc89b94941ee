/**
 * Crash chaos: a batch of small pages is submitted, then the service is killed with SIGKILL at
 * random moments and started again, over and over, before it is let finish. Afterwards every
 * task must have ended exactly once, no page result may be stored twice, and the database must
 * pass SQLite's integrity and foreign-key checks.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TaskEvent, TaskStatus } from '../../shared/contract';
import { seededRandom } from '../fuzz/message-fuzzer';
import { COSMIC_PNG, SIMPLE_PNG, TESTOCR_PNG } from '../electron/service/helpers/corpus';
import {
  startServiceProcess,
  waitForFinal,
  type ServiceProcess,
} from '../electron/service/helpers/service-process';

export const DATABASE_FILE = 'ocr-desk.sqlite';

export interface CrashChaosOptions {
  dataDir: string;
  taskCount: number;
  killCount: number;
  seed: number;
  /** Longest wait between a start and its kill, in ms; each wait is random below it. */
  maxLifeMs: number;
  finishTimeoutMs: number;
  log?: (line: string) => void;
}

export interface CrashChaosReport {
  tasks: number;
  kills: number;
  /** Kills that landed while at least one task was running. */
  killsMidTask: number;
  statuses: Partial<Record<TaskStatus, number>>;
  /** Tasks whose event log holds other than exactly one final event. */
  finalEventProblems: string[];
  recoveredEvents: number;
  duplicatePageRows: number;
  pageRows: number;
  completedPages: number;
  orphanLines: number;
  integrityCheck: string;
  foreignKeyProblems: number;
  /** Failed tasks whose reason is not the documented "stopped N times" one. */
  unexpectedFailures: string[];
  strayFiles: string[];
  elapsedMs: number;
}

const FINAL_EVENTS = new Set(['completed', 'failed', 'cancelled']);

async function allEvents(service: ServiceProcess, taskId: string): Promise<TaskEvent[]> {
  const events: TaskEvent[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await service.client.request('getTaskEvents', { taskId, afterId, limit: 500 });
    if (!page.ok) throw new Error(page.error.message);
    events.push(...page.value.events);
    if (page.value.events.length < 500) return events;
    afterId = page.value.events.at(-1)?.id;
  }
}

function killNow(service: ServiceProcess): Promise<void> {
  return new Promise((resolve) => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return resolve();
    service.child.once('exit', () => resolve());
    service.child.kill('SIGKILL');
  });
}

/** What a data folder holds for good: the database with its WAL files, configuration, logs. */
const KEPT = /^(ocr-desk\.sqlite(-wal|-shm)?|config\.yaml|logs|service\.(sock|lock)|.*\.lock)$/;

/** Entries of the data folder that are none of the kept ones: leftovers of a task or a crash. */
export function strayFiles(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir).filter((name) => !KEPT.test(name));
}

export function checkDatabase(dataDir: string) {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const integrityCheck = String(db.pragma('integrity_check', { simple: true }));
    const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
    const duplicatePageRows = (
      db
        .prepare(
          'SELECT COUNT(*) AS n FROM (SELECT 1 FROM result_pages GROUP BY task_id, page_index HAVING COUNT(*) > 1)',
        )
        .get() as { n: number }
    ).n;
    const pageRows = (db.prepare('SELECT COUNT(*) AS n FROM result_pages').get() as { n: number })
      .n;
    const orphanLines = (
      db
        .prepare(
          'SELECT COUNT(*) AS n FROM result_lines l LEFT JOIN result_blocks b ON b.id = l.block_id WHERE b.id IS NULL',
        )
        .get() as { n: number }
    ).n;
    return { integrityCheck, foreignKeyProblems, duplicatePageRows, pageRows, orphanLines };
  } finally {
    db.close();
  }
}

export async function runCrashChaos(options: CrashChaosOptions): Promise<CrashChaosReport> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const startedMs = Date.now();
  const images = [SIMPLE_PNG, COSMIC_PNG, TESTOCR_PNG];

  let service = await startServiceProcess(options.dataDir);
  // Restarts make the batch wait longer than the default queue timeout of 5 minutes.
  await service.client.request('setConfig', { patch: { queue: { timeoutMs: 3_600_000 } } });
  const paths = Array.from({ length: options.taskCount }, (_, i) => images[i % images.length]);
  const submitted = await service.client.request('submit', { paths });
  if (!submitted.ok) throw new Error(`submit failed: ${submitted.error.message}`);
  const ids = submitted.value.tasks.map((t) => t.id);

  let killsMidTask = 0;
  for (let kill = 1; kill <= options.killCount; kill++) {
    let running = 0;
    const unsubscribe = service.client.subscribe((event) => {
      if (event.kind === 'metrics') running = event.snapshot.activeTasksByDevice.cpu ?? 0;
    });
    await new Promise((r) => setTimeout(r, random() * options.maxLifeMs));
    const metrics = await service.client.request('getMetrics', {});
    if (metrics.ok)
      running = Object.values(metrics.value.activeTasksByDevice).reduce((a, b) => a + b, 0);
    unsubscribe();
    await killNow(service);
    if (running > 0) killsMidTask += 1;
    const done = countRows(
      options.dataDir,
      "SELECT COUNT(*) AS n FROM tasks WHERE status = 'completed'",
    );
    log(`kill ${kill}/${options.killCount}: ${running} running, ${done} completed so far`);
    service = await startServiceProcess(options.dataDir);
  }

  const finals = await waitForFinal(service.client, ids, options.finishTimeoutMs);
  const statuses: Partial<Record<TaskStatus, number>> = {};
  const finalEventProblems: string[] = [];
  const unexpectedFailures: string[] = [];
  let recoveredEvents = 0;
  for (const id of ids) {
    const task = finals.get(id)!;
    statuses[task.status] = (statuses[task.status] ?? 0) + 1;
    const events = await allEvents(service, id);
    const finalsSeen = events.filter((e) => FINAL_EVENTS.has(e.type)).length;
    recoveredEvents += events.filter((e) => e.type === 'recovered').length;
    if (finalsSeen !== 1) finalEventProblems.push(`${id}: ${finalsSeen} final events`);
    if (task.status === 'failed' && !/stopped while reading/.test(task.failureMessage ?? '')) {
      unexpectedFailures.push(`${id}: ${task.failureReason} ${task.failureMessage}`);
    }
  }
  await service.stop();

  const db = checkDatabase(options.dataDir);
  return {
    tasks: ids.length,
    kills: options.killCount,
    killsMidTask,
    statuses,
    finalEventProblems,
    recoveredEvents,
    ...db,
    completedPages: statuses.completed ?? 0,
    unexpectedFailures,
    strayFiles: strayFiles(options.dataDir),
    elapsedMs: Date.now() - startedMs,
  };
}

/** One number from the database while no service holds it, or -1 when it cannot be read. */
function countRows(dataDir: string, sql: string): number {
  try {
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return -1;
  }
}
