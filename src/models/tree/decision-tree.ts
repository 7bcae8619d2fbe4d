/**
 * Decision trees (scikit-learn's DecisionTreeClassifier / DecisionTreeRegressor): the bagged-trees
 * learner with one tree, every row and every feature.
 */
import { hint, nullable, oneOf, type ParamSpecs } from '../../core/params.js';
import { CLASS_WEIGHT, type ClassWeight } from '../common/class-weight.js';
import { BaseForestClassifier, BaseForestRegressor, TREE_DEFAULTS, TREE_SPECS, type TreeParams } from './forest-base.js';

/** The forest parameters a decision tree holds fixed (one tree on every row); the constructor's type leaves them out. */
const SINGLE_TREE = { nEstimators: 1, bootstrap: false, maxSamples: null as number | null };

type SingleTree = typeof SINGLE_TREE;

function singleTreeSpecs(forest: string): ParamSpecs<SingleTree> {
  const why = `a decision tree is one tree on every row; use ${forest} for an ensemble`;
  return { nEstimators: hint(oneOf(1), why), bootstrap: hint(oneOf(false), why), maxSamples: hint(oneOf(null), why) };
}

export interface DecisionTreeClassifierParams extends TreeParams {
  /**
   * Weights of the classes: 'balanced' (n / (classes · count)) or a weight per class label (1 for
   * labels left out), multiplying the rows' sample weights; null weighs every class 1. Default: null.
   */
  classWeight: ClassWeight | null;
}

const CLASSIFIER_SPECS: ParamSpecs<DecisionTreeClassifierParams & SingleTree> = {
  ...TREE_SPECS,
  ...singleTreeSpecs('RandomForestClassifier'),
  classWeight: nullable(CLASS_WEIGHT),
};
const REGRESSOR_SPECS: ParamSpecs<TreeParams & SingleTree> = { ...TREE_SPECS, ...singleTreeSpecs('RandomForestRegressor') };

/** One CART-style tree (Gini) on binned features. */
export class DecisionTreeClassifier extends BaseForestClassifier<DecisionTreeClassifierParams & SingleTree> {
  constructor(params: Partial<DecisionTreeClassifierParams> = {}) {
    super({ ...TREE_DEFAULTS, ...SINGLE_TREE, classWeight: null }, params);
  }

  protected get paramSpecs(): ParamSpecs<DecisionTreeClassifierParams & SingleTree> {
    return CLASSIFIER_SPECS;
  }
}

/** One regression tree (squared error) on binned features. */
export class DecisionTreeRegressor extends BaseForestRegressor<TreeParams & SingleTree> {
  constructor(params: Partial<TreeParams> = {}) {
    super({ ...TREE_DEFAULTS, ...SINGLE_TREE }, params);
  }

  protected get paramSpecs(): ParamSpecs<TreeParams & SingleTree> {
    return REGRESSOR_SPECS;
  }
}
