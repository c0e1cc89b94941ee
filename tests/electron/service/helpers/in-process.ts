/**
 * The service in the test's own process, reached through the in-memory transport pair and the
 * same wire protocol, for tests that drive time with a manual clock or wrap the engine.
 */
import type { ConfigPatch } from '../../../../shared/contract';
import type { Clock } from '../../../../electron/service/clock';
import type { Device } from '../../../../electron/service/devices/device-discovery';
import type { MemoryProbe } from '../../../../electron/service/devices/memory-probes';
import { silentLogger } from '../../../../electron/service/logger';
import {
  startService,
  type OcrService,
  type ServiceOptions,
} from '../../../../electron/service/service';
import { inMemoryTransportPair } from '../../../../electron/service/transport/adapters';
import { TransportClient } from '../../../../electron/service/transport/rpc';

export interface InProcessService {
  service: OcrService;
  client: TransportClient;
  close(): Promise<void>;
}

export async function startInProcess(options: {
  dataDir: string;
  clock?: Clock;
  devices?: Device[];
  memoryProbes?: MemoryProbe[];
  engineFactory?: ServiceOptions['engineFactory'];
  configOverrides?: ConfigPatch;
}): Promise<InProcessService> {
  const service = await startService({ ...options, logger: silentLogger });
  const [serviceEnd, clientEnd] = inMemoryTransportPair();
  service.attach(serviceEnd);
  const client = new TransportClient(clientEnd);
  return {
    service,
    client,
    async close() {
      client.close();
      await service.close();
    },
  };
}

/** A GPU as device discovery would report it, for tests on a machine without one. */
export function fakeGpu(id = 'cuda:0'): Device {
  return {
    id,
    kind: 'cuda',
    provider: 'cuda',
    label: 'Test GPU (fake)',
    available: true,
    unavailableReason: null,
  };
}

/** Reports fixed memory figures for the fake GPU; the CPU goes on to the real probes. */
export function fakeGpuProbe(id: string, usedMb: number, totalMb: number): MemoryProbe {
  return {
    name: 'fake-gpu',
    read: async (deviceId) => (deviceId === id ? { usedMb, totalMb } : null),
  };
}
