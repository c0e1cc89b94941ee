/**
 * The one thing the service and its clients need of a channel between processes: send a
 * message, hear messages, learn that the other side is gone. Adapters in this folder fit
 * Electron's parentPort, Node's child-process IPC, worker ports, sockets and an in-memory pair.
 */
import type { WireMessage } from '../../../shared/contract';

export interface MessageTransport {
  send(message: WireMessage): void;
  /** Messages as they arrive, not yet validated. */
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the other side is gone; at once when it already is. */
  onClose(listener: () => void): void;
  close(): void;
}

/** Calls every listener, so one bad listener does not silence the rest. */
export class Listeners<T extends unknown[]> {
  private readonly list: ((...args: T) => void)[] = [];

  add(listener: (...args: T) => void): void {
    this.list.push(listener);
  }

  emit(...args: T): void {
    for (const listener of [...this.list]) {
      try {
        listener(...args);
      } catch {
        // A listener's own failure is its business; the transport keeps delivering.
      }
    }
  }
}

/**
 * A channel's close: it happens once, and a listener added afterwards is still called (a host
 * can go while the service behind it is starting, before it listens for the close).
 */
export class CloseEvent {
  private readonly listeners = new Listeners<[]>();
  private happened = false;

  get closed(): boolean {
    return this.happened;
  }

  add(listener: () => void): void {
    if (!this.happened) return this.listeners.add(listener);
    const late = new Listeners<[]>();
    late.add(listener);
    queueMicrotask(() => late.emit());
  }

  emit(): void {
    if (this.happened) return;
    this.happened = true;
    this.listeners.emit();
  }
}
