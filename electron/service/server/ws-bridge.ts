/**
 * Carries the contract over one browser-mode WebSocket: requests pass the same gate as in
 * Electron main, responses and pushed events go back as wire messages. A malformed message gets
 * an error response, never a crash or a closed socket.
 */
import type { WebSocket } from 'ws';
import type { Result, ServiceClient, ServiceEvent, WireMessage } from '../../../shared/contract';
import type { Logger } from '../logger';
import type { GrantedPaths } from './granted-paths';
import { gateRequest } from './request-gate';

/** Above this many buffered bytes a slow page skips metrics samples rather than piling them up. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

function invalid(message: string): Result<never> {
  return { ok: false, error: { code: 'invalid_request', message } };
}

/** Handles one raw message; exported for tests that need no socket. */
export async function handleWireText(
  text: string,
  client: ServiceClient,
  grants: GrantedPaths,
): Promise<WireMessage> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { type: 'response', id: -1, result: invalid('The message is not JSON.') };
  }
  const envelope = message as {
    type?: unknown;
    id?: unknown;
    channel?: unknown;
    payload?: unknown;
  };
  const id =
    typeof envelope?.id === 'number' && Number.isSafeInteger(envelope.id) ? envelope.id : -1;
  if (typeof message !== 'object' || message === null || envelope.type !== 'request' || id < 0) {
    return {
      type: 'response',
      id,
      result: invalid('Expected { type: "request", id, channel, payload }.'),
    };
  }

  const gated = gateRequest(envelope.channel, envelope.payload, grants);
  if (!gated.ok) return { type: 'response', id, result: gated };
  const result = await client.request(gated.channel, gated.payload);
  return { type: 'response', id, result };
}

export function bridgeSocket(
  socket: WebSocket,
  client: ServiceClient,
  grants: GrantedPaths,
  log: Logger,
): void {
  const send = (message: WireMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const unsubscribe = client.subscribe((event: ServiceEvent) => {
    if (event.kind === 'metrics' && socket.bufferedAmount > SLOW_CLIENT_BYTES) return;
    send({ type: 'event', event });
  });

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ type: 'response', id: -1, result: invalid('Binary messages are not accepted.') });
      return;
    }
    handleWireText(data.toString(), client, grants).then(send, (error: unknown) => {
      log.error('request handling failed', { error: String(error) });
      send({
        type: 'response',
        id: -1,
        result: { ok: false, error: { code: 'internal', message: 'Request failed.' } },
      });
    });
  });
  socket.on('close', unsubscribe);
  socket.on('error', (error) => log.warn('socket error', { error: error.message }));
}
