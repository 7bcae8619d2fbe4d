/**
 * WebGPU suites: SGEMM GFLOP/s at 1024, 2048, 4096 and elementwise / reduction GB/s,
 * on device-resident matrices (GpuMatrix), timed to queue completion. On a CPU
 * adapter (lavapipe) they run at small sizes only, to show the path works: WGSL
 * speed is measured on real GPUs (see bench/gpu-device.sh).
 * Run: npm run bench -- gpu   (results in bench/results/gpu.json)
 */
import { add, backends, columnStats, Matrix, matmul, Rng, softmax, toGpu, type GpuMatrix } from '../src/index.js';
import { resolveBackend } from '../src/backend/select.js';
import type { WebGpuBackend } from '../src/backend/webgpu/backend.js';
import { writeResults } from './lib.js';

function random(rng: Rng, rows: number, cols: number): Matrix<Float32Array> {
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.random() * 2 - 1;
  return new Matrix(d, rows, cols);
}

/** Median ms per call of `op` (device work included: each batch waits for the queue). */
async function timeDevice(op: () => Promise<GpuMatrix | unknown>, minMs: number): Promise<number> {
  const r = await ((await resolveBackend('webgpu', 0)) as WebGpuBackend).runner();
  const run = async (n: number) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const out = await op();
      if (out && typeof (out as GpuMatrix).dispose === 'function') (out as GpuMatrix).dispose();
    }
    await r.device.queue.onSubmittedWorkDone();
    return (performance.now() - t) / n;
  };
  await run(2); // pipelines compile at first dispatch
  const samples: number[] = [];
  const deadline = performance.now() + minMs;
  while (samples.length < 3 || (performance.now() < deadline && samples.length < 15)) samples.push(await run(3));
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

export async function benchGpu(): Promise<void> {
  const gpu = (await backends()).find((b) => b.name === 'webgpu')!;
  if (!gpu.available) {
    console.log(`webgpu unavailable: ${gpu.reason}`);
    return;
  }
  console.log(`adapter: ${gpu.description}`);
  const hardware = gpu.hardware === true;
  const rng = new Rng(3);
  const rows: Record<string, unknown>[] = [];
  for (const n of hardware ? [1024, 2048, 4096] : [256]) {
    const a = await toGpu(random(rng, n, n)),
      b = await toGpu(random(rng, n, n));
    const ms = await timeDevice(() => matmul(a, b), hardware ? 2000 : 300);
    rows.push({ op: `sgemm ${n}³`, ms: +ms.toFixed(3), rate: `${((2 * n ** 3) / ms / 1e6).toFixed(1)} GFLOP/s` });
    a.dispose();
    b.dispose();
  }
  const n = hardware ? 64 * 1024 * 1024 : 1024 * 1024; // elements
  const cols = 256;
  const x = await toGpu(random(rng, n / cols, cols)),
    y = await toGpu(random(rng, n / cols, cols));
  const bytes = n * 4;
  const addMs = await timeDevice(() => add(x, y), hardware ? 2000 : 300);
  rows.push({ op: `add ${n / cols}×${cols}`, ms: +addMs.toFixed(3), rate: `${((3 * bytes) / addMs / 1e6).toFixed(1)} GB/s` });
  const smMs = await timeDevice(() => softmax(x), hardware ? 2000 : 300);
  rows.push({ op: `softmax ${n / cols}×${cols}`, ms: +smMs.toFixed(3), rate: `${((2 * bytes) / smMs / 1e6).toFixed(1)} GB/s` });
  const csMs = await timeDevice(() => columnStats(x), hardware ? 2000 : 300);
  rows.push({ op: `columnStats ${n / cols}×${cols}`, ms: +csMs.toFixed(3), rate: `${(bytes / csMs / 1e6).toFixed(1)} GB/s` });
  x.dispose();
  y.dispose();
  console.table(rows);
  if (!hardware) console.log('CPU adapter: these figures only show that the path works.');
  console.log(`results: ${writeResults('gpu', { adapter: gpu.description, hardware, rows })}`);
}
