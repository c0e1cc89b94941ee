/**
 * Crash chaos and storage faults against the real service: a batch of small pages with the
 * service killed (SIGKILL) at random moments, then the database locked by another process,
 * the disk full and a read-only data folder. Prints what was seen; exits 1 when a task ended
 * other than once, a result was stored twice, the database is damaged, or a fault was not
 * survived as it should be.
 *
 * Usage: npm run chaos -- [--tasks N (default 100)] [--kills N (default 20)] [--seed S]
 */
import { rmSync } from 'node:fs';
import { tempDataDir } from '../tests/electron/service/helpers/corpus';
import { runCrashChaos } from '../tests/chaos/crash-chaos';
import {
  databaseLocked,
  diskFull,
  mountTinyDisk,
  readOnlyDataFolder,
  unmount,
  type FaultObservation,
} from '../tests/chaos/storage-faults';
import { integerArgument } from './integer-argument';

const out = (line: string) => process.stdout.write(`${line}\n`);
const taskCount = integerArgument('--tasks', 100);
const killCount = integerArgument('--kills', 20);
const seed = integerArgument('--seed', Date.now() % 1_000_000);
let failures = 0;

out(`Crash chaos: ${taskCount} tasks, ${killCount} kills (SIGKILL), seed ${seed}`);
const dataDir = tempDataDir('ocr-desk-chaos-');
try {
  const r = await runCrashChaos({
    dataDir,
    taskCount,
    killCount,
    seed,
    maxLifeMs: 5_000,
    finishTimeoutMs: 30 * 60_000,
    log: out,
  });
  out(
    `  ${r.kills} kills, ${r.killsMidTask} while a task was running; ${(r.elapsedMs / 1000).toFixed(0)} s`,
  );
  out(`  final statuses: ${JSON.stringify(r.statuses)}; 'recovered' events: ${r.recoveredEvents}`);
  out(`  tasks without exactly one final event: ${r.finalEventProblems.length}`);
  out(`  failed for another reason than repeated crashes: ${r.unexpectedFailures.length}`);
  out(
    `  page rows ${r.pageRows} for ${r.completedPages} completed pages; duplicates ${r.duplicatePageRows}; orphan lines ${r.orphanLines}`,
  );
  out(
    `  integrity_check: ${r.integrityCheck}; foreign key problems: ${r.foreignKeyProblems}; stray files: ${r.strayFiles.length}`,
  );
  const bad =
    r.finalEventProblems.length +
    r.unexpectedFailures.length +
    r.duplicatePageRows +
    r.orphanLines +
    r.foreignKeyProblems +
    r.strayFiles.length +
    (r.integrityCheck === 'ok' ? 0 : 1) +
    (r.pageRows === r.completedPages ? 0 : 1);
  failures += bad;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

function show(seen: FaultObservation, expectSurvive: boolean) {
  out(`Storage fault: ${seen.scenario}`);
  for (const line of seen.duringFault) out(`  ${line.split('\n')[0].slice(0, 300)}`);
  out(
    `  service survived: ${seen.serviceSurvived}; reads again after the fault: ${seen.recoveredAfterFault}`,
  );
  out(
    `  integrity_check: ${seen.integrityCheck}; foreign key problems: ${seen.foreignKeyProblems}; duplicate pages: ${seen.duplicatePageRows}`,
  );
  const ok =
    seen.recoveredAfterFault &&
    seen.integrityCheck === 'ok' &&
    seen.foreignKeyProblems === 0 &&
    seen.duplicatePageRows === 0 &&
    (!expectSurvive || seen.serviceSurvived);
  if (!ok) failures += 1;
}

const lockedDir = tempDataDir('ocr-desk-locked-');
try {
  show(await databaseLocked(lockedDir), true);
} finally {
  rmSync(lockedDir, { recursive: true, force: true });
}
for (const [sizeKb, scenario, expectSurvive] of [
  [3072, diskFull, true],
  [8192, readOnlyDataFolder, false],
] as const) {
  const disk = mountTinyDisk(sizeKb);
  if (!disk) {
    out(`Storage fault skipped (${scenario.name}): this process may not mount a tmpfs`);
    continue;
  }
  try {
    show(await scenario(disk), expectSurvive);
  } finally {
    unmount(disk);
  }
}
out(failures === 0 ? 'Chaos: all checks passed.' : `Chaos: ${failures} check(s) FAILED.`);
process.exit(failures === 0 ? 0 : 1);
