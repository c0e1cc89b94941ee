import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoverDevices } from '../../../electron/service/devices/device-discovery';
import {
  nvidiaSmiProbe,
  parseNvidiaSmi,
  processMemoryProbe,
  readMemory,
  type MemoryProbe,
} from '../../../electron/service/devices/memory-probes';

const SMI_OUTPUT = '0, NVIDIA GeForce RTX 3060, 12288, 1024\n1, Tesla T4, 15360, 0\n';

test('nvidia-smi output is parsed per GPU', () => {
  assert.deepEqual(parseNvidiaSmi(SMI_OUTPUT), [
    { index: 0, name: 'NVIDIA GeForce RTX 3060', totalMb: 12288, usedMb: 1024 },
    { index: 1, name: 'Tesla T4', totalMb: 15360, usedMb: 0 },
  ]);
  assert.deepEqual(parseNvidiaSmi('NVIDIA-SMI has failed\n'), []);
});

test('the probe chain: the CPU from the process, GPUs from nvidia-smi, unknown stays null', async () => {
  const broken: MemoryProbe = { name: 'broken', read: () => Promise.reject(new Error('boom')) };
  const probes = [
    broken,
    processMemoryProbe,
    nvidiaSmiProbe(async () => parseNvidiaSmi(SMI_OUTPUT)),
  ];
  const cpu = await readMemory(probes, 'cpu');
  assert.ok(cpu.usedMb! > 10 && cpu.totalMb! >= cpu.usedMb!);
  assert.deepEqual(await readMemory(probes, 'cuda:1'), { usedMb: 0, totalMb: 15360 });
  assert.deepEqual(await readMemory(probes, 'cuda:7'), { usedMb: null, totalMb: null });
  assert.deepEqual(await readMemory(probes, 'dml:0'), { usedMb: null, totalMb: null });
  const noSmi = nvidiaSmiProbe(async () => null);
  assert.deepEqual(await readMemory([noSmi], 'cuda:0'), { usedMb: null, totalMb: null });
});

test('discovery: the CPU always; CUDA GPUs usable only with the provider libraries', async () => {
  const gpus = async () => parseNvidiaSmi(SMI_OUTPUT);
  const without = await discoverDevices({
    platform: 'linux',
    nvidiaGpus: gpus,
    cudaProviderPresent: () => false,
  });
  assert.deepEqual(
    without.map((d) => [d.id, d.available]),
    [
      ['cpu', true],
      ['cuda:0', false],
      ['cuda:1', false],
    ],
  );
  assert.match(without[1].unavailableReason ?? '', /CUDA provider libraries/);
  const withLibs = await discoverDevices({
    platform: 'linux',
    nvidiaGpus: gpus,
    cudaProviderPresent: () => true,
  });
  assert.equal(withLibs[1].available, true);
  const windows = await discoverDevices({
    platform: 'win32',
    nvidiaGpus: async () => null,
    cudaProviderPresent: () => false,
  });
  assert.deepEqual(
    windows.map((d) => d.id),
    ['cpu', 'dml:0'],
  );
  const mac = await discoverDevices({
    platform: 'darwin',
    nvidiaGpus: gpus,
    cudaProviderPresent: () => true,
  });
  assert.deepEqual(
    mac.map((d) => d.id),
    ['cpu', 'coreml:0'],
  );
  const here = await discoverDevices();
  assert.equal(here[0].id, 'cpu');
});
