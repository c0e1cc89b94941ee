/**
 * Hosts the service in an Electron utility process and restarts it when it dies. Requests wait
 * while it starts; those in flight when it dies are answered with an error value (the service
 * recovers their tasks from its database on the next start). A service that cannot start for a
 * reason a restart does not fix (a data folder it cannot write, an invalid configuration) is
 * not restarted: every request is answered with that reason, and `onStartFailure` is told.
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
import type { ErrorInfo } from '../../shared/errors';
import { PendingRequests } from '../../shared/pending-requests';
import { parseWireMessage } from '../../shared/schemas';
import type { Logger } from '../service/logger';
import { describeStartupExit, restartCanHelp } from '../service/service-exit';

const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A service that stayed up this long is considered healthy again. */
const HEALTHY_AFTER_MS = 60_000;

/** The part of Electron's UtilityProcess the host uses; tests pass a Node child process. */
export interface ServiceProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type ForkService = (
  entryPath: string,
  args: string[],
  env: Record<string, string>,
) => ServiceProcess;

export interface ServiceHostOptions {
  entryPath: string;
  args: string[];
  env: Record<string, string>;
  /** The service's data folder, named in start-failure messages. */
  dataDir: string;
  log: Logger;
  /** utilityProcess.fork in the app. */
  fork: ForkService;
  /** Told once when the service cannot start and will not be restarted. */
  onStartFailure?: (failure: ErrorInfo) => void;
}

export class ServiceHost implements ServiceClient {
  private child: ServiceProcess | null = null;
  private ready = false;
  private stopping = false;
  private restartDelayMs = RESTART_MIN_MS;
  private startedAtMs = 0;
  /** Why the service cannot start, once a restart cannot help; requests are answered with it. */
  private startFailure: ErrorInfo | null = null;
  private readonly pending = new PendingRequests();
  private readonly waiting: WireMessage[] = [];
  private readonly listeners = new Set<(event: ServiceEvent) => void>();

  constructor(private readonly options: ServiceHostOptions) {}

  start(): void {
    const { log } = this.options;
    this.startedAtMs = Date.now();
    const child = this.options.fork(this.options.entryPath, this.options.args, this.options.env);
    this.child = child;
    child.on('message', (data: unknown) => this.receive(data));
    child.on('exit', (code: number) => this.onExit(code));
    log.info('service starting', { entry: this.options.entryPath });
  }

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }

  /** Whether the service has said it is ready since it last started. */
  get isReady(): boolean {
    return this.ready;
  }

  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    if (this.startFailure)
      return Promise.resolve({ ok: false, error: this.startFailure } as Result<ResponseOf<C>>);
    return this.pending.open((id) => this.send({ type: 'request', id, channel, payload }));
  }

  subscribe(listener: (event: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private send(message: WireMessage): void {
    if (this.ready && this.child) this.child.postMessage(message);
    else this.waiting.push(message);
  }

  private receive(data: unknown): void {
    const parsed = parseWireMessage(data);
    if (!parsed.ok) {
      this.options.log.warn('malformed message from the service', { reason: parsed.message });
      return;
    }
    const message = parsed.value;
    if (message.type === 'ready') {
      this.ready = true;
      this.options.log.info('service ready', { servicePid: message.pid, dataDir: message.dataDir });
      for (const waiting of this.waiting.splice(0)) this.child?.postMessage(waiting);
    } else if (message.type === 'response') {
      this.pending.settle(message.id, message.result);
    } else if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.event);
    }
  }

  private onExit(code: number): void {
    const { log } = this.options;
    // The service's exit statuses name a cause only before it has said it is ready.
    const startFailure = this.ready ? null : describeStartupExit(code, this.options.dataDir);
    this.ready = false;
    this.child = null;
    const error = startFailure ?? {
      code: 'internal',
      message: 'The service stopped; it is being restarted.',
    };
    this.pending.failAll(error);
    if (this.stopping) return;

    if (startFailure && !restartCanHelp(code)) {
      this.startFailure = startFailure;
      this.waiting.length = 0;
      log.error('service cannot start; not restarting', { code, reason: startFailure.message });
      this.options.onStartFailure?.(startFailure);
      return;
    }
    if (Date.now() - this.startedAtMs > HEALTHY_AFTER_MS) this.restartDelayMs = RESTART_MIN_MS;
    log.error('service exited; restarting', {
      code,
      reason: startFailure?.message,
      delayMs: this.restartDelayMs,
    });
    setTimeout(() => this.start(), this.restartDelayMs);
    this.restartDelayMs = Math.min(RESTART_MAX_MS, this.restartDelayMs * 2);
  }
}
