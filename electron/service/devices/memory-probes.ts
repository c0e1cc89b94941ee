/**
 * Memory readings per device, through a chain of probes: the first probe that can read a
 * device answers. A figure no probe can read stays null; nothing is guessed.
 */
import { execFile } from 'node:child_process';
import { totalmem } from 'node:os';
import type { DeviceId } from '../../../shared/contract';

export interface MemoryReading {
  /** Memory the service uses on the device, in MB. */
  usedMb: number | null;
  totalMb: number | null;
}

export interface MemoryProbe {
  readonly name: string;
  /** Null when this probe does not know the device. */
  read(deviceId: DeviceId): Promise<MemoryReading | null>;
}

const MB = 1024 * 1024;

/** The CPU: resident memory of the service process (worker threads included), and RAM. */
export const processMemoryProbe: MemoryProbe = {
  name: 'process',
  async read(deviceId) {
    if (deviceId !== 'cpu') return null;
    return {
      usedMb: Math.round(process.memoryUsage.rss() / MB),
      totalMb: Math.round(totalmem() / MB),
    };
  },
};

export interface NvidiaGpu {
  index: number;
  name: string;
  totalMb: number;
  usedMb: number;
}

/** Parses `nvidia-smi --query-gpu=index,name,memory.total,memory.used --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(output: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of output.split('\n')) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 4) continue;
    const [index, name, total, used] = cells;
    const gpu = { index: Number(index), name, totalMb: Number(total), usedMb: Number(used) };
    if ([gpu.index, gpu.totalMb, gpu.usedMb].every(Number.isFinite)) gpus.push(gpu);
  }
  return gpus;
}

export function queryNvidiaSmi(timeoutMs = 2000): Promise<NvidiaGpu[] | null> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=index,name,memory.total,memory.used', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs },
      (error, stdout) => resolve(error ? null : parseNvidiaSmi(stdout)),
    );
  });
}

/** CUDA devices through nvidia-smi. Used memory is the whole GPU's (other programs included). */
export function nvidiaSmiProbe(
  query: () => Promise<NvidiaGpu[] | null> = queryNvidiaSmi,
): MemoryProbe {
  return {
    name: 'nvidia-smi',
    async read(deviceId) {
      const match = /^cuda:(\d+)$/.exec(deviceId);
      if (!match) return null;
      const gpu = (await query())?.find((g) => g.index === Number(match[1]));
      return gpu ? { usedMb: gpu.usedMb, totalMb: gpu.totalMb } : null;
    },
  };
}

/** Asks each probe in turn; unknown devices read as nulls. */
export async function readMemory(
  probes: MemoryProbe[],
  deviceId: DeviceId,
): Promise<MemoryReading> {
  for (const probe of probes) {
    try {
      const reading = await probe.read(deviceId);
      if (reading) return reading;
    } catch {
      // A probe that breaks is as good as one that does not know the device.
    }
  }
  return { usedMb: null, totalMb: null };
}

export function defaultMemoryProbes(): MemoryProbe[] {
  return [processMemoryProbe, nvidiaSmiProbe()];
}
