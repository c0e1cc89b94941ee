/**
 * Runtime schemas for what crosses a process boundary: every request payload, the wire
 * envelope and the configuration. The types they check are declared in ./contract; the
 * assignments at the end of this file fail to compile if the two drift apart.
 */
import { z } from 'zod';
import { isFileStem, MAX_STEM_BYTES } from './file-stems';
import { EXPORT_FORMATS } from './domain';
import { ERROR_CODES, type ErrorCode } from './errors';
import {
  CHANNELS,
  TASK_STATUSES,
  type Channel,
  type Channels,
  type ConfigPatch,
  type RequestOf,
  type ServiceConfig,
  type WireMessage,
} from './contract';

const taskId = z.string().min(1).max(200);
const priority = z.number().int().min(-1000).max(1000);
/** A file name without folders, for an export's name. */
const fileStem = z.string().refine(isFileStem, {
  message: `a file name without a folder, of at most ${MAX_STEM_BYTES} bytes`,
});
const deviceId = z
  .string()
  .regex(/^(cpu|(cuda|dml|coreml):\d+)$/, 'a device id such as cpu or cuda:0');

export const taskOptionsSchema = z.strictObject({
  pages: z.array(z.number().int().min(0)).max(100_000).optional(),
  useClassifier: z.boolean().optional(),
  device: z.union([z.literal('auto'), deviceId]).optional(),
  pdfText: z.enum(['keep', 'ocr']).optional(),
});

const empty = z.strictObject({});

const deviceConfigSchema = z.strictObject({
  enabled: z.boolean(),
  memoryLimitMb: z.number().positive().nullable(),
  maxInstances: z.number().int().min(0).max(64),
  tasksPerInstance: z.number().int().min(1).max(64).nullable().optional(),
});

/**
 * The longest delay a timer can take, in ms (about 24.8 days): Node.js runs a longer one after
 * 1 ms instead, so a larger setting would fire its timer over and over.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay in ms that ends up in a timer. */
function timerMs(minMs: number) {
  return z
    .number()
    .int()
    .min(minMs)
    .max(
      MAX_TIMER_MS,
      `at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node.js can set`,
    );
}

export const serviceConfigSchema = z.strictObject({
  queue: z.strictObject({
    maxSize: z.number().int().min(1).max(1_000_000),
    timeoutMs: timerMs(1),
    priorityEnabled: z.boolean(),
  }),
  resourceTracking: z.boolean(),
  cleanupTimeoutMs: timerMs(1),
  retry: z.strictObject({
    maxAttempts: z.number().int().min(1).max(100),
    initialDelayMs: timerMs(0),
    backoffMultiplier: z.number().min(1).max(100),
    memoryReductionFactor: z.number().gt(0).max(1),
    fallbackToCpu: z.boolean(),
  }),
  pool: z.strictObject({
    maxTotalInstances: z.number().int().min(1).max(256),
    acquireTimeoutMs: timerMs(1),
    idleUnloadMs: timerMs(0),
    recycleAfterPages: z.number().int().min(1),
    recycleAboveMemoryMb: z.number().positive(),
  }),
  devices: z.record(deviceId, deviceConfigSchema),
  defaultDevice: deviceConfigSchema,
  engine: z.strictObject({
    maxPixels: z.number().int().min(1),
    useClassifier: z.boolean(),
    cpuWorkers: z.number().int().min(0).max(256),
  }),
  metrics: z.strictObject({ sampleIntervalMs: z.number().int().min(50).max(1000) }),
});

/** A patch: each section optional and, inside it, each key optional. */
export const configPatchSchema = z.strictObject({
  queue: serviceConfigSchema.shape.queue.partial().optional(),
  resourceTracking: z.boolean().optional(),
  cleanupTimeoutMs: serviceConfigSchema.shape.cleanupTimeoutMs.optional(),
  retry: serviceConfigSchema.shape.retry.partial().optional(),
  pool: serviceConfigSchema.shape.pool.partial().optional(),
  devices: z.record(deviceId, deviceConfigSchema.partial()).optional(),
  defaultDevice: deviceConfigSchema.partial().optional(),
  engine: serviceConfigSchema.shape.engine.partial().optional(),
  metrics: serviceConfigSchema.shape.metrics.partial().optional(),
});

export const requestSchemas = {
  submit: z.strictObject({
    paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
    priority: priority.optional(),
    options: taskOptionsSchema.optional(),
  }),
  cancel: z.strictObject({ taskId }),
  retry: z.strictObject({ taskId }),
  setPriority: z.strictObject({ taskId, priority }),
  pauseTask: z.strictObject({ taskId }),
  resumeTask: z.strictObject({ taskId }),
  pauseQueue: empty,
  resumeQueue: empty,
  listTasks: z.strictObject({
    statuses: z.array(z.enum(TASK_STATUSES)).optional(),
    search: z.string().max(1000).optional(),
    device: deviceId.optional(),
    order: z.enum(['newest', 'oldest', 'priority']).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  }),
  getTask: z.strictObject({ taskId, includeResults: z.boolean().optional() }),
  getTaskEvents: z.strictObject({
    taskId,
    afterId: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  }),
  getTaskHealth: z.strictObject({ taskId }),
  getMetrics: empty,
  getConfig: empty,
  setConfig: z.strictObject({ patch: configPatchSchema }),
  export: z.strictObject({
    taskIds: z.array(taskId).min(1).max(10_000),
    formats: z.array(z.enum(EXPORT_FORMATS)).min(1),
    destinationDir: z.string().min(1).max(4096),
    stems: z.record(taskId, fileStem).optional(),
  }),
  listExportFormats: empty,
  getPageImage: z.strictObject({
    taskId,
    pageIndex: z.number().int().min(0),
    maxSidePx: z.number().int().min(64).max(10_000).optional(),
  }),
} satisfies { [C in Channel]: z.ZodType };

const errorInfoSchema = z.strictObject({
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});

const resultSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: errorInfoSchema }),
]);

/**
 * The envelope of every message. Event bodies are produced by the service itself and are
 * checked only for their kind; request payloads are checked per channel by parseRequest.
 */
export const wireMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('request'),
    id: z.number().int(),
    channel: z.enum(CHANNELS),
    payload: z.unknown(),
  }),
  z.strictObject({ type: z.literal('response'), id: z.number().int(), result: resultSchema }),
  z.strictObject({
    type: z.literal('event'),
    event: z.looseObject({
      kind: z.enum(['task_event', 'metrics', 'queue_state', 'config_changed']),
    }),
  }),
  z.strictObject({ type: z.literal('ready'), pid: z.number().int(), dataDir: z.string() }),
]);

/** Names the first problem of a failed parse as `key.path: reason`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const key = issue.path.map(String).join('.') || '(root)';
  return `${key}: ${issue.message}`;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseRequest<C extends Channel>(
  channel: C,
  payload: unknown,
): ParseResult<RequestOf<C>> {
  const parsed = requestSchemas[channel].safeParse(payload ?? {});
  if (!parsed.success) return { ok: false, message: describeIssue(parsed.error) };
  return { ok: true, value: parsed.data as RequestOf<C> };
}

export function parseWireMessage(data: unknown): ParseResult<WireMessage> {
  const parsed = wireMessageSchema.safeParse(data);
  if (!parsed.success) return { ok: false, message: describeIssue(parsed.error) };
  return { ok: true, value: parsed.data as WireMessage };
}

// Compile-time checks that the schemas accept exactly the declared types.
const configFits: ServiceConfig = {} as z.infer<typeof serviceConfigSchema>;
const configCovered: z.infer<typeof serviceConfigSchema> = {} as ServiceConfig;
const patchFits: z.infer<typeof configPatchSchema> extends ConfigPatch ? true : false = true;
const requestsFit: {
  [C in Channel]: z.infer<(typeof requestSchemas)[C]> extends Channels[C]['request'] ? true : false;
} = {
  submit: true,
  cancel: true,
  retry: true,
  setPriority: true,
  pauseTask: true,
  resumeTask: true,
  pauseQueue: true,
  resumeQueue: true,
  listTasks: true,
  getTask: true,
  getTaskEvents: true,
  getTaskHealth: true,
  getMetrics: true,
  getConfig: true,
  setConfig: true,
  export: true,
  listExportFormats: true,
  getPageImage: true,
};
void configFits;
void configCovered;
void patchFits;
void requestsFit;
