/**
 * Engine instances (loaded model sessions) per device, reused across tasks. Bounded per device
 * and in total; an instance reads up to `tasksPerInstance` documents at once (on the CPU, one
 * document's detection then runs beside another's recognition); `acquire` waits up to a
 * timeout (`pool_exhausted`); idle instances are unloaded after a while; an instance is
 * replaced after N pages or when memory grows too far, once its last task has let go of it.
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
  /** Tasks one instance on the device serves at once. */
  tasksPerInstance: (deviceId: DeviceId) => number;
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
  /** Tasks holding the instance (the one that is loading it counts). */
  users: number;
  /** Takes no new task; closed once its last task lets go and `closeAfter` settles. */
  retiring: boolean;
  closeAfter: Promise<unknown>;
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
    if (this.slotWithRoom(deviceId)) return true;
    return this.canCreate(deviceId);
  }

  /** Instances on the device serving at least one task (busy) or none (idle). */
  stats(deviceId: DeviceId): { busy: number; idle: number; max: number } {
    let busy = 0;
    let idle = 0;
    for (const slot of this.slots) {
      if (slot.device.id !== deviceId) continue;
      if (slot.users > 0) busy += 1;
      else idle += 1;
    }
    return { busy, idle, max: this.deps.limits().maxPerDevice(deviceId) };
  }

  async acquire(device: Device, timeoutMs: number): Promise<PoolInstance> {
    if (this.closed) throw new OcrError('internal', 'The instance pool is closed');
    const room = this.slotWithRoom(device.id);
    if (room) return this.take(room);
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

  /**
   * A task lets go of its instance. The instance is replaced instead of kept when it has read
   * enough or grown too large: at once if no other task holds it, else when the last one lets go.
   */
  release(instance: PoolInstance): Promise<void> {
    const slot = this.slotOf(instance);
    if (!slot) return Promise.resolve();
    const limits = this.deps.limits();
    const memoryMb = this.deps.memoryMb(instance.device.id);
    if (!slot.retiring && instance.pagesRead >= limits.recycleAfterPages) {
      this.deps.logger.info('Recycling an instance after its page budget', {
        instanceId: instance.id,
        pagesRead: instance.pagesRead,
      });
      slot.retiring = true;
    }
    if (!slot.retiring && memoryMb !== null && memoryMb > limits.recycleAboveMemoryMb) {
      this.deps.logger.warn('Recycling an instance whose memory grew past the threshold', {
        instanceId: instance.id,
        memoryMb,
      });
      slot.retiring = true;
    }

    slot.users -= 1;
    if (slot.retiring) return this.retire(slot);
    if (this.serveWaiter(slot)) return Promise.resolve();
    if (slot.users === 0 && limits.idleUnloadMs > 0) {
      slot.cancelIdleTimer = this.deps.clock.setTimer(limits.idleUnloadMs, () =>
        this.unloadIdle(slot),
      );
    }
    this.deps.onChange();
    return Promise.resolve();
  }

  /**
   * A task drops its instance at once: the instance takes no new task and no longer counts
   * against the device's limit. Its engine closes in the background once the other tasks on
   * it have let go and `closeAfter` settles: closing an engine in the middle of an inference
   * run would take the process down with it.
   */
  discard(instance: PoolInstance, closeAfter: Promise<unknown> = Promise.resolve()): Promise<void> {
    const slot = this.slotOf(instance);
    if (!slot) return Promise.resolve();
    slot.retiring = true;
    slot.closeAfter = Promise.all([slot.closeAfter, closeAfter.catch(() => undefined)]);
    slot.users -= 1;
    return this.retire(slot);
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

  /** Closes a retiring instance once no task holds it; frees its place in the limits now. */
  private retire(slot: Slot): Promise<void> {
    slot.cancelIdleTimer?.();
    slot.cancelIdleTimer = null;
    this.wakeWaiters();
    this.deps.onChange();
    if (slot.users > 0 || !slot.instance) return Promise.resolve();
    this.slots.delete(slot);
    const instance = slot.instance;
    return slot.closeAfter.then(() => this.closeQuietly(instance));
  }

  /** A loaded instance that takes tasks and has room for one more, the busiest first. */
  private slotWithRoom(deviceId: DeviceId): Slot | undefined {
    const room = this.deps.limits().tasksPerInstance(deviceId);
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.device.id !== deviceId || slot.retiring || !slot.instance) continue;
      if (slot.users >= room) continue;
      // Filling a busy instance first leaves the others idle, to be unloaded.
      if (!best || slot.users > best.users) best = slot;
    }
    return best;
  }

  private canCreate(deviceId: DeviceId): boolean {
    const limits = this.deps.limits();
    const live = [...this.slots].filter((s) => !s.retiring);
    const onDevice = live.filter((s) => s.device.id === deviceId).length;
    return live.length < limits.maxTotal && onDevice < limits.maxPerDevice(deviceId);
  }

  private take(slot: Slot): PoolInstance {
    slot.cancelIdleTimer?.();
    slot.cancelIdleTimer = null;
    slot.users += 1;
    this.deps.onChange();
    return slot.instance as PoolInstance;
  }

  private async create(device: Device): Promise<PoolInstance> {
    const slot: Slot = {
      instance: null,
      device,
      users: 1,
      retiring: false,
      closeAfter: Promise.resolve(),
      cancelIdleTimer: null,
    };
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
      // Tasks that waited while it loaded may share it.
      queueMicrotask(() => this.wakeWaiters());
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
    const room = this.deps.limits().tasksPerInstance(slot.device.id);
    if (slot.retiring || !slot.instance || slot.users >= room) return false;
    const index = this.waiters.findIndex((w) => w.device.id === slot.device.id);
    if (index === -1) return false;
    const [waiter] = this.waiters.splice(index, 1);
    waiter.resolve(this.take(slot));
    return true;
  }

  /** After a slot was freed, a waiter on a device with room gets an instance, new or shared. */
  private wakeWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const slot = this.slotWithRoom(waiter.device.id);
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
    if (slot.users > 0 || !slot.instance || !this.slots.has(slot)) return;
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
