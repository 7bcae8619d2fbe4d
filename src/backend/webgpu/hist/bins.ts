/** The bins on the device: uploaded once per bins array and device, 4 per u32 word. */
import type { GpuRunner } from '../runner.js';
import { histGpuStats } from './layout.js';

export interface ResidentBins {
  runner: GpuRunner;
  buffer: GPUBuffer;
  words: number;
}

const residentBins = new WeakMap<Uint8Array, ResidentBins>();
// When the host array is collected, its device copy goes back to the pool (dispose() frees it with the device).
const releaseBins = new FinalizationRegistry<{ runner: GpuRunner; buffer: GPUBuffer }>(({ runner, buffer }) => {
  if (!runner.ctx.lost) runner.release(buffer);
});

/** The bins on the device, uploaded once per array and device (the arrays of a fit are never modified). */
export function binsOnDevice(r: GpuRunner, bins: Uint8Array, n: number, p: number): ResidentBins {
  const hit = residentBins.get(bins);
  if (hit && hit.runner === r) return hit;
  const words = Math.ceil(p / 4);
  let packed = bins;
  if (p % 4 !== 0) {
    packed = new Uint8Array(n * words * 4);
    for (let i = 0; i < n; i++) packed.set(bins.subarray(i * p, i * p + p), i * words * 4);
  }
  histGpuStats.binsUploads++;
  const buffer = r.alloc('hist bins', packed.byteLength);
  r.write(buffer, 0, packed);
  const entry = { runner: r, buffer, words };
  residentBins.set(bins, entry);
  releaseBins.register(bins, { runner: r, buffer });
  return entry;
}
