/**
 * The MLP estimators' parameters: their documentation, defaults and declared checks (one place
 * for all three, as every estimator states them; mlp.ts holds the training and prediction).
 */
import type { BackendChoice, MlpActivation } from '../../backend/backend.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { bool, custom, hint, int, list, nullable, num, oneOf, optional, union, type ParamSpecs } from '../../core/params.js';
import type { Callback } from '../../training/callbacks.js';
import { CLASS_WEIGHT } from '../common/class-weight.js';

export interface MLPParams {
  /** Width of each hidden layer, in order (integers >= 1; [] for none: a linear model). Default: [100]. */
  hiddenLayerSizes: number[];
  /** Activation of the hidden layers: 'relu', 'tanh', 'logistic' or 'identity'. Default: 'relu'. */
  activation: MlpActivation;
  /** The optimiser: 'adam', 'adamw' (Adam with decoupled weight decay) or 'sgd' (with momentum). Default: 'adam'. */
  solver: 'adam' | 'adamw' | 'sgd';
  /** L2 penalty on the weights (scikit-learn's alpha), a number >= 0. Default: 1e-4. */
  alpha: number;
  /** Decoupled weight decay of 'adamw' (unused by the other solvers), a finite number >= 0. Default: 0.01. */
  weightDecay: number;
  /** Rows per mini-batch: an integer >= 1, or 'auto' for min(200, rows). Default: 'auto'. */
  batchSize: number | 'auto';
  /** The initial step size (callbacks such as ReduceLROnPlateau may change it), a number > 0. Default: 1e-3. */
  learningRateInit: number;
  /** Most epochs of fit (a resumed run counts the epochs before it). Default: 200. */
  maxIter: number;
  /** Shuffle the rows before each epoch. Default: true. */
  shuffle: boolean;
  /** Seed of the weight initialisation, the shuffles and dropout (any integer). Default: 0. */
  randomState: number;
  /**
   * Stop when the training loss has improved by less than tol (a number >= 0) for more than
   * nIterNoChange epochs in a row; null: never stop early. Default: 1e-4.
   */
  tol: number | null;
  /** Epochs without improvement (see tol) tolerated before fit stops, an integer >= 1. Default: 10. */
  nIterNoChange: number;
  /** Momentum of the 'sgd' solver, in [0, 1]. Default: 0.9. */
  momentum: number;
  /** Use Nesterov's momentum with the 'sgd' solver. Default: true. */
  nesterovs: boolean;
  /** Decay of Adam's first-moment estimate, in [0, 1). Default: 0.9. */
  beta1: number;
  /** Decay of Adam's second-moment estimate, in [0, 1). Default: 0.999. */
  beta2: number;
  /** Adam's numerical-stability term, a finite number > 0. Default: 1e-8. */
  epsilon: number;
  /** Share of hidden units dropped at each training step, in [0, 1) (above 0 needs the native backend). Default: 0. */
  dropout: number;
  /**
   * MLPClassifier: weights of the classes' losses, 'balanced' (n / (classes · count)) or a weight
   * per class label (1 for labels left out); undefined weighs every class 1. Default: undefined.
   */
  classWeight: 'balanced' | Record<string, number> | undefined;
  /** Training callbacks (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, …), called after each epoch and at the end. Not saved in a model file. Default: []. */
  callbacks: Callback[];
  /** Backend of the training and inference kernels; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

export const MLP_DEFAULTS: MLPParams = {
  hiddenLayerSizes: [100],
  activation: 'relu',
  solver: 'adam',
  alpha: 1e-4,
  weightDecay: 0.01,
  batchSize: 'auto',
  learningRateInit: 1e-3,
  maxIter: 200,
  shuffle: true,
  randomState: 0,
  tol: 1e-4,
  nIterNoChange: 10,
  momentum: 0.9,
  nesterovs: true,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  dropout: 0,
  classWeight: undefined,
  callbacks: [],
  backend: undefined,
};

/** The widest layer: widths travel to the native loop as 32-bit integers. */
const MAX_LAYER_WIDTH = 2 ** 31 - 1;

const isHook = (v: unknown) => v === undefined || typeof v === 'function';
const CALLBACK = custom<Callback>(
  'a callback (an object with onEpochEnd and/or onTrainEnd methods)',
  (v) => v !== null && typeof v === 'object' && isHook((v as Callback).onEpochEnd) && isHook((v as Callback).onTrainEnd),
  { plural: 'callbacks (objects with onEpochEnd and/or onTrainEnd methods)', probes: [{ onEpochEnd: 1 }] },
);

export const MLP_SPECS: ParamSpecs<MLPParams> = {
  hiddenLayerSizes: hint(list(int({ min: 1, max: MAX_LAYER_WIDTH })), 'a zero-width layer cannot learn'),
  activation: oneOf('relu', 'tanh', 'logistic', 'identity'),
  solver: oneOf('adam', 'adamw', 'sgd'),
  alpha: num({ min: 0 }),
  weightDecay: num({ min: 0, finite: true }),
  batchSize: union(oneOf('auto'), int({ min: 1 })),
  learningRateInit: num({ min: 0, minExclusive: true }),
  maxIter: int({ min: 1 }),
  shuffle: bool(),
  randomState: int(),
  tol: nullable(num({ min: 0 })),
  nIterNoChange: int({ min: 1 }),
  momentum: num({ min: 0, max: 1 }),
  nesterovs: bool(),
  beta1: num({ min: 0, max: 1, maxExclusive: true }),
  beta2: num({ min: 0, max: 1, maxExclusive: true }),
  epsilon: num({ min: 0, minExclusive: true, finite: true }),
  dropout: num({ min: 0, max: 1, maxExclusive: true }),
  classWeight: optional(CLASS_WEIGHT),
  callbacks: list(CALLBACK),
  backend: optional(BACKEND_CHOICE),
};
