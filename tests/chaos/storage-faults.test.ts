/**
 * Storage faults under the real service: the database locked by another process, the disk
 * full while tasks run, a read-only data folder. Each gives a clear error with a storage code
 * (or, read-only at start, its own exit status), the service stays up where it can, the
 * database stays intact, and once the fault is lifted files are read again. The disk cases
 * need to mount a tmpfs (root in CI) and are skipped where that is not allowed.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempDataDir } from '../electron/service/helpers/corpus';
import {
  databaseLocked,
  diskFull,
  mountTinyDisk,
  readOnlyDataFolder,
  unmount,
  type FaultObservation,
} from './storage-faults';

function assertIntactAndRecovered(seen: FaultObservation) {
  assert.equal(seen.integrityCheck, 'ok');
  assert.equal(seen.foreignKeyProblems, 0);
  assert.equal(seen.duplicatePageRows, 0);
  assert.equal(seen.recoveredAfterFault, true, 'files are read again once the fault is gone');
}

async function onTinyDisk(
  sizeKb: number,
  run: (dir: string) => Promise<void>,
  skip: (why: string) => void,
) {
  const dir = mountTinyDisk(sizeKb);
  if (!dir) return skip('this process may not mount a tmpfs');
  try {
    await run(dir);
  } finally {
    unmount(dir);
  }
}

describe('storage faults', () => {
  it('database locked by another process: the service stays up and says so', async () => {
    const dataDir = tempDataDir('ocr-desk-locked-');
    try {
      const seen = await databaseLocked(dataDir);
      assert.equal(seen.serviceSurvived, true, seen.duringFault.join('\n'));
      assert.match(seen.duringFault.join('\n'), /submit while locked: \w+: .*locked/);
      assertIntactAndRecovered(seen);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('disk full while tasks run: the service stays up and the tasks end with a reason', async (t) => {
    await onTinyDisk(
      3072,
      async (dir) => {
        const seen = await diskFull(dir);
        const what = seen.duringFault.join('\n');
        assert.match(what, /submit on a full disk: storage_full: The disk .* is full/);
        assert.equal(seen.serviceSurvived, true, what);
        assert.doesNotMatch(what, /Timed out/, 'the queued tasks end');
        const ended = seen.duringFault.filter((line) => line.startsWith('task on a full disk'));
        assert.equal(ended.length, 5, what);
        for (const line of ended) assert.match(line, /: failed storage_full The disk .* is full/);
        // What the full disk refused was written once space was back.
        assert.deepEqual(seen.storedAfterFault, Array(5).fill('failed storage_full'));
        assertIntactAndRecovered(seen);
      },
      (why) => t.skip(why),
    );
  });

  it('read-only data folder: the service refuses to start with the reason, then recovers', async (t) => {
    await onTinyDisk(
      8192,
      async (dir) => {
        const seen = await readOnlyDataFolder(dir);
        const what = seen.duringFault.join('\n');
        // 73, not 75: nothing holds the folder, and waiting will not make it writable.
        assert.match(
          what,
          /refused to start: Error: The service exited with 73 before it was ready/,
        );
        assert.match(what, /EROFS: read-only file system/);
        assertIntactAndRecovered(seen);
      },
      (why) => t.skip(why),
    );
  });
});
