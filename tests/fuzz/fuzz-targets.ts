/**
 * Throws fuzzed messages at the two doors into the service: Electron main's IPC router (with
 * fake senders, since the Electron binary is not available) in front of a real service, and
 * the browser-mode WebSocket on 127.0.0.1. Records what got through, how fast every message
 * was answered, and anything that broke the contract.
 */
import { isAbsolute, relative } from 'node:path';
import WebSocket from 'ws';
import type {
  Channel,
  Result,
  ServiceClient,
  ServiceEvent,
  WireMessage,
} from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import { IpcRouter, type SenderInfo } from '../../electron/main/ipc-router';
import { GrantedPaths } from '../../electron/service/server/granted-paths';
import { MessageFuzzer } from './message-fuzzer';

/** A message not answered within this long counts as a hang. */
export const ANSWER_TIMEOUT_MS = 15_000;

export interface FuzzReport {
  target: string;
  sent: number;
  answered: number;
  accepted: number;
  refusedByCode: Record<string, number>;
  /** Contract breaks: throws, malformed answers, forbidden things that got through. */
  violations: string[];
  slowestMs: number;
  elapsedMs: number;
}

function newReport(target: string): FuzzReport {
  return {
    target,
    sent: 0,
    answered: 0,
    accepted: 0,
    refusedByCode: {},
    violations: [],
    slowestMs: 0,
    elapsedMs: 0,
  };
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Checks one answer against the contract and counts it. */
function tally(report: FuzzReport, result: unknown): void {
  report.answered += 1;
  const r = result as Result<unknown> | null;
  if (!r || typeof r !== 'object' || typeof r.ok !== 'boolean') {
    report.violations.push(`malformed answer: ${JSON.stringify(result).slice(0, 200)}`);
    return;
  }
  if (r.ok) {
    report.accepted += 1;
    return;
  }
  const { code, message } = r.error ?? {};
  if (!(code in ERROR_CODES) || typeof message !== 'string' || message.length === 0) {
    report.violations.push(`error without a code or message: ${JSON.stringify(r.error)}`);
  }
  report.refusedByCode[code] = (report.refusedByCode[code] ?? 0) + 1;
  if (code === 'internal') report.violations.push(`internal error: ${message}`);
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what}`)), ANSWER_TIMEOUT_MS);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Wraps the real service client and flags any submit or export that reaches it with a path
 * outside what the user chose: the router must have stopped it.
 */
function guardedClient(
  client: ServiceClient,
  allowedInputDir: string,
  allowedExportDir: string,
  report: FuzzReport,
): ServiceClient {
  return {
    subscribe: (listener: (event: ServiceEvent) => void) => client.subscribe(listener),
    request(channel, payload) {
      const p = payload as { paths?: string[]; destinationDir?: string };
      if (channel === 'submit') {
        for (const path of p.paths ?? []) {
          if (!inside(path, allowedInputDir)) report.violations.push(`submit reached: ${path}`);
        }
      }
      if (channel === 'export' && p.destinationDir !== allowedExportDir) {
        report.violations.push(`export reached: ${p.destinationDir}`);
      }
      return client.request(channel as Channel, payload as never);
    },
  };
}

export interface RouterFuzzOptions {
  count: number;
  seed: number;
  client: ServiceClient;
  /** The folder the user dropped; submits inside it are allowed. */
  inputDir: string;
  inputFiles: string[];
  exportDir: string;
  /** In flight at once, in messages. */
  concurrency?: number;
}

const ORIGIN = 'app://ocr-desk';
const OURS: SenderInfo = { webContentsId: 1, isMainFrame: true, url: `${ORIGIN}/index.html` };
const FOREIGN: SenderInfo[] = [
  { webContentsId: 2, isMainFrame: true, url: `${ORIGIN}/index.html` },
  { webContentsId: 1, isMainFrame: false, url: `${ORIGIN}/index.html` },
  { webContentsId: 1, isMainFrame: true, url: 'https://example.invalid/' },
  { webContentsId: 1, isMainFrame: true, url: 'app://ocr-desk.evil/' },
];

export async function fuzzIpcRouter(options: RouterFuzzOptions): Promise<FuzzReport> {
  const report = newReport('Electron main IPC router');
  const grants = new GrantedPaths();
  grants.grantInputs([options.inputDir]);
  grants.grantExportDir(options.exportDir);
  const client = guardedClient(options.client, options.inputDir, options.exportDir, report);
  const router = new IpcRouter(client, grants, () => ({ webContentsId: 1, origin: ORIGIN }), {
    warn: () => undefined,
  });
  const fuzzer = new MessageFuzzer(options.seed, options.inputFiles);
  const startedMs = Date.now();

  let next = 0;
  const worker = async () => {
    while (next < options.count) {
      const n = next++;
      const foreign = n % 10 === 9;
      const sender = foreign ? FOREIGN[n % FOREIGN.length] : OURS;
      const message = fuzzer.envelope();
      report.sent += 1;
      const t0 = Date.now();
      try {
        const result = await withTimeout(router.handle(sender, message), `router message ${n}`);
        report.slowestMs = Math.max(report.slowestMs, Date.now() - t0);
        tally(report, result);
        if (foreign && (result as Result<unknown>).ok) {
          report.violations.push(`a foreign sender was answered: ${JSON.stringify(sender)}`);
        }
      } catch (error) {
        const shown = JSON.stringify(message)?.slice(0, 300);
        report.violations.push(`router threw or hung: ${String(error)} on ${shown}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  report.elapsedMs = Date.now() - startedMs;
  return report;
}

export interface SocketFuzzOptions {
  count: number;
  seed: number;
  port: number;
  token: string;
  /** Uploaded files' paths, so some submits are valid. */
  grantedPaths: string[];
  concurrency?: number;
}

/** Opens a socket to browser mode and counts every response frame it receives. */
async function openSocket(port: number, token: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`, {
    origin: `http://127.0.0.1:${port}`,
    maxPayload: 64 * 1024 * 1024,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

export async function fuzzWebSocket(options: SocketFuzzOptions): Promise<FuzzReport> {
  const report = newReport('browser-mode WebSocket');
  const socket = await openSocket(options.port, options.token);
  const fuzzer = new MessageFuzzer(options.seed, options.grantedPaths);
  const startedMs = Date.now();
  let closed = false;
  socket.on('close', () => (closed = true));

  // Every text frame gets exactly one response; responses to frames without a usable id come
  // back with id -1, so answers are matched by count, in order of arrival.
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    let message: WireMessage;
    try {
      message = JSON.parse(data.toString()) as WireMessage;
    } catch {
      report.violations.push('a frame from the server is not JSON');
      return;
    }
    if (message.type !== 'response') return;
    tally(report, message.result);
    waiters.shift()?.();
  });

  const inFlight = options.concurrency ?? 16;
  for (let n = 0; n < options.count; n += inFlight) {
    const batch = Math.min(inFlight, options.count - n);
    const answered = Array.from({ length: batch }, () => new Promise<void>((r) => waiters.push(r)));
    const t0 = Date.now();
    for (let k = 0; k < batch; k++) {
      const binary = (n + k) % 500 === 499;
      if (binary) socket.send(Buffer.from([0, 1, 2, 255]));
      else socket.send(fuzzer.wireText(n + k));
      report.sent += 1;
    }
    try {
      await withTimeout(Promise.all(answered), `socket messages ${n}..${n + batch - 1}`);
    } catch (error) {
      report.violations.push(String(error));
      break;
    }
    report.slowestMs = Math.max(report.slowestMs, Date.now() - t0);
    if (closed) {
      report.violations.push(`the server closed the socket after message ${n + batch}`);
      break;
    }
  }
  report.elapsedMs = Date.now() - startedMs;
  socket.close();
  return report;
}

export function formatReport(report: FuzzReport): string {
  const codes = Object.entries(report.refusedByCode)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return [
    `${report.target}: ${report.sent} sent, ${report.answered} answered in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `  accepted ${report.accepted}; refused: ${codes}`,
    `  slowest answer ${report.slowestMs} ms; contract violations ${report.violations.length}`,
    ...report.violations.slice(0, 10).map((v) => `  ! ${v}`),
  ].join('\n');
}
