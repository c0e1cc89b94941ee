/**
 * Finds the devices the engine can run on: the CPU always; CUDA GPUs when onnxruntime's CUDA
 * provider libraries are present and nvidia-smi lists a GPU; DirectML on Windows; CoreML on
 * macOS.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { DeviceInfo, DeviceKind } from '../../../shared/contract';
import { queryNvidiaSmi, type NvidiaGpu } from './memory-probes';

/** A device and the onnxruntime execution provider that runs on it. */
export interface Device extends DeviceInfo {
  provider: DeviceKind;
}

export function cpuDevice(): Device {
  const model = cpus()[0]?.model.trim();
  const cores = availableParallelism();
  return {
    id: 'cpu',
    kind: 'cpu',
    provider: 'cpu',
    label: model ? `CPU (${cores} cores, ${model})` : `CPU (${cores} cores)`,
    available: true,
    unavailableReason: null,
  };
}

export interface DiscoveryDeps {
  platform: NodeJS.Platform;
  nvidiaGpus: () => Promise<NvidiaGpu[] | null>;
  cudaProviderPresent: () => boolean;
}

export async function discoverDevices(
  deps: DiscoveryDeps = defaultDiscoveryDeps(),
): Promise<Device[]> {
  const devices: Device[] = [cpuDevice()];

  if (deps.platform === 'linux' || deps.platform === 'win32') {
    const gpus = (await deps.nvidiaGpus()) ?? [];
    const providerPresent = gpus.length > 0 && deps.cudaProviderPresent();
    for (const gpu of gpus) {
      devices.push({
        id: `cuda:${gpu.index}`,
        kind: 'cuda',
        provider: 'cuda',
        label: gpu.name,
        available: providerPresent,
        unavailableReason: providerPresent
          ? null
          : "onnxruntime's CUDA provider libraries are not installed",
      });
    }
  }
  if (deps.platform === 'win32') {
    devices.push(gpuDevice('dml', 'DirectML (default GPU)'));
  }
  if (deps.platform === 'darwin') {
    devices.push(gpuDevice('coreml', 'CoreML (Apple Neural Engine / GPU)'));
  }
  return devices;
}

function gpuDevice(kind: DeviceKind, label: string): Device {
  return { id: `${kind}:0`, kind, provider: kind, label, available: true, unavailableReason: null };
}

function defaultDiscoveryDeps(): DiscoveryDeps {
  return { platform: process.platform, nvidiaGpus: () => queryNvidiaSmi(), cudaProviderPresent };
}

/** onnxruntime-node ships the CUDA provider as a separate library next to its binding. */
function cudaProviderPresent(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('onnxruntime-node/package.json'));
    const binDir = join(root, 'bin', 'napi-v6', process.platform, process.arch);
    const library =
      process.platform === 'win32'
        ? 'onnxruntime_providers_cuda.dll'
        : 'libonnxruntime_providers_cuda.so';
    return existsSync(join(binDir, library));
  } catch {
    return false;
  }
}
