/**
 * The order kernels on 1,000,000 doubles (normal draws, a few NaNs and ties): kiln's sortedCopy
 * and argsortStable (native radix sort over the bit patterns) vs Float64Array#sort (V8's comparison
 * sort, what the statistics used before) and numpy's sort / stable argsort on the same array in
 * the same run (bench/peers/numpy_sort.py). The permutations are checked to agree with numpy's.
 * Run: npm run bench -- order   (KILN_ORDER_ROWS overrides the size; results in bench/results/order.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/index.js';
import { argsortStable, sortedCopy } from '../src/ops/sort.js';
import { measure, runPeer, writeResults } from './lib.js';

export async function benchOrder(): Promise<void> {
  const rows = Number(process.env.KILN_ORDER_ROWS ?? 1_000_000);
  const rng = new Rng(11);
  const x = new Float64Array(rows);
  // rounded to 1e-4 so that ties are common (a stable argsort must keep their index order)
  for (let i = 0; i < rows; i++) x[i] = i % 9973 === 0 ? Number.NaN : Math.round(rng.normal() * 1e4) / 1e4;
  const t = await measure({
    'kiln sortedCopy': () => sortedCopy(x),
    'Float64Array#sort': () => x.slice().sort(),
    'kiln argsortStable': () => argsortStable(x),
  });
  const dir = mkdtempSync(join(tmpdir(), 'kiln-order-'));
  let peer: { sortMs: number; sortStableMs: number; argsortStableMs: number; orderSample: number[] } | undefined;
  try {
    writeFileSync(join(dir, 'x.f64'), x);
    peer = runPeer('numpy', 'numpy_sort.py', [join(dir, 'x.f64')])[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const order = argsortStable(x);
  const step = Math.max(1, Math.floor(rows / 64));
  const sameOrder = peer ? peer.orderSample.every((v, k) => order[k * step] === v) : null;
  const ms = (name: string) => +t[name].medianMs.toFixed(2);
  const result = {
    rows,
    sortMs: {
      kiln: ms('kiln sortedCopy'),
      float64ArraySort: ms('Float64Array#sort'),
      numpy: peer && +peer.sortMs.toFixed(2),
      numpyStable: peer && +peer.sortStableMs.toFixed(2),
    },
    argsortMs: { kiln: ms('kiln argsortStable'), numpyStable: peer && +peer.argsortStableMs.toFixed(2) },
    sameOrderAsNumpy: sameOrder,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`results: ${writeResults('order', result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOrder();
