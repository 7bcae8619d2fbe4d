/**
 * What pinning costs (#15): every async native call makes the ArrayBuffers it uses
 * untransferable before the kernel starts (native/binding/env_state.h). This suite times the
 * same async calls with the loader's pin and with a no-op pin, one after the other in one process, so
 * the ratio is measured in one run. Sizes are above the inline limits, so every call is async.
 * Run: npm run bench -- pin   (results in bench/results/pin.json)
 */
import { markAsUntransferable } from 'node:worker_threads';
import { nativeAddon } from '../src/backend/native/index.js';
import { columnStats, Matrix, matmul, NearestNeighbors, Rng } from '../src/index.js';
import { measure, writeResults } from './lib.js';

function random(rng: Rng, rows: number, cols: number): Matrix<Float32Array> {
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.random() * 2 - 1;
  return new Matrix(d, rows, cols);
}

export async function benchPin(): Promise<void> {
  const addon = nativeAddon();
  const rng = new Rng(3);
  const a512 = random(rng, 512, 512),
    b512 = random(rng, 512, 512);
  const tall = random(rng, 200_000, 16);
  const base = random(rng, 20_000, 16),
    queries = random(rng, 2_000, 16);
  const nn = await new NearestNeighbors({ nNeighbors: 10, backend: 'native' }).fit(base);
  const calls: Record<string, () => Promise<unknown>> = {
    'matmul 512³': () => matmul(a512, b512, { backend: 'native' }),
    'columnStats 200000×16': () => columnStats(tall, { backend: 'native' }),
    'kneighbors 2000 of 20000×16, k=10': () => nn.kneighbors(queries),
  };
  const pinned = (buffer: ArrayBufferLike) => markAsUntransferable(buffer);
  const unpinned = () => {};
  const rows: Record<string, unknown>[] = [];
  for (const [name, call] of Object.entries(calls)) {
    const t = await measure(
      {
        pinned: async () => {
          addon.setPin(pinned);
          return call();
        },
        unpinned: async () => {
          addon.setPin(unpinned);
          return call();
        },
      },
      { time: 1500 },
    );
    addon.setPin(pinned);
    rows.push({
      call: name,
      pinnedMs: +t.pinned.medianMs.toFixed(4),
      unpinnedMs: +t.unpinned.medianMs.toFixed(4),
      overheadPercent: +((t.pinned.medianMs / t.unpinned.medianMs - 1) * 100).toFixed(2),
    });
  }
  console.table(rows);
  console.log(`results: ${writeResults('pin', rows)}`);
}
