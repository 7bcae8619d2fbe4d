/** kiln loads and computes in two worker_threads at once (context-aware addon). */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Matrix, matmul } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { requireDist, script } from '../helpers/dist.js';

function runWorker(data: object): Promise<{ c: Float32Array; mean: Float64Array }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script('worker-compute.mjs'), { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

describe.each(available.filter((b) => b !== 'webgpu'))('worker_threads on %s', (backend) => {
  it('two workers load kiln and compute at the same time, matching the main thread', async () => {
    requireDist();
    const n = 96;
    const [r1, r2] = await Promise.all([runWorker({ n, seed: 1, backend }), runWorker({ n, seed: 2, backend })]);
    for (const [r, seed] of [
      [r1, 1],
      [r2, 2],
    ] as const) {
      const a = new Float32Array(n * n).map((_, i) => Math.sin(i + seed));
      const expected = await matmul(new Matrix(a, n, n), new Matrix(a, n, n), { backend });
      expect(Array.from(r.c)).toEqual(Array.from(expected.data));
      expect(r.mean.length).toBe(n);
    }
    expect(Array.from(r1.c)).not.toEqual(Array.from(r2.c));
  });
});
