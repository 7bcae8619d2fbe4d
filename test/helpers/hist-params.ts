/** The tree parameters the hist-engine tests grow with (LightGBM-like defaults, quantised gradients). */
import type { HistTreeParams } from '../../src/backend/backend.js';

export const HIST_TREE_BASE: HistTreeParams = {
  maxLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  minDataToSplit: 0,
  minSumHessianInLeaf: 1e-3,
  minGainToSplit: 0,
  lambdaL1: 0,
  lambdaL2: 0,
  catSmooth: 10,
  catL2: 10,
  maxCatToOnehot: 4,
  featureFractionByNode: 1,
  seed: 12345,
  quantized: 1,
  randomThresholds: 0,
};
