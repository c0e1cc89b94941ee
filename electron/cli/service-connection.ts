/**
 * The CLI's way to a service on its data folder: the running one, through its socket, when
 * there is one; otherwise its own child process, restarted if it dies mid-batch.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ErrorInfo } from '../../shared/errors';
import { withEngineAllocator } from '../service/allocator-env';
import { serviceSocketPath } from '../service/data-dir';
import { describeStartupExit, SERVICE_EXIT } from '../service/service-exit';
import { lockOwner } from '../service/service-lock';
import { childProcessTransport } from '../service/transport/adapters';
import { TransportClient } from '../service/transport/rpc';
import { socketTransport } from '../service/transport/socket-transport';

const SERVICE_MAIN = fileURLToPath(new URL('../service/main.ts', import.meta.url));
/** The service needs a few seconds to open its database and find devices. */
const START_TIMEOUT_MS = 60_000;

export interface ServiceConnection {
  client: TransportClient;
  /** Our own child process, or null when we joined a running service. */
  child: ChildProcess | null;
  /**
   * Lets go of the service. Our own child stops once no other client (another CLI that joined
   * it) is connected; `onWait` is called when that takes a while.
   */
  close(onWait?: (message: string) => void): Promise<void>;
}

/** How often a CLI that lost the race to start the service tries to join the winner, in ms. */
const JOIN_RETRY_MS = 300;
/** How long a closing CLI waits for its service child before saying why, in ms. */
const LINGER_NOTICE_MS = 2_000;

/** Our service child stopped before it was ready: its exit status and what it means. */
export class ServiceStartError extends Error {
  constructor(
    readonly status: number | null,
    readonly info: ErrorInfo,
  ) {
    super(info.message);
    this.name = 'ServiceStartError';
  }
}

export async function connectToService(dataDir: string): Promise<ServiceConnection> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (lockOwner(dataDir) !== null) {
      const joined = await joinRunningService(dataDir);
      if (joined) return joined;
    }
    try {
      return await startChildService(dataDir);
    } catch (error) {
      // Another program started a service on the folder a moment before ours: join that one
      // once it listens, rather than report it as a failure.
      const raced =
        error instanceof ServiceStartError && error.status === SERVICE_EXIT.dataFolderLocked;
      if (!raced || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, JOIN_RETRY_MS));
    }
  }
}

function joinRunningService(dataDir: string): Promise<ServiceConnection | null> {
  return new Promise((resolve) => {
    const socket = connect(serviceSocketPath(dataDir));
    socket.once('error', () => resolve(null));
    socket.once('connect', () => {
      const client = new TransportClient(socketTransport(socket));
      resolve({
        client,
        child: null,
        close: async () => client.close(),
      });
    });
  });
}

async function startChildService(dataDir: string): Promise<ServiceConnection> {
  const child = fork(SERVICE_MAIN, ['--data-dir', dataDir], {
    // An absolute loader path, so the child starts whatever the working directory is.
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: withEngineAllocator(),
    // Its own process group, so that Ctrl-C in the terminal reaches the CLI alone, which then
    // cancels its tasks through the service before letting it go. (On Windows a detached child
    // would open a console window of its own.)
    detached: process.platform !== 'win32',
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const client = new TransportClient(childProcessTransport(child));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The OCR service did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    client.waitReady().then(() => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const known = describeStartupExit(code, dataDir);
      const detail = lastError(stderr);
      const info: ErrorInfo = known
        ? { code: known.code, message: `${known.message} (${detail})` }
        : {
            code: 'internal',
            message: `The OCR service stopped as it started (exit ${code}): ${detail}`,
          };
      reject(new ServiceStartError(code, info));
    });
  });

  return {
    client,
    child,
    async close(onWait) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const notice = setTimeout(
        () => onWait?.('Waiting for the other programs using this OCR service to finish'),
        LINGER_NOTICE_MS,
      );
      // Closing the IPC channel tells the service its host has gone (see service/main.ts).
      client.close();
      await exited;
      clearTimeout(notice);
    },
  };
}

/** The message of the service's last error log line, for a readable start failure. */
function lastError(stderr: string): string {
  const lines = stderr.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      const record = JSON.parse(line) as {
        level?: string;
        message?: string;
        error?: { message?: string };
      };
      if (record.level === 'error')
        return `${record.message}: ${record.error?.message ?? ''}`.trim();
    } catch {
      // Not a log line.
    }
  }
  return lines[0] ?? 'no output';
}
