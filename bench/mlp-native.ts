/**
 * The mlp bench's network trained straight through one build of the addon (`mlpEpochSync`, Adam,
 * batch 256), for the tools that compare builds or memory placements epoch by epoch in one process
 * (bench/mlp-ab.ts, bench/mlp-layout.ts).
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { mlpParamCount } from '../src/backend/contract/mlp.js';
import type { NativeAddon } from '../src/backend/native/addon.js';
import { Rng } from '../src/index.js';
import { mlpBenchData } from './mlp.bench.js';

export type AddonBuild = NativeAddon & { setThreads(n: number): number };

/** Weights, Adam's moments and step count: what an epoch updates. */
export interface EpochState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  step: Float64Array;
}

/** Loads a kiln.node file (any build, beside the one kiln itself loads) on `threads` threads. */
export function loadBuild(path: string, threads: number): AddonBuild {
  const addon = createRequire(import.meta.url)(resolve(path)) as AddonBuild;
  addon.setThreads(threads);
  return addon;
}

/** The bench's data and network, its initial weights, and the generator that shuffles the rows. */
export function benchNetwork(): { X: Float32Array; y: Int32Array; sizes: Int32Array; total: number; init: Float32Array; rng: Rng } {
  const { X, y } = mlpBenchData();
  const sizes = Int32Array.from([X.length / y.length, 128, 128, 10]);
  const total = mlpParamCount(sizes);
  const rng = new Rng(3);
  return { X, y, sizes, total, init: Float32Array.from({ length: total }, () => rng.normal() * 0.05), rng };
}

/** One epoch of `net` on `state` in the rows' `order`; returns its wall time in ms. */
export function timedEpoch(addon: AddonBuild, net: ReturnType<typeof benchNetwork>, state: EpochState, order: Int32Array): number {
  const loss = new Float64Array(1);
  const t0 = performance.now();
  addon.mlpEpochSync(
    net.sizes,
    1,
    0,
    state.params,
    net.X,
    net.y.length,
    net.y,
    null,
    order,
    256,
    0,
    7,
    1,
    1e-3,
    1e-4,
    0,
    0.9,
    true,
    0.9,
    0.999,
    1e-8,
    state.m,
    state.v,
    state.step,
    loss,
    null,
  );
  return performance.now() - t0;
}

/** "min … q25 … median … ms/epoch" of a list of epoch times. */
export function summary(times: number[]): string {
  const at = (f: number): string => [...times].sort((p, q) => p - q)[Math.floor(f * (times.length - 1))].toFixed(1);
  return `min ${at(0)}  q25 ${at(0.25)}  median ${at(0.5)} ms/epoch`;
}
