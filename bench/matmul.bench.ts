/**
 * matmul throughput per backend (GFLOP/s), square shapes and the tall-skinny
 * shapes of k-NN tiles and MLP batches. webgpu is timed only on a hardware
 * adapter (lavapipe proves correctness, not speed).
 * Run: npm run bench -- matmul   (results in bench/results/matmul.json)
 */
import { backends, Matrix, matmul, Rng, type BackendName } from '../src/index.js';
import { gflops, measure, writeResults } from './lib.js';

function random(rng: Rng, rows: number, cols: number): Matrix<Float32Array> {
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.random() * 2 - 1;
  return new Matrix(d, rows, cols);
}

export async function benchMatmul(): Promise<void> {
  const list = await backends();
  const timed: BackendName[] = list.filter((b) => b.available && (b.name !== 'webgpu' || b.hardware)).map((b) => b.name);
  const shapes: [number, number, number][] = [
    [64, 64, 64],
    [256, 256, 256],
    [1024, 1024, 1024],
    [10000, 128, 28],
    [256, 128, 784],
  ];
  const rng = new Rng(1);
  const rows: Record<string, unknown>[] = [];
  for (const [m, n, k] of shapes) {
    const a = random(rng, m, k),
      b = random(rng, k, n);
    const fns: Record<string, () => Promise<unknown>> = {};
    for (const backend of timed) {
      if (backend === 'js' && m * n * k > 256 ** 3) continue; // minutes, not seconds
      fns[backend] = () => matmul(a, b, { backend, allowNonFinite: true });
    }
    const t = await measure(fns, { time: 1000 });
    for (const [backend, timing] of Object.entries(t)) {
      const row = { shape: `${m}x${k} · ${k}x${n}`, backend, medianMs: +timing.medianMs.toFixed(3), gflops: +gflops(m, n, k, timing.medianMs).toFixed(2) };
      rows.push(row);
    }
  }
  console.table(rows);
  console.log(`results: ${writeResults('matmul', rows)}`);
}
