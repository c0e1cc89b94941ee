/**
 * Transport adapters. Each takes its endpoint typed by shape only, so that nothing here
 * imports Electron: Electron's utility-process `parentPort`, a child process (or `process`
 * itself inside the child), and a worker_threads MessagePort all fit.
 */
import type { WireMessage } from '../../../shared/contract';
import { CloseEvent, Listeners, type MessageTransport } from './message-transport';

/** Electron's `process.parentPort` in a utility process: messages arrive as `{ data }`. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export function parentPortTransport(port: ParentPortLike): MessageTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  port.on('message', (event) => messages.emit(event.data));
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => messages.add(listener),
    // The utility process ends with its parent; there is no close to hear.
    onClose: (listener) => closes.add(listener),
    close: () => closes.emit(),
  };
}

/** A ChildProcess from `fork`/`spawn` with an IPC channel, or `process` inside the child. */
export interface IpcEndpointLike {
  // Method syntax on purpose: ChildProcess and Process declare narrower parameter types.
  send?(message: unknown, callback: (error: Error | null) => void): boolean;
  on(event: 'message' | 'disconnect', listener: (message: unknown) => void): unknown;
  disconnect?: () => void;
  connected?: boolean;
}

export function childProcessTransport(endpoint: IpcEndpointLike): MessageTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new CloseEvent();
  endpoint.on('message', (message) => messages.emit(message));
  endpoint.on('disconnect', () => closes.emit());
  // A parent that died while this process was loading disconnected before anyone listened.
  if (endpoint.connected === false) closes.emit();
  return {
    send(message: WireMessage) {
      if (closes.closed || !endpoint.send || endpoint.connected === false) return;
      // A send racing the other side's exit fails with EPIPE; the close event follows.
      endpoint.send(message, () => undefined);
    },
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close() {
      if (endpoint.connected) endpoint.disconnect?.();
      closes.emit();
    },
  };
}

/** A worker_threads MessagePort (or `parentPort` inside a worker). */
export interface WorkerPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close?: () => void;
}

export function workerPortTransport(port: WorkerPortLike): MessageTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  port.on('message', (message) => messages.emit(message));
  port.on('close', () => closes.emit());
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close: () => (port.close ? port.close() : closes.emit()),
  };
}

/**
 * Two connected ends in one process. Messages are structured-cloned and delivered on a later
 * turn, as across a real process boundary, so nothing relies on shared objects.
 */
export function inMemoryTransportPair(): [MessageTransport, MessageTransport] {
  const make = () => ({
    messages: new Listeners<[unknown]>(),
    closes: new Listeners<[]>(),
    closed: false,
  });
  const a = make();
  const b = make();
  const end = (self: typeof a, other: typeof a): MessageTransport => ({
    send(message) {
      if (self.closed) return;
      const copy = structuredClone(message);
      setImmediate(() => {
        if (!other.closed) other.messages.emit(copy);
      });
    },
    onMessage: (listener) => self.messages.add(listener),
    onClose: (listener) => self.closes.add(listener),
    close() {
      for (const side of [self, other]) {
        if (side.closed) continue;
        side.closed = true;
        side.closes.emit();
      }
    },
  });
  return [end(a, b), end(b, a)];
}
