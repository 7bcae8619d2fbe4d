/**
 * BalancedRandomForestClassifier (imbalanced-learn 0.10's): a random forest whose every tree first
 * under-samples the classes at random to the sampling strategy's counts ('auto': every class but
 * the minority down to the minority's count; with or without replacement), then grows on a
 * bootstrap of that subset (maxSamples of all n rows, at most the subset's size). Trees on
 * kiln's hist engine, draws from kiln's seeded Rng (not numpy's).
 */
import type { Rng } from '../core/prng.js';
import { bool, type ParamSpecs } from '../core/params.js';
import { BaseForestClassifier, FOREST_CLASSIFIER_SPECS, TREE_DEFAULTS, type ForestClassifierParams, type RowClasses } from '../models/tree/forest-base.js';
import { resamplingTargets, underSampleRows, type SamplerOptions, UNDER_SAMPLING_STRATEGY_SPEC } from './random-samplers.js';

export interface BalancedRandomForestClassifierParams extends ForestClassifierParams {
  /**
   * Rows each tree keeps per class before its bootstrap: 'auto' (every class but the minority down
   * to the minority's count), 'all', 'majority', 'not minority', 'not majority', or a count per class label. Default: 'auto'.
   */
  samplingStrategy: NonNullable<SamplerOptions['samplingStrategy']>;
  /** Under-sample with replacement. Default: false. */
  replacement: boolean;
}

const SPECS: ParamSpecs<BalancedRandomForestClassifierParams> = {
  ...FOREST_CLASSIFIER_SPECS,
  samplingStrategy: UNDER_SAMPLING_STRATEGY_SPEC,
  replacement: bool(),
};

export class BalancedRandomForestClassifier extends BaseForestClassifier<BalancedRandomForestClassifierParams> {
  constructor(params: Partial<BalancedRandomForestClassifierParams> = {}) {
    super(
      {
        ...TREE_DEFAULTS,
        nEstimators: 100,
        bootstrap: true,
        maxSamples: null,
        maxFeatures: 'sqrt',
        classWeight: null,
        samplingStrategy: 'auto',
        replacement: false,
      },
      params,
    );
  }

  protected get paramSpecs(): ParamSpecs<BalancedRandomForestClassifierParams> {
    return SPECS;
  }

  /** The balanced subset, then a bootstrap of it (or the subset once, without bootstrap). */
  protected override drawRows(counts: Float64Array, rng: Rng, perTree: number, rows: RowClasses | undefined): void {
    const p = this.params;
    const { codes, labels } = rows!;
    const members: number[][] = labels.map(() => []);
    codes.forEach((c, i) => members[c].push(i));
    const target = resamplingTargets(
      p.samplingStrategy,
      labels,
      members.map((m) => m.length),
      false,
      this.constructor.name,
    );
    const subset = underSampleRows(members, target, rng, p.replacement);
    counts.fill(0);
    if (!p.bootstrap) {
      for (const i of subset) counts[i]++;
      return;
    }
    // imbalanced-learn's: the forest's bootstrap size (maxSamples of all n rows), at most the subset's size
    const m = subset.length;
    const draws = Math.min(perTree, m);
    for (let j = 0; j < draws; j++) counts[subset[rng.int(m)]]++;
  }
}
