/**
 * What happens after an attempt fails: fail the task for good, or retry it later (with
 * exponential backoff, at a lower priority, and after an out-of-memory error with a smaller
 * resolution, on the CPU when configured). Pure, so every branch is testable without a clock.
 */
import type { DeviceId, ServiceConfig } from '../../../shared/contract';
import type { ErrorCode, ErrorInfo } from '../../../shared/errors';

/** Failures that another attempt cannot fix. */
const FINAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_input',
  'unsupported_format',
  'file_not_found',
  'image_too_large',
  'encrypted_document',
  'memory_limit_exceeded',
  'cancelled',
  'timeout',
  'invalid_request',
  // A disk does not empty itself within a backoff; the user frees space and retries.
  'storage_full',
]);

export interface FailureContext {
  error: ErrorInfo;
  /** Attempts started so far, the failed one included. */
  attempts: number;
  priority: number;
  device: DeviceId;
  memoryReductionFactor: number;
  cpuAvailable: boolean;
  retry: ServiceConfig['retry'];
}

export type FailureDecision =
  | { action: 'fail' }
  | {
      action: 'retry';
      delayMs: number;
      priority: number;
      device: DeviceId;
      memoryReductionFactor: number;
      fellBackToCpu: boolean;
    };

export function backoffDelayMs(retry: ServiceConfig['retry'], attempts: number): number {
  return Math.round(retry.initialDelayMs * retry.backoffMultiplier ** Math.max(0, attempts - 1));
}

export function decideAfterFailure(context: FailureContext): FailureDecision {
  const { error, retry } = context;
  if (FINAL_CODES.has(error.code)) return { action: 'fail' };
  if (context.attempts >= retry.maxAttempts) return { action: 'fail' };

  const onGpu = context.device !== 'cpu';
  const deviceProblem = error.code === 'out_of_memory' || error.code === 'device_unavailable';
  const fellBackToCpu = onGpu && deviceProblem && retry.fallbackToCpu && context.cpuAvailable;
  const memoryReductionFactor =
    error.code === 'out_of_memory'
      ? context.memoryReductionFactor * retry.memoryReductionFactor
      : context.memoryReductionFactor;

  return {
    action: 'retry',
    delayMs: backoffDelayMs(retry, context.attempts),
    priority: context.priority - 1,
    device: fellBackToCpu ? 'cpu' : context.device,
    memoryReductionFactor,
    fellBackToCpu,
  };
}
