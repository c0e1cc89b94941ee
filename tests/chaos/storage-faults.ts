/**
 * Storage faults under a real service: the database locked by another process (an exclusive
 * transaction held with better-sqlite3), the disk full (the data folder on a tiny tmpfs), and
 * a read-only data folder (the tmpfs remounted read-only; chmod does not bind root). Each
 * scenario records what the user sees (answers, task states, the service's exit and log) and
 * what is left on disk afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Result, Task } from '../../shared/contract';
import { SIMPLE_PNG } from '../electron/service/helpers/corpus';
import {
  startServiceProcess,
  waitForFinal,
  type ServiceProcess,
} from '../electron/service/helpers/service-process';
import { checkDatabase, DATABASE_FILE } from './crash-chaos';

/** A tmpfs of `sizeKb` mounted on a fresh folder, or null when this process may not mount. */
export function mountTinyDisk(sizeKb: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-desk-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'ignore' });
}

/** Unmounts; lazily when a process that just exited has not let go of the mount yet. */
export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Starts the service, or reports how it refused to start (exit status and last log lines). */
export async function tryStart(
  dataDir: string,
): Promise<{ service: ServiceProcess } | { exitError: string }> {
  try {
    return { service: await startServiceProcess(dataDir) };
  } catch (error) {
    return { exitError: String(error) };
  }
}

export interface FaultObservation {
  scenario: string;
  /** What the user saw while the fault lasted. */
  duringFault: string[];
  /** Whether the service process stayed alive through the fault. */
  serviceSurvived: boolean;
  /** After the fault was lifted: tasks submitted then read normally. */
  recoveredAfterFault: boolean;
  integrityCheck: string;
  foreignKeyProblems: number;
  duplicatePageRows: number;
  /** `status reason` of each task the fault met, as stored once the service has stopped. */
  storedAfterFault?: string[];
}

function storedStates(dataDir: string, taskIds: string[]): string[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const row = db.prepare('SELECT status, failure_reason FROM tasks WHERE id = ?');
    return taskIds.map((id) => {
      const stored = row.get(id) as { status: string; failure_reason: string | null } | undefined;
      return stored ? `${stored.status} ${stored.failure_reason ?? ''}`.trim() : 'missing';
    });
  } finally {
    db.close();
  }
}

function describe(result: Result<unknown>): string {
  return result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`;
}

async function readsAfterFault(service: ServiceProcess): Promise<boolean> {
  const submitted = await service.client.request('submit', { paths: [SIMPLE_PNG] });
  if (!submitted.ok || submitted.value.tasks.length !== 1) return false;
  const finals = await waitForFinal(service.client, [submitted.value.tasks[0].id], 120_000);
  return [...finals.values()].every((t: Task) => t.status === 'completed');
}

/** Warms a data folder: one task read, so the database exists with its schema. */
async function prepare(dataDir: string): Promise<void> {
  const service = await startServiceProcess(dataDir);
  await readsAfterFault(service);
  await service.stop();
}

/**
 * Another process holds an exclusive transaction: first while the service starts, then while
 * it runs and a file is submitted. Released, everything must go on.
 */
export async function databaseLocked(dataDir: string): Promise<FaultObservation> {
  await prepare(dataDir);
  const seen: string[] = [];
  const holder = new Database(join(dataDir, DATABASE_FILE));
  holder.exec('BEGIN EXCLUSIVE');
  const start = await tryStart(dataDir);
  seen.push('service' in start ? 'started while locked' : `refused to start: ${start.exitError}`);
  holder.exec('ROLLBACK');
  const service = 'service' in start ? start.service : await startServiceProcess(dataDir);

  holder.exec('BEGIN EXCLUSIVE');
  const submitted = await service.client.request('submit', { paths: [SIMPLE_PNG] });
  seen.push(`submit while locked: ${describe(submitted)}`);
  const listed = await service.client.request('listTasks', {});
  seen.push(`listTasks while locked: ${describe(listed)}`);
  holder.exec('ROLLBACK');
  holder.close();

  const serviceSurvived = service.child.exitCode === null && service.child.signalCode === null;
  const live = serviceSurvived ? service : await startServiceProcess(dataDir);
  const recoveredAfterFault = await readsAfterFault(live);
  await live.stop();
  return {
    scenario: 'database locked',
    duringFault: seen,
    serviceSurvived,
    recoveredAfterFault,
    ...checkDatabase(dataDir),
  };
}

/**
 * The data folder on a tiny disk that is filled to the last byte while the service runs and
 * five tasks wait in its queue; then they run, and another file is submitted. Space freed,
 * everything must go on.
 */
export async function diskFull(diskDir: string): Promise<FaultObservation> {
  const dataDir = join(diskDir, 'data');
  mkdirSync(dataDir);
  await prepare(dataDir);
  const service = await startServiceProcess(dataDir);
  const seen: string[] = [];
  // Queued before the disk fills, so that they run, and store their results, on a full disk.
  await service.client.request('pauseQueue', {});
  const queued = await service.client.request('submit', {
    paths: Array.from({ length: 5 }, () => SIMPLE_PNG),
  });
  seen.push(`submit before the disk filled: ${describe(queued)}`);
  const filler = join(diskDir, 'filler');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // dd stops with "No space left on device": the disk is full, which is the point.
  }
  const refused = await service.client.request('submit', { paths: [SIMPLE_PNG] });
  seen.push(`submit on a full disk: ${describe(refused)}`);
  const ids = queued.ok ? queued.value.tasks.map((t) => t.id) : [];
  await service.client.request('resumeQueue', {});
  if (ids.length > 0) {
    const finals = await waitForFinal(service.client, ids, 30_000).catch((e) => e as Error);
    if (finals instanceof Error) seen.push(`tasks on a full disk: ${finals.message}`);
    else
      for (const task of finals.values())
        seen.push(
          `task on a full disk: ${task.status} ${task.failureReason ?? ''} ${task.failureMessage ?? ''}`,
        );
  }
  const serviceSurvived = service.child.exitCode === null && service.child.signalCode === null;
  if (!serviceSurvived) {
    const last = service
      .stderr()
      .trim()
      .split('\n')
      .filter((l) => !l.includes('"level":"info"'))
      .slice(-14)
      .join(' | ')
      .slice(0, 1500);
    seen.push(`the service exited with ${service.child.exitCode}: ${last}`);
  }
  rmSync(filler, { force: true });
  const live = serviceSurvived ? service : await startServiceProcess(dataDir);
  const recoveredAfterFault = await readsAfterFault(live);
  await live.stop();
  return {
    scenario: 'disk full',
    duringFault: seen,
    serviceSurvived,
    recoveredAfterFault,
    ...checkDatabase(dataDir),
    storedAfterFault: storedStates(dataDir, ids),
  };
}

/**
 * The service started on a data folder whose file system is read-only (as after a disk error,
 * when the kernel remounts it read-only). Linux refuses to remount a file system read-only
 * while a process has a file open on it for writing, so the fault is met at start, the only
 * moment it can meet a running service. Made writable again, everything must go on.
 */
export async function readOnlyDataFolder(diskDir: string): Promise<FaultObservation> {
  const dataDir = join(diskDir, 'data');
  mkdirSync(dataDir);
  await prepare(dataDir);
  const seen: string[] = [];
  remount(diskDir, 'ro');
  const start = await tryStart(dataDir);
  seen.push('service' in start ? 'started read-only' : `refused to start: ${start.exitError}`);
  let serviceSurvived = false;
  if ('service' in start) {
    const submitted = await start.service.client.request('submit', { paths: [SIMPLE_PNG] });
    seen.push(`submit while read-only: ${describe(submitted)}`);
    serviceSurvived = start.service.child.exitCode === null;
    await start.service.stop();
  }
  remount(diskDir, 'rw');
  const live = await startServiceProcess(dataDir);
  const recoveredAfterFault = await readsAfterFault(live);
  await live.stop();
  return {
    scenario: 'read-only data folder',
    duringFault: seen,
    serviceSurvived,
    recoveredAfterFault,
    ...checkDatabase(dataDir),
  };
}
