/**
 * `npm run serve`: the service in this process (on Linux, a child of it with the engine's
 * allocator settings) and the renderer in a browser, on 127.0.0.1.
 * The first line on stdout is the URL with the access token; logs go to stderr and the data
 * folder.
 *
 * Usage: tsx electron/service/server/serve.ts [--port N] [--data-dir DIR]
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceClient } from '../../../shared/contract';
import { rerunWithEngineAllocator, stopWithParent } from '../allocator-env';
import { resolveDataDir } from '../data-dir';
import { createLogger } from '../logger';
import { startService, type OcrService } from '../service';
import { createFolderSync, PRIVATE_FOLDER_MODE } from '../folders';
import { describeStartupExit, startupExitStatus } from '../service-exit';
import { acquireServiceLock, type PidLock } from '../service-lock';
import { listenForSocketClients } from '../service-socket';
import { startBrowserServer } from './browser-server';
import { parseServeArguments, type ServeArguments } from './serve-arguments';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function main(): Promise<void> {
  // The engine runs in this process: it needs the allocator settings the service child of
  // the app and the CLI get, or its memory runs above the service's own estimates.
  if (rerunWithEngineAllocator()) return;
  let args: ServeArguments;
  try {
    args = parseServeArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const rendererDir = join(repoRoot, 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(
      'The renderer is not built: run `node scripts/build.mjs renderer` first.\n',
    );
    process.exit(1);
  }

  const dataDir = resolveDataDir(args.dataDir);
  const log = createLogger({ component: 'serve', filePath: join(dataDir, 'logs', 'serve.log') });
  let lock: PidLock;
  let service: OcrService;
  try {
    createFolderSync(join(dataDir, 'logs'), PRIVATE_FOLDER_MODE);
    lock = acquireServiceLock(dataDir);
    service = await startService({ dataDir });
  } catch (error) {
    const status = startupExitStatus(error);
    const detail = error instanceof Error ? error.message : String(error);
    const described = describeStartupExit(status, dataDir);
    process.stderr.write(
      `serve failed: ${described ? `${described.message} (${detail})` : detail}\n`,
    );
    process.exit(status);
  }
  const client: ServiceClient = {
    request: (channel, payload) => service.handle(channel, payload) as never,
    subscribe: (listener) => service.subscribe(listener),
  };
  const server = await startBrowserServer({ client, rendererDir, dataDir, port: args.port, log });
  // A CLI batch on the same data folder joins this service through its socket, and its tasks
  // show in the page, rather than waiting for the lock we hold.
  const socketServer = await listenForSocketClients(dataDir, service, log);
  process.stdout.write(`${server.url}\n`);
  log.info('serving', { port: server.port, dataDir });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    socketServer?.close();
    await server.close();
    await service.close();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  stopWithParent(() => void stop('parent gone'));
}

void main().catch((error: unknown) => {
  process.stderr.write(`serve failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
