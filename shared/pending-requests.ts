/**
 * The requests a client of the service's wire protocol has sent and not yet had answered, by
 * id. The Electron host, the transport client and the browser's WebSocket client share it.
 * Answers are values, never rejections: when the connection goes, every open request is
 * answered with an error. No Node or browser API, so both sides can use it.
 */
import type { Result } from './contract';
import type { ErrorInfo } from './errors';

type Answer = (result: Result<unknown>) => void;

export class PendingRequests {
  private nextId = 1;
  private readonly answers = new Map<number, Answer>();

  /**
   * Opens a request under a fresh id and calls `send` with that id; the promise resolves with
   * the response `settle` is given for it, or with the error `failAll` is given. A throw from
   * `send` rejects the promise, as a throw in a promise executor does.
   */
  open<T>(send: (id: number) => void): Promise<Result<T>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.answers.set(id, resolve as Answer);
      send(id);
    });
  }

  /** Delivers the response to request `id`; one for an unknown or answered id is dropped. */
  settle(id: number, result: Result<unknown>): void {
    const answer = this.answers.get(id);
    this.answers.delete(id);
    answer?.(result);
  }

  /** Answers every open request with `error`, in the order they were opened. */
  failAll(error: ErrorInfo): void {
    const answers = [...this.answers.values()];
    this.answers.clear();
    for (const answer of answers) answer({ ok: false, error });
  }
}
