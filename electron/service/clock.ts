/**
 * Time as the service sees it. Backoff delays, queue timeouts and idle unloads all go through
 * a Clock so that tests can drive them with a manual one instead of waiting.
 */
import { MAX_TIMER_MS } from '../../shared/schemas';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` after `delayMs`; the returned function cancels it. */
  setTimer(delayMs: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    // A computed delay (a long backoff) above Node's limit would fire after 1 ms, again and
    // again; fired at the limit instead, the scheduler finds nothing due and sets the next one.
    const handle = setTimeout(callback, Math.min(MAX_TIMER_MS, Math.max(0, delayMs)));
    // A pending backoff or unload must not keep a finished process alive.
    handle.unref();
    return () => clearTimeout(handle);
  },
};

interface PendingTimer {
  dueMs: number;
  seq: number;
  callback: () => void;
}

/** A clock that moves only when told to; timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private timers = new Set<PendingTimer>();
  private seq = 0;

  constructor(private nowMs = 1_700_000_000_000) {}

  now(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, callback: () => void): () => void {
    const timer = { dueMs: this.nowMs + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Pending timer delays from now, in ms, soonest first. */
  pendingDelaysMs(): number[] {
    return [...this.timers].map((t) => t.dueMs - this.nowMs).sort((a, b) => a - b);
  }

  advance(deltaMs: number): void {
    const target = this.nowMs + deltaMs;
    for (;;) {
      const due = [...this.timers]
        .filter((t) => t.dueMs <= target)
        .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.delete(due);
      this.nowMs = Math.max(this.nowMs, due.dueMs);
      due.callback();
    }
    this.nowMs = target;
  }
}
