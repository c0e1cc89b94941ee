// A Node WebSocket client of browser mode, to ask the service directly what the page shows.
import WebSocket from 'ws';
import type { Channel, RequestOf, ResponseOf, Result, WireMessage } from '../../../shared/contract';

export interface TestSocket {
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** Sends raw text and waits for the response it causes. */
  sendRaw(text: string): Promise<WireMessage>;
  close(): void;
}

export async function connectSocket(
  port: number,
  token: string,
  origin = `http://127.0.0.1:${port}`,
): Promise<TestSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`, {
    origin,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let nextId = 1;
  const waiting = new Map<number, (message: WireMessage) => void>();
  const untagged: ((message: WireMessage) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as WireMessage;
    if (message.type !== 'response') return;
    const resolve = message.id >= 0 ? waiting.get(message.id) : untagged.shift();
    waiting.delete(message.id);
    resolve?.(message);
  });
  return {
    async request(channel, payload) {
      const id = nextId++;
      const reply = new Promise<WireMessage>((resolve) => waiting.set(id, resolve));
      socket.send(JSON.stringify({ type: 'request', id, channel, payload }));
      const message = await reply;
      return (message as Extract<WireMessage, { type: 'response' }>).result as never;
    },
    sendRaw(text) {
      const parsed = (() => {
        try {
          return JSON.parse(text) as { id?: unknown };
        } catch {
          return null;
        }
      })();
      const id =
        typeof parsed?.id === 'number' && Number.isSafeInteger(parsed.id) && parsed.id >= 0
          ? parsed.id
          : -1;
      const reply = new Promise<WireMessage>((resolve) =>
        id >= 0 ? waiting.set(id, resolve) : untagged.push(resolve),
      );
      socket.send(text);
      return reply;
    },
    close: () => socket.close(),
  };
}
