/**
 * The first calls of a process: 256³ matmul on native, 300 calls in a fresh process, each call's
 * output fresh (every new output lands on heap pages not touched before, until the GC returns the
 * earlier ones) or one `out` array reused. Medians by call range, three alternating processes each.
 * Run: npm run bench -- first-calls   (results in bench/results/first-calls.json)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeResults } from './lib.js';

const CHILD = fileURLToPath(new URL('./first-calls-child.ts', import.meta.url));
const RANGES: [number, number][] = [
  [0, 10],
  [10, 50],
  [50, 130],
  [130, 200],
  [200, 300],
];
const median = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];

export async function benchFirstCalls(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (let run = 1; run <= 3; run++) {
    for (const mode of ['fresh', 'out']) {
      const ms = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', CHILD, mode], { encoding: 'utf8' }).trim().split('\n').pop()!) as number[];
      const row: Record<string, string | number> = { run, output: mode };
      for (const [lo, hi] of RANGES) row[`calls ${lo}–${hi - 1} ms`] = +median(ms.slice(lo, hi)).toFixed(3);
      rows.push(row);
    }
  }
  console.table(rows);
  console.log(`results: ${writeResults('first-calls', rows)}`);
}
