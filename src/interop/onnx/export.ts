/**
 * toOnnx: a fitted kiln model (or a Pipeline of them) → the bytes of an ONNX model that
 * onnxruntime runs. One float input [N, features]; outputs as skl2onnx names them: `label` and
 * `probabilities` (a tensor, no ZipMap) for classifiers, `variable` for regressors and
 * transformers. Models read here by their fitted fields (the state-hooks of src/deploy do
 * the same): when a class changes how it holds its state, the interop tests fail.
 */
import { NotFittedError, ParamError, UnsupportedError } from '../../core/errors.js';
import { ColumnTransformer } from '../../compose/column-transformer.js';
import { Pipeline } from '../../compose/pipeline.js';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../../models/ensemble/index.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../models/tree/index.js';
import { ElasticNet, LinearRegression, LinearSVC, LogisticRegression, Ridge, SGDClassifier, SGDRegressor } from '../../models/linear/index.js';
import { GaussianNB, MultinomialNB } from '../../models/naive-bayes/index.js';
import { MLPClassifier, MLPRegressor } from '../../models/neural/index.js';
import { MaxAbsScaler, MinMaxScaler, OneHotEncoder, OrdinalEncoder, RobustScaler, SimpleImputer, StandardScaler } from '../../preprocessing/index.js';
import { columnTransformer, standaloneEncoder } from './columns.js';
import { kilnVersion } from '../../deploy/version.js';
import { GraphBuilder, resolveOptions, type OnnxOptions } from './graph.js';
import { gaussianNB, multinomialNB } from './bayes.js';
import { linearClassifier, linearRegressor, type LinearFit, type ProbabilityMap } from './linear.js';
import { mlpClassifier, mlpRegressor, type MlpNet } from './mlp.js';
import { imputer, scaler, type Columns, type ImputerState } from './transformers.js';
import { treeClassifier, treeRegressor, type TreeState } from './trees.js';
import { HIST_LOG_LINK } from '../../backend/contract/hist.js';

// Fitted fields are read by name, as src/deploy/state-hooks.ts does.
type Any = any;

/** Fitted state held in a protected field, or E_NOT_FITTED. */
function field<T>(model: object, name: string, owner: string): T {
  const v = (model as Any)[name];
  if (v === undefined || v === null) throw new NotFittedError(owner);
  return v as T;
}

const TREES = [
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  DecisionTreeClassifier,
  DecisionTreeRegressor,
];
const SCALERS = [StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler];
const LINEAR = [LogisticRegression, LinearSVC, SGDClassifier, LinearRegression, Ridge, ElasticNet, SGDRegressor];
const isAny = (model: object, classes: readonly (abstract new (...a: never[]) => object)[]) => classes.some((C) => model instanceof C);

/** How many input columns a step reads (E_NOT_FITTED before fit, E_UNSUPPORTED for a class without a converter). */
function featuresIn(model: object, owner: string): number {
  const m = model as Any;
  if (model instanceof Pipeline) return featuresIn(model.steps[0][1] as object, owner);
  if (isAny(model, TREES)) return m.nFeaturesIn;
  if (isAny(model, SCALERS)) return field<{ shift: Float64Array }>(model, 'affine', owner).shift.length;
  if (model instanceof MLPClassifier || model instanceof MLPRegressor) return field<{ net: MlpNet }>(model, 'state', owner).net.sizes[0];
  if (model instanceof SimpleImputer) return field<ImputerState>(model, 'state', `${owner} (fitted on numbers)`).cols;
  if (model instanceof GaussianNB) return model.theta.cols;
  if (model instanceof MultinomialNB) return model.featureLogProb.cols;
  if (model instanceof ColumnTransformer || model instanceof OneHotEncoder || model instanceof OrdinalEncoder) return -1; // typed inputs per column
  if (isAny(model, LINEAR)) return m.coef instanceof Float64Array ? m.coef.length : m.coef.cols;
  throw new UnsupportedError(`${owner} has no ONNX converter (see the README's interoperability section for the list)`);
}

function transformStep(g: GraphBuilder, model: object, x: string, owner: string): Columns | null {
  const m = model as Any;
  if (model instanceof StandardScaler || model instanceof MinMaxScaler || model instanceof MaxAbsScaler || model instanceof RobustScaler) {
    return scaler(g, (model as Any).affine, x, owner);
  }
  if (model instanceof SimpleImputer)
    return imputer(g, (model as Any).state as ImputerState | undefined, m.params.missingValues, m.params.addIndicator, x, owner);
  return null;
}

function linearFitOf(coef: Float64Array | { data: Float64Array; rows: number; cols: number }, intercept: number | Float64Array): LinearFit {
  if (coef instanceof Float64Array) return { coef, intercept: [intercept as number], columns: 1, features: coef.length };
  return { coef: coef.data, intercept: typeof intercept === 'number' ? [intercept] : intercept, columns: coef.rows, features: coef.cols };
}

/** The final step: writes the graph's outputs. False when the model is not a predictor kiln exports. */
function finalStep(g: GraphBuilder, model: object, x: string, owner: string): boolean {
  const m = model as Any;
  if (model instanceof GradientBoostingClassifier) treeClassifier(g, field<TreeState>(model, 'state', owner), model.classes, 'boosting', x, owner);
  else if (model instanceof RandomForestClassifier || model instanceof ExtraTreesClassifier || model instanceof DecisionTreeClassifier)
    treeClassifier(g, field<TreeState>(model, 'state', owner), model.classes, 'forest', x, owner);
  else if (model instanceof GradientBoostingRegressor)
    treeRegressor(g, field<TreeState>(model, 'state', owner), x, owner, HIST_LOG_LINK.has(model.getParams().loss));
  else if (model instanceof RandomForestRegressor || model instanceof ExtraTreesRegressor || model instanceof DecisionTreeRegressor)
    treeRegressor(g, field<TreeState>(model, 'state', owner), x, owner);
  else if (model instanceof LogisticRegression || model instanceof LinearSVC || model instanceof SGDClassifier) {
    let map: ProbabilityMap = 'none';
    if (model instanceof LogisticRegression) map = 'softmax';
    else if (model instanceof SGDClassifier) map = m.params.loss === 'log_loss' ? 'logistic' : m.params.loss === 'modified_huber' ? 'modified_huber' : 'none';
    linearClassifier(g, linearFitOf(m.coef, m.intercept), model.classes, map, x, owner);
  } else if (model instanceof LinearRegression || model instanceof Ridge || model instanceof ElasticNet || model instanceof SGDRegressor)
    linearRegressor(g, linearFitOf(m.coef, m.intercept), x);
  else if (model instanceof GaussianNB)
    gaussianNB(
      g,
      { theta: model.theta.data, variance: model.variance.data, prior: model.classPrior, classes: model.classes, features: model.theta.cols },
      x,
      owner,
    );
  else if (model instanceof MultinomialNB)
    multinomialNB(
      g,
      { featureLogProb: model.featureLogProb.data, classLogPrior: model.classLogPrior, classes: model.classes, features: model.featureLogProb.cols },
      x,
      owner,
    );
  else if (model instanceof MLPClassifier) mlpClassifier(g, field<{ net: MlpNet }>(model, 'state', owner).net, model.classes, x, owner);
  else if (model instanceof MLPRegressor) mlpRegressor(g, field<{ net: MlpNet }>(model, 'state', owner).net, x, owner);
  else return false;
  return true;
}

/**
 * The ONNX model of a fitted kiln model: tree ensembles, linear models, naive Bayes, MLPs,
 * scalers and the numeric imputer, and Pipelines of these. What ONNX cannot express (a
 * categorical split, a model without a converter) is E_UNSUPPORTED, naming the part.
 */
export function toOnnx(model: unknown, options: OnnxOptions = {}): Uint8Array {
  if (typeof model !== 'object' || model === null)
    throw new ParamError(`toOnnx: model must be a fitted kiln model, got ${model === null ? 'null' : typeof model}`);
  const opts = resolveOptions(options);
  const g = new GraphBuilder(opts);
  const steps: [string, object][] = model instanceof Pipeline ? model.steps.map(([n, s]) => [n, s as object]) : [['model', model]];
  const owner = (name: string, s: object) => `toOnnx: ${model instanceof Pipeline ? `Pipeline step '${name}' (${s.constructor.name})` : s.constructor.name}`;
  const p = featuresIn(steps[0][1], owner(...steps[0]));
  let x = '',
    cols = p,
    from = 0;
  const first = steps[0][1];
  if (first instanceof ColumnTransformer || first instanceof OneHotEncoder || first instanceof OrdinalEncoder) {
    const out =
      first instanceof ColumnTransformer
        ? columnTransformer(g, first, (gb, step, input, _cols, who) => transformStep(gb, step, input, who), owner(...steps[0]), options.columnNames)
        : standaloneEncoder(g, first, owner(...steps[0]));
    x = out.name;
    cols = out.cols;
    from = 1;
    if (steps.length === 1) {
      g.node('Identity', [x], ['=variable']);
      g.output('variable', 'float', ['N', cols]);
    }
  } else {
    x = g.input(opts.inputName, 'float', ['N', p]);
  }
  for (let i = from; i < steps.length; i++) {
    const [name, step] = steps[i];
    const who = owner(name, step);
    const last = i === steps.length - 1;
    if (last && finalStep(g, step, x, who)) break;
    const out = transformStep(g, step, x, who);
    if (!out) throw new UnsupportedError(`${who} has no ONNX converter (see the README's interoperability section for the list)`);
    x = out.name;
    cols = out.cols;
    if (last) {
      g.node('Identity', [x], ['=variable']);
      g.output('variable', 'float', ['N', cols]);
    }
  }
  return g.encode(`kiln ${kilnVersion()}: ${steps.map(([, s]) => s.constructor.name).join(' → ')}`);
}
