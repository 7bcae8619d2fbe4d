/**
 * StackingClassifier and StackingRegressor (scikit-learn 1.2's): every member is fitted on all
 * rows, and the final estimator is fitted on the members' out-of-fold outputs (cross_val_predict
 * over the same splits for every member: StratifiedKFold for the classifier, KFold for the
 * regressor, unshuffled, when cv is a count), with the input columns appended under passthrough.
 * A classifier member gives the output `stackMethod` names ('auto': predictProba, else
 * decisionFunction, else predict); with two classes its probabilities lose their first column.
 */
import { accuracyScore } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { bool, custom, int, oneOf, optional, union, type ParamSpec, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { rowCount } from '../data/split/arrays.js';
import { LogisticRegression, Ridge } from '../models/linear/index.js';
import { crossValPredict } from '../selection/cross-val-predict.js';
import { resolveSplits, type CvOption } from '../selection/cv.js';
import {
  alignedProba,
  asColumns,
  checkMembers,
  ESTIMATORS,
  fitMembers,
  hstack,
  labelCodes,
  MemberEnsemble,
  type Member,
  requireMembers,
} from './ensemble-members.js';
import { cloneDeep, isEstimatorLike } from './params-path.js';

type StackMethod = 'predictProba' | 'decisionFunction' | 'predict';

interface StackingCommon {
  /** The members, [name, estimator | 'drop'] pairs with unique names; fit needs at least one. Default: [] (set by the constructor's required argument). */
  estimators: Member[];
  /** Fitted on the members' out-of-fold outputs (cloned). Default: undefined, scikit-learn's LogisticRegression (classifier) or a Ridge (regressor; see README). */
  finalEstimator: unknown;
  /** Fold count, a splitter, the splits, or 'prefit' (the members are fitted already and their outputs on X train the final estimator). Default: 5. */
  cv: CvOption | 'prefit';
  /** Append the input columns to the members' outputs. Default: false. */
  passthrough: boolean;
}

export interface StackingClassifierParams extends StackingCommon {
  /** Which output of each member: 'auto' (predictProba, else decisionFunction, else predict) or one method for all. Default: 'auto'. */
  stackMethod: 'auto' | StackMethod;
}

export type StackingRegressorParams = StackingCommon;

const FINAL = optional(custom<unknown>('a kiln estimator (something with fit)', isEstimatorLike, { probes: [1] }));
const CV = union(
  int({ min: 2 }),
  oneOf('prefit'),
  custom<CvOption>('a splitter or a list of splits', (v) => Array.isArray(v) || typeof (v as { split?: unknown })?.split === 'function'),
) as ParamSpec<CvOption | 'prefit'>;

const REGRESSOR_SPECS: ParamSpecs<StackingRegressorParams> = { estimators: ESTIMATORS, finalEstimator: FINAL, cv: CV, passthrough: bool() };
const CLASSIFIER_SPECS: ParamSpecs<StackingClassifierParams> = {
  ...REGRESSOR_SPECS,
  stackMethod: oneOf('auto', 'predictProba', 'decisionFunction', 'predict'),
};

interface StackState {
  names: string[];
  fitted: unknown[];
  methods: StackMethod[];
  final: unknown;
  /** Columns each member contributes to the final estimator's input. */
  outputs: number[];
  classes?: Label[];
}

/** The method each kept member stacks by. */
function stackMethods(members: readonly Member[], wanted: 'auto' | StackMethod, owner: string): StackMethod[] {
  const out: StackMethod[] = [];
  for (const [name, e] of members) {
    if (e === 'drop') continue;
    const has = (m: StackMethod) => typeof (e as Record<string, unknown>)[m] === 'function';
    const m = wanted === 'auto' ? (['predictProba', 'decisionFunction', 'predict'] as const).find(has) : wanted;
    if (!m || !has(m)) throw new ParamError(`${owner}: estimator '${name}' has no ${m ?? 'predict'} method; choose another stackMethod or drop it`);
    out.push(m);
  }
  return out;
}

/** A member's output as the final estimator's columns (class indices for predict; binary probabilities without their first column). */
function metaColumns(out: unknown, method: StackMethod, classes: readonly Label[] | undefined, owner: string): Matrix<Float64Array> {
  if (method === 'predict' && classes) return asColumns(Float64Array.from(labelCodes(out as Label[], classes, owner)));
  const m = asColumns(out);
  if (method === 'predictProba' && classes?.length === 2 && m.cols === 2)
    return new Matrix(
      Float64Array.from({ length: m.rows }, (_, r) => m.data[r * 2 + 1]),
      m.rows,
      1,
    );
  return m;
}

abstract class BaseStacking<P extends StackingCommon> extends MemberEnsemble<P> {
  protected state: StackState | undefined;

  protected abstract defaultFinal(): unknown;
  protected abstract methodsFor(members: readonly Member[]): StackMethod[];
  protected abstract get isClassifier(): boolean;

  protected override checkTogether(p: P): void {
    checkMembers(p.estimators, Object.keys(p), this.constructor.name);
    this.methodsFor(p.estimators);
  }

  /** The fitted members, in order ('drop' ones left out). */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).fitted];
  }

  /** The fitted members by name (scikit-learn's named_estimators_). */
  get namedEstimators(): Record<string, unknown> {
    const s = this.fitted(this.state);
    return Object.fromEntries(s.names.map((n, i) => [n, s.fitted[i]]));
  }

  /** The fitted final estimator. */
  get finalEstimator(): unknown {
    return this.fitted(this.state).final;
  }

  /** The method each fitted member stacks by (scikit-learn's stack_method_). */
  get stackMethods(): StackMethod[] {
    return [...this.fitted(this.state).methods];
  }

  protected async fitStack(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions, classes: Label[] | undefined): Promise<void> {
    const owner = `${this.constructor.name}.fit`;
    const { estimators, cv, passthrough } = this.params;
    const methods = this.methodsFor(estimators);
    let names: string[], fitted: unknown[];
    const columns: Matrix<Float64Array>[] = [];
    if (cv === 'prefit') {
      const kept = estimators.filter(([, e]) => e !== 'drop');
      names = kept.map(([n]) => n);
      fitted = kept.map(([, e]) => e);
      for (let j = 0; j < fitted.length; j++) columns.push(await this.memberColumns(fitted[j], methods[j], X, classes));
    } else {
      ({ names, fitted } = await fitMembers(estimators, X, y, opts.sampleWeight, opts.signal));
      const n = rowCount(X, `${owner}: X`);
      const splits = resolveSplits(cv, X, y, undefined, this.isClassifier, n, owner);
      const kept = estimators.filter(([, e]) => e !== 'drop');
      for (let j = 0; j < kept.length; j++) {
        const out = await crossValPredict(kept[j][1], X, y, {
          cv: splits,
          method: methods[j],
          ...(opts.sampleWeight ? { fitParams: { sampleWeight: opts.sampleWeight } } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        columns.push(metaColumns(out, methods[j], classes, owner));
      }
    }
    const meta = this.withPassthrough(columns, X, passthrough, owner);
    const final = cloneDeep(this.params.finalEstimator ?? this.defaultFinal()) as { fit: (...a: unknown[]) => Promise<unknown> };
    const fo = { ...(opts.sampleWeight ? { sampleWeight: opts.sampleWeight } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
    await (Object.keys(fo).length ? final.fit(meta, y, fo) : final.fit(meta, y));
    this.state = { names, fitted, methods, final, outputs: columns.map((c) => c.cols), ...(classes ? { classes } : {}) };
  }

  private async memberColumns(est: unknown, method: StackMethod, X: unknown, classes: Label[] | undefined): Promise<Matrix<Float64Array>> {
    const owner = this.constructor.name;
    if (method === 'predictProba' && classes) return metaColumns(await alignedProba(est, X, classes, owner), method, classes, owner);
    return metaColumns(await (est as Record<string, (X: unknown) => Promise<unknown>>)[method](X), method, classes, owner);
  }

  private withPassthrough(columns: Matrix<Float64Array>[], X: unknown, passthrough: boolean, owner: string): Matrix<Float64Array> {
    if (!passthrough) return hstack(columns);
    const Xm = readMatrix(X as never, `${owner}: X`, { nonFinite: 'keep' });
    return hstack([...columns, new Matrix(Float64Array.from(Xm.data), Xm.rows, Xm.cols)]);
  }

  /** The final estimator's input: every member's output on X (and X itself under passthrough). */
  async transform(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const columns: Matrix<Float64Array>[] = [];
      for (let j = 0; j < s.fitted.length; j++) columns.push(await this.memberColumns(s.fitted[j], s.methods[j], X, s.classes));
      return this.withPassthrough(columns, X, this.params.passthrough, `${this.constructor.name}.transform`);
    });
  }

  protected async finalCall(method: 'predict' | 'predictProba' | 'decisionFunction', X: unknown, opts: CallOptions): Promise<any> {
    this.callOptions(method, opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const final = this.fitted(this.state).final as Record<string, (X: unknown) => Promise<unknown>>;
      if (typeof final[method] !== 'function') throw new ParamError(`${this.constructor.name}.${method}: the final estimator has no ${method}`);
      return final[method](await this.transform(X));
    });
  }
}

export class StackingClassifier extends BaseStacking<StackingClassifierParams> {
  constructor(params: Partial<StackingClassifierParams> & Pick<StackingClassifierParams, 'estimators'>) {
    super({ estimators: [], finalEstimator: undefined, cv: 5, stackMethod: 'auto', passthrough: false }, params);
  }

  protected get paramSpecs(): ParamSpecs<StackingClassifierParams> {
    return CLASSIFIER_SPECS;
  }

  protected get isClassifier(): boolean {
    return true;
  }

  protected defaultFinal(): unknown {
    return new LogisticRegression();
  }

  protected methodsFor(members: readonly Member[]): StackMethod[] {
    return stackMethods(members, this.params?.stackMethod ?? 'auto', 'StackingClassifier');
  }

  protected override checkTogether(p: StackingClassifierParams): void {
    checkMembers(p.estimators, Object.keys(p), 'StackingClassifier');
    stackMethods(p.estimators, p.stackMethod, 'StackingClassifier');
  }

  get classes(): Label[] {
    return [...this.fitted(this.state?.classes)];
  }

  async fit(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    requireMembers(this.params.estimators, 'StackingClassifier.fit');
    return this.transaction(opts.signal, async () => {
      const { classes } = encodeLabels(y, 'StackingClassifier.fit: y');
      if (classes.length < 2) throw new ParamError('StackingClassifier.fit: y holds one class only; a classifier needs at least two');
      await this.fitStack(X, y, opts, classes);
    });
  }

  async predict(X: unknown, opts: CallOptions = {}): Promise<Label[]> {
    return this.finalCall('predict', X, opts);
  }

  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    return this.finalCall('predictProba', X, opts);
  }

  async decisionFunction(X: unknown, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    return this.finalCall('decisionFunction', X, opts);
  }

  /** Mean accuracy of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export class StackingRegressor extends BaseStacking<StackingRegressorParams> {
  constructor(params: Partial<StackingRegressorParams> & Pick<StackingRegressorParams, 'estimators'>) {
    super({ estimators: [], finalEstimator: undefined, cv: 5, passthrough: false }, params);
  }

  protected get paramSpecs(): ParamSpecs<StackingRegressorParams> {
    return REGRESSOR_SPECS;
  }

  protected get isClassifier(): boolean {
    return false;
  }

  /** scikit-learn's default is RidgeCV; kiln has no RidgeCV, so a Ridge with alpha 1. */
  protected defaultFinal(): unknown {
    return new Ridge();
  }

  protected methodsFor(members: readonly Member[]): StackMethod[] {
    return stackMethods(members, 'predict', 'StackingRegressor');
  }

  async fit(X: unknown, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    requireMembers(this.params.estimators, 'StackingRegressor.fit');
    return this.transaction(opts.signal, async () => {
      await this.fitStack(X, y as ArrayLike<Label>, opts, undefined);
    });
  }

  async predict(X: unknown, opts: CallOptions = {}): Promise<Float64Array> {
    return this.finalCall('predict', X, opts);
  }

  /** R² of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<number>): Promise<number> {
    return r2Score(Float64Array.from(y), await this.predict(X));
  }
}
