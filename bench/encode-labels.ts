/**
 * encodeLabels on the mlp bench's 100,000 labels of 10 classes: the integer labels (coded through a
 * table indexed by the label) against the same labels plus 0.5 (the same 10 classes, coded through
 * the checked Set and Map path), alternating; the median ms of each over 30 warm calls.
 * Usage: npx tsx bench/encode-labels.ts
 */
import { encodeLabels } from '../src/core/labels.js';
import { mlpBenchData } from './mlp.bench.js';

const { y } = mlpBenchData();
const ints = Array.from(y),
  halves = ints.map((v) => v + 0.5);
const table: number[] = [],
  map: number[] = [];
for (let r = 0; r < 40; r++) {
  for (const [labels, out] of r % 2
    ? ([
        [halves, map],
        [ints, table],
      ] as const)
    : ([
        [ints, table],
        [halves, map],
      ] as const)) {
    const t = performance.now();
    encodeLabels(labels, 'y');
    if (r >= 10) out.push(performance.now() - t);
  }
}
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1].toFixed(2);
console.log(`integer labels (table) median ${med(table)} ms; the same labels + 0.5 (Set and Map) median ${med(map)} ms`);
