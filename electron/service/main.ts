/**
 * The service process's entry. Started by Electron main as a utility process (talks over
 * `process.parentPort`), by the CLI or tests as a child process (talks over `process.send`),
 * or on its own; in every case it also listens on a socket in the data folder so that a CLI
 * can find a service that is already running.
 *
 * Usage: node --import tsx electron/service/main.ts [--data-dir DIR]
 */
import type { Server } from 'node:net';
import { resolveDataDir } from './data-dir';
import { createLogger } from './logger';
import { startService } from './service';
import { startupExitStatus } from './service-exit';
import { createFolderSync, PRIVATE_FOLDER_MODE } from './folders';
import { acquireServiceLock } from './service-lock';
import { listenForSocketClients } from './service-socket';
import {
  childProcessTransport,
  parentPortTransport,
  type ParentPortLike,
} from './transport/adapters';
import type { MessageTransport } from './transport/message-transport';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

function hostTransport(): MessageTransport | null {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) return parentPortTransport(parentPort);
  if (typeof process.send === 'function') return childProcessTransport(process);
  return null;
}

/** How often a service whose host has gone checks for clients still connected, in ms. */
const UNUSED_CHECK_MS = 500;

async function stopWhenUnused(server: Server | null, stop: () => Promise<void>): Promise<void> {
  const connections = () =>
    new Promise<number>((resolve) => {
      if (!server) resolve(0);
      else server.getConnections((error, count) => resolve(error ? 0 : count));
    });
  while ((await connections()) > 0) {
    await new Promise((resolve) => setTimeout(resolve, UNUSED_CHECK_MS));
  }
  await stop();
}

async function main(): Promise<void> {
  // Log lines go to stderr, a pipe owned by the host. When the host quits at once (a CLI's
  // second Ctrl-C) while another client still uses this service, writes fail with EPIPE:
  // losing log lines must not stop the service.
  process.stderr.on('error', () => undefined);
  const dataDir = resolveDataDir(argument('--data-dir'));
  const logger = createLogger({ component: 'service-main' });
  const host = hostTransport();

  let lock;
  try {
    createFolderSync(dataDir, PRIVATE_FOLDER_MODE);
    lock = acquireServiceLock(dataDir);
  } catch (error) {
    // The status tells the host why: locked by another service, or a folder it cannot write.
    logger.error('Cannot start the service', { error });
    process.exit(startupExitStatus(error));
  }

  let service;
  try {
    service = await startService({ dataDir });
  } catch (error) {
    lock.release();
    logger.error('Cannot start the service', { error });
    process.exit(startupExitStatus(error));
  }

  const server = await listenForSocketClients(dataDir, service, logger);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Stopping', { reason });
    server?.close();
    await service.close();
    lock.release();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (host) {
    service.attach(host);
    // A CLI that started this service may finish while another CLI, joined through the socket,
    // still has documents here: stop only when no one is connected.
    host.onClose(() => void stopWhenUnused(server, () => stop('host disconnected')));
    host.send({ type: 'ready', pid: process.pid, dataDir });
  }
}

void main();
