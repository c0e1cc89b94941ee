/**
 * The latest memory reading of every device, refreshed by the metrics sampler, with each
 * device's budget: the configured limit, else the device's total when it is known.
 */
import type { DeviceId, DeviceMemory, ServiceConfig } from '../../../shared/contract';
import { deviceConfigOf } from '../config/service-config';
import type { Device } from './device-discovery';
import { readMemory, type MemoryProbe, type MemoryReading } from './memory-probes';

const MB = 1024 * 1024;

export class DeviceMonitor {
  private readonly readings = new Map<DeviceId, MemoryReading>();

  constructor(
    readonly devices: Device[],
    private readonly probes: MemoryProbe[],
    private readonly config: () => ServiceConfig,
  ) {}

  device(id: DeviceId): Device | undefined {
    return this.devices.find((d) => d.id === id);
  }

  /** Devices that are present, usable and enabled with at least one instance allowed. */
  usable(): Device[] {
    return this.devices.filter((d) => {
      const settings = deviceConfigOf(this.config(), d.id);
      return d.available && settings.enabled && settings.maxInstances > 0;
    });
  }

  async refresh(): Promise<void> {
    await Promise.all(
      this.devices.map(async (d) => this.readings.set(d.id, await readMemory(this.probes, d.id))),
    );
  }

  /** Last reading with the budget; the CPU's used memory is read live. */
  memory(id: DeviceId): DeviceMemory {
    const reading = this.readings.get(id) ?? { usedMb: null, totalMb: null };
    const usedMb = id === 'cpu' ? Math.round(process.memoryUsage.rss() / MB) : reading.usedMb;
    return { usedMb, totalMb: reading.totalMb, limitMb: this.limitMb(id) };
  }

  limitMb(id: DeviceId): number | null {
    const configured = deviceConfigOf(this.config(), id).memoryLimitMb;
    if (configured !== null) return configured;
    return this.readings.get(id)?.totalMb ?? null;
  }
}
