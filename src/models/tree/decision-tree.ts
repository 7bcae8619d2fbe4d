/**
 * Decision trees (scikit-learn's DecisionTreeClassifier / DecisionTreeRegressor): the bagged-trees
 * learner with one tree, every row and every feature.
 */
import { ParamError } from '../../core/errors.js';
import type { ClassWeight } from '../common/class-weight.js';
import { BaseForestClassifier, BaseForestRegressor, TREE_DEFAULTS, type TreeParams } from './forest-base.js';

const SINGLE_TREE = { nEstimators: 1, bootstrap: false, maxSamples: null as number | null };

export interface DecisionTreeClassifierParams extends TreeParams { classWeight: ClassWeight | null }

/** One CART-style tree (Gini) on binned features. */
export class DecisionTreeClassifier extends BaseForestClassifier<DecisionTreeClassifierParams & typeof SINGLE_TREE> {
  constructor(params: Partial<DecisionTreeClassifierParams> = {}) {
    super({ ...TREE_DEFAULTS, ...SINGLE_TREE, classWeight: null }, params);
  }

  protected override checkParams(p: DecisionTreeClassifierParams & typeof SINGLE_TREE): void {
    super.checkParams(p);
    checkSingleTree(p, 'DecisionTreeClassifier');
  }
}

/** One regression tree (squared error) on binned features. */
export class DecisionTreeRegressor extends BaseForestRegressor<TreeParams & typeof SINGLE_TREE> {
  constructor(params: Partial<TreeParams> = {}) {
    super({ ...TREE_DEFAULTS, ...SINGLE_TREE }, params);
  }

  protected override checkParams(p: TreeParams & typeof SINGLE_TREE): void {
    super.checkParams(p);
    checkSingleTree(p, 'DecisionTreeRegressor');
  }
}

function checkSingleTree(p: { nEstimators: number; bootstrap: boolean; maxSamples: number | null }, owner: string): void {
  if (p.nEstimators !== 1 || p.bootstrap || p.maxSamples !== null) {
    throw new ParamError(`${owner}: a decision tree has no nEstimators, bootstrap or maxSamples; use RandomForest${owner.slice(12)} for an ensemble`);
  }
}
