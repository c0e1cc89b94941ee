/**
 * Newline-delimited JSON over a stream socket (a Unix socket or Windows named pipe in the
 * data folder), so that a CLI can reach a service that is already running.
 */
import type { Socket } from 'node:net';
import { CloseEvent, Listeners, type MessageTransport } from './message-transport';

/** A message larger than this, in bytes, closes the connection rather than filling memory. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function socketTransport(socket: Socket): MessageTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new CloseEvent();
  let buffered = '';

  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_MESSAGE_BYTES) {
      socket.destroy();
      return;
    }
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) {
        try {
          messages.emit(JSON.parse(line));
        } catch {
          // Not JSON: the schema check at the receiver would refuse it anyway.
        }
      }
      newline = buffered.indexOf('\n');
    }
  });
  socket.on('close', () => closes.emit());
  socket.on('error', () => socket.destroy());

  return {
    send(message) {
      if (!closes.closed && socket.writable) socket.write(JSON.stringify(message) + '\n');
    },
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close() {
      socket.end();
      closes.emit();
    },
  };
}
