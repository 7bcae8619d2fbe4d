/**
 * The machine a benchmark ran on, as kiln bench reports it: enough to tell two runs apart (CPU,
 * cores, the SIMD kiln chose, the GPU adapter, versions, the load when it started).
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { backends } from '../backend/index.js';
import { kilnVersion } from '../deploy/version.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  platform: string;
  memoryGb: number;
  freeMemoryGb: number;
  /** 1, 5 and 15-minute load averages when the run started (a busy machine times slower). */
  loadAverage: [number, number, number];
  node: string;
  kiln: string;
  /** Every backend: whether it runs here, and what runs it (SIMD and threads, GPU adapter) or why not. */
  backends: { name: string; available: boolean; description: string; reason?: string }[];
}

export async function describeMachine(): Promise<MachineInfo> {
  const c = cpus();
  const [l1, l5, l15] = loadavg();
  const gb = (b: number) => Math.round((b / 2 ** 30) * 10) / 10;
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    platform: `${process.platform}-${process.arch}`,
    memoryGb: gb(totalmem()),
    freeMemoryGb: gb(freemem()),
    loadAverage: [l1, l5, l15],
    node: process.version,
    kiln: kilnVersion(),
    backends: (await backends()).map((b) => ({
      name: b.name,
      available: b.available,
      description: b.description,
      ...(b.reason ? { reason: b.reason } : {}),
    })),
  };
}
