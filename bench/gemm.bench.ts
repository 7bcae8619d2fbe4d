/**
 * SGEMM throughput, kiln native vs numpy on OpenBLAS, 1 and 2 threads, measured
 * in the same run and interleaved (this machine is shared and noisy), over the
 * square sizes and the tall-skinny shapes of k-NN tiles and MLP batches.
 * numpy runs when /usr/bin/python3 has numpy and threadpoolctl
 * (apt-get install python3-numpy python3-threadpoolctl libopenblas0-pthread).
 * Run: npm run bench -- gemm   (results in bench/results/gemm.json)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Matrix, matmul, Rng, setThreads } from '../src/index.js';
import { nativeAddon } from '../src/backend/native/index.js';
import { gflops, measure, writeResults } from './lib.js';

const SHAPES: [number, number, number][] = [
  [256, 256, 256],
  [1024, 1024, 1024],
  [2048, 2048, 2048],
  [100_000, 128, 28],
  [256, 128, 784],
];
const ROUNDS = 3;

interface Peer {
  blas: string[];
  time(m: number, n: number, k: number, threads: number, seconds: number): Promise<number>;
  close(): void;
}

/** Starts the numpy helper, or returns null (with the reason printed) when it cannot run. */
async function startNumpy(): Promise<Peer | null> {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // set on some machines for old OpenBLAS builds; they slow a current one
  delete env.OPENBLAS_L2_SIZE;
  const child = spawn('/usr/bin/python3', [fileURLToPath(new URL('./peers/numpy_gemm.py', import.meta.url))], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('numpy helper exited');
    return JSON.parse(r.value);
  };
  try {
    child.on('error', () => {});
    const hello = await next();
    return {
      blas: hello.blas,
      async time(m, n, k, threads, seconds) {
        child.stdin.write(`${JSON.stringify({ m, n, k, threads, seconds })}\n`);
        return (await next()).medianMs;
      },
      close: () => child.stdin.end(),
    };
  } catch (e) {
    console.warn(`numpy peer unavailable (${(e as Error).message}); timing kiln only`);
    child.kill();
    return null;
  }
}

function random(rng: Rng, rows: number, cols: number): Matrix<Float32Array> {
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.random() * 2 - 1;
  return new Matrix(d, rows, cols);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchGemm(): Promise<void> {
  const info = nativeAddon().info();
  console.log(`kiln native: ${info.gemmKernel} micro-kernel, up to ${info.threads} threads`);
  const peer = await startNumpy();
  if (peer) console.log(`numpy peer: ${peer.blas.join(', ')}`);
  const rng = new Rng(1);
  const rows: Record<string, unknown>[] = [];
  for (const [m, n, k] of SHAPES) {
    const a = random(rng, m, k),
      b = random(rng, k, n);
    for (const threads of [1, 2]) {
      const kilnMs: number[] = [],
        blasMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        setThreads(threads);
        const t = await measure({ kiln: () => matmul(a, b, { backend: 'native', allowNonFinite: true }) }, { time: 400 });
        kilnMs.push(t.kiln.medianMs);
        if (peer) {
          blasMs.push(await peer.time(m, n, k, threads, 0.4));
          // OpenBLAS workers spin for a while after each call before they sleep:
          // let them settle so they do not steal the core kiln's next round runs on.
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
      const kiln = median(kilnMs);
      const row: Record<string, unknown> = {
        shape: `${m}x${k}·${k}x${n}`,
        threads,
        kilnGflops: +gflops(m, n, k, kiln).toFixed(1),
      };
      if (peer) {
        const blas = median(blasMs);
        row.openblasGflops = +gflops(m, n, k, blas).toFixed(1);
        row.ratio = +(blas / kiln).toFixed(2);
      }
      rows.push(row);
    }
  }
  setThreads(info.threads);
  peer?.close();
  console.table(rows);
  console.log(`results: ${writeResults('gemm', { kernel: info.gemmKernel, peer: peer?.blas ?? null, rows })}`);
}
