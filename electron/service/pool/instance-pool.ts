/**
 * Engine instances (loaded model sessions) per device, reused across tasks. Bounded per device
 * and in total; `acquire` waits up to a timeout (`pool_exhausted`); idle instances are
 * unloaded after a while; an instance is replaced after N pages or when memory grows too far.
 */
import { randomUUID } from 'node:crypto';
import type { DeviceId } from '../../../shared/contract';
import { OcrError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { Device } from '../devices/device-discovery';
import type { OcrEngineApi } from '../engine/engine-api';
import type { Logger } from '../logger';

/** Makes an engine for a device. Injected so tests can wrap the real one. */
export type EngineFactory = (device: Device) => Promise<OcrEngineApi>;

export interface PoolLimits {
  maxTotal: number;
  maxPerDevice: (deviceId: DeviceId) => number;
  idleUnloadMs: number;
  recycleAfterPages: number;
  recycleAboveMemoryMb: number;
}

export interface PoolInstance {
  readonly id: string;
  readonly device: Device;
  readonly engine: OcrEngineApi;
  pagesRead: number;
}

interface Slot {
  instance: PoolInstance | null;
  device: Device;
  busy: boolean;
  cancelIdleTimer: (() => void) | null;
}

interface Waiter {
  device: Device;
  resolve: (instance: PoolInstance) => void;
  reject: (error: unknown) => void;
}

export interface PoolDeps {
  factory: EngineFactory;
  clock: Clock;
  limits: () => PoolLimits;
  /** Memory the instance's device uses now, in MB, for the recycling threshold. */
  memoryMb: (deviceId: DeviceId) => number | null;
  logger: Logger;
  onChange: () => void;
}

export class InstancePool {
  /** Loading, idle and busy instances; a loading one has `instance: null`. */
  private readonly slots = new Set<Slot>();
  private waiters: Waiter[] = [];
  private closed = false;

  constructor(private readonly deps: PoolDeps) {}

  /** Whether `acquire` on the device would succeed without waiting for a release. */
  hasCapacity(deviceId: DeviceId): boolean {
    if (this.idleSlot(deviceId)) return true;
    return this.canCreate(deviceId);
  }

  stats(deviceId: DeviceId): { busy: number; idle: number; max: number } {
    let busy = 0;
    let idle = 0;
    for (const slot of this.slots) {
      if (slot.device.id !== deviceId) continue;
      if (slot.busy) busy += 1;
      else idle += 1;
    }
    return { busy, idle, max: this.deps.limits().maxPerDevice(deviceId) };
  }

  async acquire(device: Device, timeoutMs: number): Promise<PoolInstance> {
    if (this.closed) throw new OcrError('internal', 'The instance pool is closed');
    const idle = this.idleSlot(device.id);
    if (idle) return this.take(idle);
    if (this.canCreate(device.id)) return this.create(device);

    return new Promise<PoolInstance>((resolve, reject) => {
      const cancelTimer = this.deps.clock.setTimer(timeoutMs, () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new OcrError(
            'pool_exhausted',
            `No engine instance on ${device.id} became free in ${timeoutMs} ms`,
          ),
        );
      });
      const waiter: Waiter = {
        device,
        resolve: (instance) => {
          cancelTimer();
          resolve(instance);
        },
        reject: (error) => {
          cancelTimer();
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Returns an instance; it is replaced instead when it has read enough or grown too large. */
  release(instance: PoolInstance): void {
    const slot = this.slotOf(instance);
    if (!slot) return;
    const limits = this.deps.limits();
    const memoryMb = this.deps.memoryMb(instance.device.id);
    if (instance.pagesRead >= limits.recycleAfterPages) {
      this.deps.logger.info('Recycling an instance after its page budget', {
        instanceId: instance.id,
        pagesRead: instance.pagesRead,
      });
      this.discard(instance);
      return;
    }
    if (memoryMb !== null && memoryMb > limits.recycleAboveMemoryMb) {
      this.deps.logger.warn('Recycling an instance whose memory grew past the threshold', {
        instanceId: instance.id,
        memoryMb,
      });
      this.discard(instance);
      return;
    }

    slot.busy = false;
    if (this.serveWaiter(slot)) return;
    if (limits.idleUnloadMs > 0) {
      slot.cancelIdleTimer = this.deps.clock.setTimer(limits.idleUnloadMs, () =>
        this.unloadIdle(slot),
      );
    }
    this.deps.onChange();
  }

  /**
   * Drops an instance at once (its slot is free now); the engine closes in the background,
   * after `closeAfter` settles: closing an engine in the middle of an inference run would
   * take the process down with it.
   */
  discard(instance: PoolInstance, closeAfter: Promise<unknown> = Promise.resolve()): Promise<void> {
    const slot = this.slotOf(instance);
    if (!slot) return Promise.resolve();
    this.removeSlot(slot);
    const closed = closeAfter.then(
      () => this.closeQuietly(instance),
      () => this.closeQuietly(instance),
    );
    this.wakeWaiters();
    this.deps.onChange();
    return closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters) {
      waiter.reject(new OcrError('internal', 'The service is shutting down'));
    }
    this.waiters = [];
    const instances = [...this.slots].map((s) => s.instance).filter((i) => i !== null);
    for (const slot of this.slots) slot.cancelIdleTimer?.();
    this.slots.clear();
    await Promise.all(instances.map((i) => i.engine.close().catch(() => undefined)));
  }

  private idleSlot(deviceId: DeviceId): Slot | undefined {
    return [...this.slots].find((s) => s.device.id === deviceId && !s.busy && s.instance);
  }

  private canCreate(deviceId: DeviceId): boolean {
    const limits = this.deps.limits();
    const onDevice = [...this.slots].filter((s) => s.device.id === deviceId).length;
    return this.slots.size < limits.maxTotal && onDevice < limits.maxPerDevice(deviceId);
  }

  private take(slot: Slot): PoolInstance {
    slot.cancelIdleTimer?.();
    slot.cancelIdleTimer = null;
    slot.busy = true;
    this.deps.onChange();
    return slot.instance as PoolInstance;
  }

  private async create(device: Device): Promise<PoolInstance> {
    const slot: Slot = { instance: null, device, busy: true, cancelIdleTimer: null };
    this.slots.add(slot);
    this.deps.onChange();
    try {
      const engine = await this.deps.factory(device);
      slot.instance = {
        id: `${device.id}#${randomUUID().slice(0, 8)}`,
        device,
        engine,
        pagesRead: 0,
      };
      this.deps.logger.info('Engine instance loaded', { instanceId: slot.instance.id });
      if (this.closed) {
        void this.closeQuietly(slot.instance);
        throw new OcrError('internal', 'The service is shutting down');
      }
      return slot.instance;
    } catch (error) {
      this.removeSlot(slot);
      this.wakeWaiters();
      this.deps.onChange();
      if (error instanceof OcrError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new OcrError(
        'device_unavailable',
        `The models could not be loaded on ${device.id}: ${reason}`,
        {
          cause: error,
        },
      );
    }
  }

  private serveWaiter(slot: Slot): boolean {
    const index = this.waiters.findIndex((w) => w.device.id === slot.device.id);
    if (index === -1) return false;
    const [waiter] = this.waiters.splice(index, 1);
    waiter.resolve(this.take(slot));
    return true;
  }

  /** After a slot was freed, a waiter on a device with room gets a new instance. */
  private wakeWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const slot = this.idleSlot(waiter.device.id);
      if (slot) {
        this.serveWaiter(slot);
        continue;
      }
      if (!this.canCreate(waiter.device.id)) continue;
      this.waiters = this.waiters.filter((w) => w !== waiter);
      this.create(waiter.device).then(waiter.resolve, waiter.reject);
    }
  }

  private unloadIdle(slot: Slot): void {
    if (slot.busy || !slot.instance || !this.slots.has(slot)) return;
    this.deps.logger.info('Unloading an idle engine instance', { instanceId: slot.instance.id });
    this.removeSlot(slot);
    void this.closeQuietly(slot.instance);
    this.deps.onChange();
  }

  private slotOf(instance: PoolInstance): Slot | undefined {
    return [...this.slots].find((s) => s.instance === instance);
  }

  private removeSlot(slot: Slot): void {
    slot.cancelIdleTimer?.();
    this.slots.delete(slot);
  }

  private closeQuietly(instance: PoolInstance): Promise<void> {
    return instance.engine.close().catch((error: unknown) => {
      this.deps.logger.warn('An engine instance failed to close', {
        instanceId: instance.id,
        error,
      });
    });
  }
}
