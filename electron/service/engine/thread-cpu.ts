import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ), the unit of a thread's CPU time in /proc. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time the calling thread has used, in ms, or null where the system does not tell (off
 * Linux). Node 20 has no per-thread CPU clock; a worker's wall-clock time overstates its work
 * when the machine is busy, so the engine reports this alongside. Resolution: 10 ms.
 */
export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
