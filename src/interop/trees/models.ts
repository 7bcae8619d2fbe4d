/**
 * Foreign trees as kiln's own gradient-boosting models (the same classes `fit` returns), so
 * they predict on kiln's fast predictor and go through model files, the registry and the server.
 */
import type { Label } from '../../core/labels.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../models/ensemble/index.js';
import type { TreeEnsemble } from '../../models/tree/ensemble.js';

/** The fitted state a boosting model holds (models/ensemble/gradient-boosting.ts, BoostingState; set by field name). */
function state(ensemble: TreeEnsemble, baseScore: Float64Array, rounds: number) {
  return { ensemble, baseScore, features: ensemble.features, trainLoss: [], validLoss: null, bestIteration: rounds };
}

export function boostedClassifier(ensemble: TreeEnsemble, baseScore: Float64Array, classes: Label[], rounds: number): GradientBoostingClassifier {
  const m = new GradientBoostingClassifier({ nEstimators: Math.max(1, rounds) });
  Object.assign(m, { state: state(ensemble, baseScore, rounds), labels: classes });
  return m;
}

export function boostedRegressor(ensemble: TreeEnsemble, baseScore: number, rounds: number): GradientBoostingRegressor {
  const m = new GradientBoostingRegressor({ nEstimators: Math.max(1, rounds) });
  Object.assign(m, { state: state(ensemble, Float64Array.of(baseScore), rounds) });
  return m;
}
