/**
 * The request/response and event protocol over any MessageTransport: `serveTransport` on the
 * service side, `TransportClient` (a ServiceClient) on the client side.
 */
import type {
  Channel,
  RequestOf,
  ResponseOf,
  Result,
  ServiceClient,
  ServiceEvent,
  Unsubscribe,
  WireMessage,
} from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import { PendingRequests } from '../../../shared/pending-requests';
import { parseWireMessage } from '../../../shared/schemas';
import type { MessageTransport } from './message-transport';

export interface ServedService {
  handle(channel: string, payload: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: ServiceEvent) => void): Unsubscribe;
}

/** Answers requests arriving on `transport` and forwards every service event to it. */
export function serveTransport(service: ServedService, transport: MessageTransport): Unsubscribe {
  const unsubscribe = service.subscribe((event) => transport.send({ type: 'event', event }));
  transport.onMessage(async (data) => {
    const parsed = parseWireMessage(data);
    if (!parsed.ok) {
      const id = (data as { id?: unknown } | null)?.id;
      if (typeof id === 'number') {
        transport.send({
          type: 'response',
          id,
          result: { ok: false, error: { code: 'invalid_request', message: parsed.message } },
        });
      }
      return;
    }
    const message = parsed.value;
    if (message.type !== 'request') return;
    const result = await service.handle(message.channel, message.payload);
    transport.send({ type: 'response', id: message.id, result });
  });
  transport.onClose(unsubscribe);
  return unsubscribe;
}

export class TransportClient implements ServiceClient {
  private readonly pending = new PendingRequests();
  private readonly listeners = new Set<(event: ServiceEvent) => void>();
  private readonly readyWaiters: ((ready: { pid: number; dataDir: string }) => void)[] = [];
  private closed = false;

  constructor(private readonly transport: MessageTransport) {
    transport.onMessage((data) => this.receive(data));
    transport.onClose(() => this.failPending());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    if (this.closed) return Promise.resolve(connectionLost());
    return this.pending.open((id) =>
      this.transport.send({ type: 'request', id, channel, payload } as WireMessage),
    );
  }

  subscribe(listener: (event: ServiceEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the service announces it accepts requests. */
  waitReady(): Promise<{ pid: number; dataDir: string }> {
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  onClose(listener: () => void): void {
    this.transport.onClose(listener);
  }

  close(): void {
    this.transport.close();
  }

  private receive(data: unknown): void {
    const parsed = parseWireMessage(data);
    if (!parsed.ok) return;
    const message = parsed.value;
    if (message.type === 'response') {
      this.pending.settle(message.id, message.result);
    } else if (message.type === 'event') {
      for (const listener of [...this.listeners]) listener(message.event);
    } else if (message.type === 'ready') {
      for (const resolve of this.readyWaiters.splice(0)) resolve(message);
    }
  }

  private failPending(): void {
    this.closed = true;
    this.pending.failAll(CONNECTION_LOST);
  }
}

const CONNECTION_LOST: ErrorInfo = {
  code: 'internal',
  message: 'The connection to the service was lost',
};

function connectionLost<T>(): Result<T> {
  return { ok: false, error: CONNECTION_LOST };
}
