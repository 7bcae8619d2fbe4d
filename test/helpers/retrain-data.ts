/** The retraining tests' data and pipeline (kiln train / kiln retrain, locally, on workers, on PostgreSQL). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** n rows of x1, x2 in [−1, 1) and y = (x1 + ½·x2 > 0 ? yes : no), a `flip` share of labels flipped at random. */
export function writeRetrainData(dir: string, file: string, n: number, seed: number, flip: number): void {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const lines = ['x1,x2,y'];
  for (let i = 0; i < n; i++) {
    const x1 = rand() * 2 - 1,
      x2 = rand() * 2 - 1;
    let y = x1 + 0.5 * x2 > 0 ? 'yes' : 'no';
    if (rand() < flip) y = y === 'yes' ? 'no' : 'yes';
    lines.push(`${x1},${x2},${y}`);
  }
  writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
}

/** A pipeline config training LogisticRegression on `source` (`extra` goes into its data section). */
export const retrainConfig = (source: string, extra = '') => `data: { source: ${source}${extra} }
target: y
task: classification
features: { numeric: [x1, x2] }
split: { method: random, testSize: 0.25, seed: 3, stratify: true }
model: { class: LogisticRegression }
metrics: [accuracy, logLoss]
output: m.kiln
`;
