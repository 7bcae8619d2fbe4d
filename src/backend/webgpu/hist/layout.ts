/**
 * The WebGPU hist engine's device layout, shared by its parts: work-item sizes, record and slot
 * widths (they match shaders/hist.wgsl), limits, and the counters tests and benchmarks read.
 */
import type { GpuRunner } from '../runner.js';

export const UNIFORM = 0x40,
  COPY_DST = 0x08;
export const BUILD_ROWS = 4096; // positions per hist_build work item (4096 x 127 < 2^19: the packed hessian sums stay exact)
export const PART_ROWS = 1024; // positions per partition block (4 per invocation)
export const KMAX = 8; // candidates returned per (leaf, feature)
export const REC_WORDS = 52; // 2 + 6 * KMAX, padded to 16 bytes
export const SLOT_WORDS = 5; // per bin slot: g lo, g hi, h lo, h hi, count
export const SPLIT_WORDS = 16;
export const NODE_WORDS = 16;
/** Rows per tree with quantised gradients (the native engine's limit, for the same reason). */
export const HIST_GPU_MAX_ROWS = 16_000_000;
export const POOL_BYTES = 512 * 1024 * 1024; // bound on pooled leaf histograms

/** Counters for tests and benchmarks (cumulative). */
export const histGpuStats = { trees: 0, rounds: 0, readbacks: 0, fallbackFeatures: 0, candidates: 0, binsUploads: 0 };

/** A positive integer from the environment (tuning and test knobs), else undefined. */
export function envInt(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

/** Reads a buffer back to the host, counted in histGpuStats.readbacks. */
export function readBack(r: GpuRunner, buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  histGpuStats.readbacks++;
  return r.read(buffer, bytes);
}
