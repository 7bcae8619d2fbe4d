/**
 * The third objective of the study bench: 5-fold cross-validated log loss of gradient boosting
 * (50 rounds) over 5 parameters — learning rate, leaves, depth, rows per leaf, L2 — on a fixed
 * synthetic binary task (3,000 rows × 10 features, a nonlinear logit, drawn from kiln's seeded
 * Rng). The arrays are written once to a file the Optuna peer reads (bench/peers/optuna_gb.py),
 * which fits scikit-learn's HistGradientBoostingClassifier over the same parameters on the same
 * stratified unshuffled folds.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/core/prng.js';
import { crossValScore, GradientBoostingClassifier, type Trial } from '../src/index.js';

export const GB_ROWS = 3000;
export const GB_FEATURES = 10;

/** The task: X row-major, y in {0, 1}. */
export function gbData(): { X: number[][]; y: number[] } {
  const rng = new Rng(2026);
  const X: number[][] = [],
    y: number[] = [];
  for (let i = 0; i < GB_ROWS; i++) {
    const x = Array.from({ length: GB_FEATURES }, () => rng.normal());
    const logit = 1.5 * x[0] * x[1] + 2 * Math.sin(2 * x[2]) + x[3] - 0.7 * x[4] * x[4] + 0.5 * x[5] + 0.3;
    X.push(x);
    y.push(rng.random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  return { X, y };
}

/** Writes X then y as little-endian float64 (what the peer reads with numpy.fromfile). */
export function writeGbData(path: string, d: { X: number[][]; y: number[] }): void {
  const buf = new Float64Array(GB_ROWS * (GB_FEATURES + 1));
  d.X.forEach((r, i) => buf.set(r, i * GB_FEATURES));
  buf.set(d.y, GB_ROWS * GB_FEATURES);
  writeFileSync(path, Buffer.from(buf.buffer));
}

/** The objective on `d`: mean 5-fold log loss (minimise). */
export function gbObjective(d: { X: number[][]; y: number[] }): (trial: Trial) => Promise<number> {
  return async (trial) => {
    const model = new GradientBoostingClassifier({
      nEstimators: 50,
      learningRate: trial.suggestFloat('learningRate', 0.01, 0.5, { log: true }),
      maxLeaves: trial.suggestInt('maxLeaves', 4, 64, { log: true }),
      maxDepth: trial.suggestInt('maxDepth', 2, 10),
      minDataInLeaf: trial.suggestInt('minDataInLeaf', 1, 100, { log: true }),
      lambdaL2: trial.suggestFloat('lambdaL2', 1e-3, 10, { log: true }),
      randomState: 0,
    });
    const scores = await crossValScore(model, d.X, d.y, { cv: 5, scoring: 'neg_log_loss' });
    return -scores.reduce((a, b) => a + b, 0) / scores.length;
  };
}
