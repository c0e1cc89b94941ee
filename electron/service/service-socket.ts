/**
 * The socket in the data folder through which other clients (a CLI batch) reach a service that
 * is already running. Every program that holds the service lock listens on it: the service
 * process of the app and of the CLI, and browser mode.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { serviceSocketPath } from './data-dir';
import type { Logger } from './logger';
import type { OcrService } from './service';
import { socketTransport } from './transport/socket-transport';

/**
 * Serves every client that connects to the data folder's socket, until the returned server is
 * closed; null (logged) when the socket cannot be opened, and the service then runs alone.
 * Call it only while holding the service lock: a socket file left by a crashed service is
 * removed first.
 */
export function listenForSocketClients(
  dataDir: string,
  service: Pick<OcrService, 'attach'>,
  log: Logger,
): Promise<Server | null> {
  const socketPath = serviceSocketPath(dataDir);
  if (process.platform !== 'win32') rmSync(socketPath, { force: true });
  return new Promise((resolve) => {
    const server = createServer((socket) => service.attach(socketTransport(socket)));
    server.once('error', (error) => {
      log.warn('Not listening for other clients; the socket could not be opened', {
        socketPath,
        error: error.message,
      });
      resolve(null);
    });
    server.listen(socketPath, () => resolve(server));
  });
}
