/**
 * The service client over browser mode's WebSocket. Requests never reject: a lost connection
 * answers the pending ones with an error value, and the socket reconnects with backoff.
 */
import type {
  Channel,
  RequestOf,
  ResponseOf,
  Result,
  ServiceClient,
  ServiceEvent,
  WireMessage,
} from '../../shared/contract';
import { PendingRequests } from '../../shared/pending-requests';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

export interface ConnectionListener {
  (state: 'open' | 'closed'): void;
}

export class WebSocketServiceClient implements ServiceClient {
  private socket: WebSocket | null = null;
  private readonly pending = new PendingRequests();
  private readonly queued: string[] = [];
  private readonly listeners = new Set<(event: ServiceEvent) => void>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private reconnectDelayMs = RECONNECT_MIN_MS;

  constructor(private readonly url: string) {
    this.connect();
  }

  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    return this.pending.open((id) => {
      const message: WireMessage = { type: 'request', id, channel, payload };
      const text = JSON.stringify(message);
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
      else this.queued.push(text);
    });
  }

  subscribe(listener: (event: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.reconnectDelayMs = RECONNECT_MIN_MS;
      for (const text of this.queued.splice(0)) socket.send(text);
      for (const listener of this.connectionListeners) listener('open');
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = () => {
      this.pending.failAll({ code: 'internal', message: 'Connection to the service lost.' });
      for (const listener of this.connectionListeners) listener('closed');
      setTimeout(() => this.connect(), this.reconnectDelayMs);
      this.reconnectDelayMs = Math.min(RECONNECT_MAX_MS, this.reconnectDelayMs * 2);
    };
  }

  private receive(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (message.type === 'response') {
      this.pending.settle(message.id, message.result);
      return;
    }
    if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.event);
    }
  }
}
