// Runs inside a worker_thread: loads kiln (and its native addon) and computes.
import { parentPort, workerData } from 'node:worker_threads';
import { Matrix, matmul, columnStats } from '../../dist/index.js';

const { n, seed, backend } = workerData;
const a = new Float32Array(n * n).map((_, i) => Math.sin(i + seed));
const c = await matmul(new Matrix(a, n, n), new Matrix(a, n, n), { backend });
const s = await columnStats(new Matrix(a, n, n), { backend });
parentPort.postMessage({ c: c.data, mean: s.mean });
