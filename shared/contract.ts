/**
 * The contract between the service and its clients (Electron main and renderer, the CLI, the
 * browser-mode server, tests): request channels with their payloads and responses, events the
 * service pushes, the task record and the client interface. No Node, Electron or DOM imports.
 * Runtime validation of what crosses a process boundary lives in ./schemas.
 */
import type { DocumentFormat, ExportFormat, PageResult, PageWarningCode } from './domain';
import type { ErrorCode, ErrorInfo } from './errors';

// ---------------------------------------------------------------------------------------------
// Results

/** Every response: a value, or an error with a code from shared/errors. Never a bare throw. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

// ---------------------------------------------------------------------------------------------
// Devices

export type DeviceKind = 'cpu' | 'cuda' | 'dml' | 'coreml';

/** 'cpu', or a GPU as `<kind>:<index>` such as 'cuda:0'. */
export type DeviceId = string;

/** Memory of one device. Each figure is null when it cannot be read; none is ever guessed. */
export interface DeviceMemory {
  usedMb: number | null;
  /** The budget OCR Desk may use on the device (configured, or derived from the total). */
  limitMb: number | null;
  totalMb: number | null;
}

export interface DeviceInfo {
  id: DeviceId;
  kind: DeviceKind;
  /** Human name, e.g. 'CPU (2 cores)' or 'NVIDIA RTX 3060'. */
  label: string;
  available: boolean;
  /** Why the device cannot be used, when `available` is false. */
  unavailableReason: string | null;
}

// ---------------------------------------------------------------------------------------------
// Tasks

export const TASK_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses a task never leaves by itself (retry moves failed/cancelled back to queued). */
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

/** What the user may choose per submission. */
export interface TaskOptions {
  /** Zero-based pages to read; all when absent. */
  pages?: number[];
  /** Run the 180° line classifier (default: the service configuration). */
  useClassifier?: boolean;
  /** 'auto' (default) lets the task manager choose; otherwise a DeviceId to prefer. */
  device?: DeviceId | 'auto';
  /** PDF pages with their own text: 'keep' it (default, exact and fast) or 'ocr' the page. */
  pdfText?: 'keep' | 'ocr';
}

export interface TaskSource {
  path: string;
  /** File name without folders, for display. */
  name: string;
  /** Format judged from content, null when not yet known or not a document. */
  format: DocumentFormat | null;
  sizeBytes: number | null;
}

export type TaskWarningCode =
  | PageWarningCode
  | 'fell_back_to_cpu'
  | 'retried'
  | 'memory_warning'
  | 'page_failed'
  | 'recovered_after_restart';

export interface TaskWarning {
  code: TaskWarningCode;
  message: string;
  /** Page the warning is about, when it is about one. */
  pageIndex: number | null;
  atMs: number;
}

/** One document through the service. Times are epoch milliseconds. */
export interface Task {
  id: string;
  source: TaskSource;
  options: TaskOptions;
  status: TaskStatus;
  /** Higher runs first. */
  priority: number;
  /** The priority given at submission (a retried task may run lower). */
  originalPriority: number;
  pagesDone: number;
  /** Null until the header has been read. */
  pagesTotal: number | null;
  createdAtMs: number;
  /** When the task last entered the queue. */
  queuedAtMs: number | null;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  updatedAtMs: number;
  /** Earliest time the next attempt may start (backoff after a failure); null when now. */
  notBeforeMs: number | null;
  /** Attempts started so far. */
  attempts: number;
  failureReason: ErrorCode | null;
  failureMessage: string | null;
  estimatedMemoryMb: number | null;
  /** Peak memory measured while the task ran, in MB. */
  actualMemoryMb: number | null;
  assignedDevice: DeviceId | null;
  serviceInstanceId: string | null;
  resourceCleanupCompleted: boolean;
  /** 1 normally; lower after an out-of-memory error (smaller resolution and batches). */
  memoryReductionFactor: number;
  warnings: TaskWarning[];
}

export const TASK_EVENT_TYPES = [
  'created',
  'queued',
  'started',
  'page_completed',
  'page_failed',
  'resource_acquired',
  'resource_released',
  'memory_warning',
  'cleanup_started',
  'cleanup_completed',
  'retried',
  'fell_back',
  'priority_changed',
  'paused',
  'resumed',
  'recovered',
  'completed',
  'failed',
  'cancelled',
] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** A JSON value, for event details that are persisted and sent as they are. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface TaskEvent {
  /**
   * Increasing across the whole store. Negative on an event streamed while the store could not
   * take it (the disk full or unwritable): it is stored, with a new id, once the store can.
   */
  id: number;
  taskId: string;
  type: TaskEventType;
  atMs: number;
  /** E.g. { pageIndex }, { device, instanceId }, { reason, message, delayMs }. */
  details: { [key: string]: JsonValue };
}

export interface MemorySample {
  atMs: number;
  /** Memory attributed to the task's instance while it ran, in MB. */
  memoryMb: number;
}

export interface TaskHealth {
  taskId: string;
  status: TaskStatus;
  /** Memory in use now for a running task; null otherwise. */
  memoryInUseMb: number | null;
  peakMemoryMb: number | null;
  /** Time spent running (all attempts), in ms. */
  processingTimeMs: number;
  /** Time spent waiting in the queue before the latest start, in ms. */
  waitTimeMs: number | null;
  device: DeviceId | null;
  warnings: TaskWarning[];
  memorySamples: MemorySample[];
}

export interface PageError {
  pageIndex: number;
  error: ErrorInfo;
}

export interface TaskDetail {
  task: Task;
  /** Stored page results in page order; empty when results were not asked for. */
  pages: PageResult[];
  pageErrors: PageError[];
}

// ---------------------------------------------------------------------------------------------
// Metrics

export interface DeviceMetrics {
  device: DeviceInfo;
  memory: DeviceMemory;
  pool: { busy: number; idle: number; max: number };
  activeTasks: number;
}

export interface MetricsSnapshot {
  atMs: number;
  devices: DeviceMetrics[];
  queue: {
    /** Queued tasks (not yet running) by priority, keyed by the priority as a string. */
    depthByPriority: Record<string, number>;
    total: number;
    paused: boolean;
    /** Mean queue wait of tasks started in the last few minutes, in ms; null when none. */
    averageWaitMs: number | null;
  };
  /** Running tasks keyed by DeviceId. */
  activeTasksByDevice: Record<DeviceId, number>;
  /** Resident memory of the service process, in MB. */
  serviceRssMb: number;
}

// ---------------------------------------------------------------------------------------------
// Configuration

export interface DeviceConfig {
  enabled: boolean;
  /** Budget on this device in MB; null means derived from the device's total (if known). */
  memoryLimitMb: number | null;
  /** Instances (loaded model sessions) on this device at most. */
  maxInstances: number;
  /**
   * Documents one instance reads at once. Absent or null: one per engine worker on the CPU
   * (one document's detection then runs beside another's recognition), one on a GPU.
   */
  tasksPerInstance?: number | null;
}

export interface ServiceConfig {
  queue: {
    maxSize: number;
    /** A task that waits longer than this fails with `timeout`. */
    timeoutMs: number;
    /** Off: plain first-in first-out. */
    priorityEnabled: boolean;
  };
  resourceTracking: boolean;
  cleanupTimeoutMs: number;
  retry: {
    maxAttempts: number;
    /** Delay before the first retry, in ms; multiplied by backoffMultiplier after each. */
    initialDelayMs: number;
    backoffMultiplier: number;
    /** Resolution and batch factor applied after an out-of-memory error. */
    memoryReductionFactor: number;
    /** Retry on the CPU after an out-of-memory error on a GPU. */
    fallbackToCpu: boolean;
  };
  pool: {
    maxTotalInstances: number;
    acquireTimeoutMs: number;
    /** An idle instance is unloaded after this long. */
    idleUnloadMs: number;
    /** An instance is replaced after reading this many pages. */
    recycleAfterPages: number;
    /** An instance is replaced when its memory grows past this, in MB. */
    recycleAboveMemoryMb: number;
  };
  /** Keyed by DeviceId; a device without an entry uses `defaultDevice`. */
  devices: Record<DeviceId, DeviceConfig>;
  defaultDevice: DeviceConfig;
  engine: {
    /** Largest page accepted, in pixels. */
    maxPixels: number;
    useClassifier: boolean;
    /** Worker threads of one CPU instance; 0 means one per core. */
    cpuWorkers: number;
  };
  metrics: { sampleIntervalMs: number };
}

/**
 * A partial configuration, merged into the current one by setConfig: in each section, and in
 * each device's settings, what is left out stays as it was (a new device starts from
 * `defaultDevice`).
 */
export type ConfigPatch = {
  [K in Exclude<keyof ServiceConfig, 'devices'>]?: ServiceConfig[K] extends object
    ? Partial<ServiceConfig[K]>
    : ServiceConfig[K];
} & { devices?: Record<string, Partial<DeviceConfig>> };

// ---------------------------------------------------------------------------------------------
// Requests

export interface TaskListFilter {
  statuses?: TaskStatus[];
  /** Matches the file name or path, case-insensitive. */
  search?: string;
  device?: DeviceId;
  /** Newest first by default. */
  order?: 'newest' | 'oldest' | 'priority';
  offset?: number;
  /** At most 500; 50 by default. */
  limit?: number;
}

export interface SubmitRejection {
  path: string;
  error: ErrorInfo;
}

export interface SkippedInput {
  path: string;
  reason: string;
}

export interface ExportFile {
  taskId: string;
  format: ExportFormat;
  path: string;
  /**
   * Pages of the source (0-based) not in this file because they cannot be read (a searchable
   * PDF of a document with a page that failed to decode); absent when none was left out.
   */
  leftOutPages?: number[];
}

export interface ExportFailure {
  taskId: string;
  format: ExportFormat;
  error: ErrorInfo;
}

export interface ExportFormatInfo {
  id: ExportFormat;
  label: string;
  extension: string;
}

/** A page image encoded for display; its pixel size is that of the page the lines refer to. */
export interface PageImage {
  /** `data:image/jpeg;base64,…` or `data:image/png;base64,…`, possibly scaled down. */
  dataUrl: string;
  /** Size of the page the line polygons refer to, in px (not of the scaled image). */
  widthPx: number;
  heightPx: number;
}

export interface QueueState {
  paused: boolean;
}

/** Every request channel: its payload (`request`) and the value of a successful response. */
export interface Channels {
  /**
   * Files become tasks; folders are walked and files that are not documents (judged by
   * content) are returned as skipped. A file refused outright (queue full) is a rejection; a
   * file whose header is unreadable becomes a failed task, so it shows in history.
   */
  submit: {
    request: { paths: string[]; priority?: number; options?: TaskOptions };
    response: { tasks: Task[]; rejected: SubmitRejection[]; skipped: SkippedInput[] };
  };
  cancel: { request: { taskId: string }; response: Task };
  retry: { request: { taskId: string }; response: Task };
  setPriority: { request: { taskId: string; priority: number }; response: Task };
  /** A queued task is held back until resumed. */
  pauseTask: { request: { taskId: string }; response: Task };
  resumeTask: { request: { taskId: string }; response: Task };
  /** No new task starts while the queue is paused; running tasks finish. */
  pauseQueue: { request: Record<string, never>; response: QueueState };
  resumeQueue: { request: Record<string, never>; response: QueueState };
  listTasks: { request: TaskListFilter; response: { tasks: Task[]; total: number } };
  getTask: { request: { taskId: string; includeResults?: boolean }; response: TaskDetail };
  getTaskEvents: {
    request: { taskId: string; afterId?: number; limit?: number };
    response: { events: TaskEvent[] };
  };
  getTaskHealth: { request: { taskId: string }; response: TaskHealth };
  getMetrics: { request: Record<string, never>; response: MetricsSnapshot };
  getConfig: { request: Record<string, never>; response: ServiceConfig };
  /** Refused with `invalid_config` naming the key and the reason. */
  setConfig: { request: { patch: ConfigPatch }; response: ServiceConfig };
  /**
   * Writes each task in each format to `destinationDir`, named after its source without the
   * extension, or `stems[taskId]` when given. Names that would clash within the request, or
   * replace a task's source, are made unique (`scan.png.txt`, `scan-2.txt`); an export of the
   * same task to the same folder replaces the previous one. A stem holds no `/`, `\` or NUL,
   * is not `.` or `..`, and has at most 200 UTF-8 bytes (shared/file-stems.ts).
   */
  export: {
    request: {
      taskIds: string[];
      formats: ExportFormat[];
      destinationDir: string;
      stems?: Record<string, string>;
    };
    response: { files: ExportFile[]; failures: ExportFailure[] };
  };
  listExportFormats: {
    request: Record<string, never>;
    response: { formats: ExportFormatInfo[] };
  };
  /** One page of a task's document as the engine saw it (upright), for the detail view. */
  getPageImage: {
    request: { taskId: string; pageIndex: number; maxSidePx?: number };
    response: PageImage;
  };
}

export type Channel = keyof Channels;
export type RequestOf<C extends Channel> = Channels[C]['request'];
export type ResponseOf<C extends Channel> = Channels[C]['response'];

export const CHANNELS = [
  'submit',
  'cancel',
  'retry',
  'setPriority',
  'pauseTask',
  'resumeTask',
  'pauseQueue',
  'resumeQueue',
  'listTasks',
  'getTask',
  'getTaskEvents',
  'getTaskHealth',
  'getMetrics',
  'getConfig',
  'setConfig',
  'export',
  'listExportFormats',
  'getPageImage',
] as const satisfies readonly Channel[];

// ---------------------------------------------------------------------------------------------
// Pushed events

export type ServiceEvent =
  /** A task event, with the task as it is after the event. */
  | { kind: 'task_event'; event: TaskEvent; task: Task }
  /** Sampled at least once a second. */
  | { kind: 'metrics'; snapshot: MetricsSnapshot }
  | { kind: 'queue_state'; state: QueueState }
  | { kind: 'config_changed'; config: ServiceConfig };

export type ServiceEventKind = ServiceEvent['kind'];

// ---------------------------------------------------------------------------------------------
// Client

export type Unsubscribe = () => void;

/**
 * What every client holds, whatever the transport (preload API, WebSocket, child-process IPC,
 * in-memory). `request` never rejects: transport failures come back as `{ ok: false }`.
 */
export interface ServiceClient {
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  subscribe(listener: (event: ServiceEvent) => void): Unsubscribe;
}

// ---------------------------------------------------------------------------------------------
// Wire protocol, shared by every message transport (ports, IPC, WebSocket)

export type WireMessage =
  | { type: 'request'; id: number; channel: Channel; payload: unknown }
  | { type: 'response'; id: number; result: Result<unknown> }
  | { type: 'event'; event: ServiceEvent }
  /** Sent by the service once it accepts requests. */
  | { type: 'ready'; pid: number; dataDir: string };
