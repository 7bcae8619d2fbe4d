/**
 * One fresh process of the first-calls bench: 300 calls of a 256³ matmul on native, each output
 * fresh or the same `out` array (argv[2] = 'fresh' | 'out'); prints the per-call times as JSON.
 */
import { Matrix, matmul, Rng } from '../src/index.js';

const rng = new Rng(5);
const random = () =>
  new Matrix(
    Float32Array.from({ length: 256 * 256 }, () => rng.random() * 2 - 1),
    256,
    256,
  );
const a = random(),
  b = random();
const out = process.argv[2] === 'out' ? new Float32Array(256 * 256) : undefined;
const ms: number[] = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  await matmul(a, b, { backend: 'native', out });
  ms.push(performance.now() - t);
}
console.log(JSON.stringify(ms));
