/**
 * The hist family's logistic gradients call alone, on 2.4M rows (the gbdt bench's training size):
 * median and fastest wall ms of 40 calls into the same arrays — for A/B runs of the gradients
 * kernel (swap the addon between runs).
 * Usage: npx tsx bench/gbdt-gradients.ts   (THREADS=n, default 2)
 */
import { setThreads } from '../src/index.js';
import { treeBackend } from '../src/models/tree/engine.js';

const N = 2_400_000,
  CALLS = 40;
setThreads(Number(process.env.THREADS ?? 2));
const backend = await treeBackend('native', 0, 'bench');
const y = Float64Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : 0));
const scores = Float64Array.from({ length: N }, (_, i) => ((i * 7) % 101) / 50 - 1);
const gradHess = new Float64Array(2 * N);
const ms: number[] = [];
for (let c = 0; c < CALLS; c++) {
  const t0 = performance.now();
  await backend.gradients('logistic', N, 1, y, scores, null, 1, gradHess);
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ medianMs: +ms[CALLS / 2].toFixed(2), minMs: +ms[0].toFixed(2) }));
