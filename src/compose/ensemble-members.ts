/**
 * What the ensembles built from named members share (VotingClassifier / VotingRegressor,
 * StackingClassifier / StackingRegressor): the `estimators` parameter as scikit-learn's
 * [name, estimator | 'drop'] pairs, its checks, 'name__param' paths into the members, fitting
 * a clone of every member, and reading the members' outputs as matrices over the ensemble's classes.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { Estimator } from '../core/estimator.js';
import type { Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { checkParamSpecs, custom, type ParamSpec } from '../core/params.js';
import { cloneDeep, groupParamPaths, isEstimatorLike, setParamPaths } from './params-path.js';

/** A member: an unfitted estimator (cloned on fit), or 'drop' to leave it out. */
export type Member = [name: string, estimator: unknown];

// Empty until set (as a Pipeline-like default); fit refuses an empty list (requireMembers).
export const ESTIMATORS: ParamSpec<Member[]> = custom<Member[]>(
  "an array of [name, estimator | 'drop'] pairs",
  (v) => Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string'),
  { probes: [[['a']], 'lr'] },
);

/** fit's check that there is something to fit: a constructed ensemble may hold no members yet. */
export function requireMembers(members: readonly Member[], owner: string): void {
  if (members.length === 0) throw new ParamError(`${owner}: estimators is empty; pass at least one [name, estimator] pair`);
}

/** The members' own checks: unique names that are not parameter names, estimators with fit, at least one kept. */
export function checkMembers(members: readonly Member[], paramNames: readonly string[], owner: string): void {
  const seen = new Set<string>();
  for (const [name, est] of members) {
    if (name === '' || name.includes('__'))
      throw new ParamError(`${owner}: estimator name '${name}' must be non-empty and hold no '__' (it addresses 'name__param' paths)`);
    if (seen.has(name)) throw new ParamError(`${owner}: estimator name '${name}' is used twice; names must be unique`);
    if (paramNames.includes(name)) throw new ParamError(`${owner}: estimator name '${name}' is also a parameter name; rename the estimator`);
    if (est !== 'drop' && !isEstimatorLike(est)) throw new ParamError(`${owner}: estimator '${name}' has no fit method; pass a kiln estimator or 'drop'`);
    seen.add(name);
  }
  if (members.length > 0 && members.every(([, e]) => e === 'drop')) throw new ParamError(`${owner}: every estimator is 'drop'; keep at least one`);
}

/** The weights (one per member, 'drop' ones included, as scikit-learn) checked against the members. */
export function checkWeights(weights: readonly number[] | null, members: readonly Member[], owner: string): void {
  if (weights !== null && weights.length !== members.length)
    throw new ParamError(`${owner}: weights has ${weights.length} entries but there are ${members.length} estimators; pass one weight per estimator`);
}

/** An estimator whose `estimators` parameter holds named members, addressable as 'name' and 'name__param'. */
export abstract class MemberEnsemble<P extends { estimators: Member[] }> extends Estimator<P> {
  /**
   * Sets parameters as scikit-learn's set_params: own parameters, a member replaced by its name
   * (`{ lr: new LogisticRegression({ C: 2 }) }` or 'drop'), or a member's parameter by path
   * (`{ lr__C: 2 }`). Every key is checked before anything changes.
   */
  override setParams(params: Partial<P> & Record<string, unknown>): this {
    const owner = this.constructor.name;
    const { direct, nested } = groupParamPaths(params, owner);
    // a new member list is checked as a whole first: the paths below read it as [name, estimator] pairs
    if ('estimators' in direct) checkParamSpecs(owner, { estimators: direct.estimators }, { estimators: ESTIMATORS });
    const own: Record<string, unknown> = {},
      replace = new Map<string, unknown>();
    const names = ((direct.estimators as Member[] | undefined) ?? this.getParams().estimators).map(([n]) => n);
    for (const [k, v] of Object.entries(direct)) names.includes(k) && !(k in this.getParams()) ? replace.set(k, v) : (own[k] = v);
    const ownNested = new Map([...nested].filter(([k]) => !names.includes(k)));
    for (const k of ownNested.keys())
      if (!(k in this.getParams())) throw new ParamError(`${owner}: unknown parameter or estimator '${k}'; the estimators are ${names.join(', ')}`);
    const members = ((own.estimators as Member[] | undefined) ?? this.getParams().estimators).map(
      ([n, e]) => [n, replace.has(n) ? replace.get(n) : e] as Member,
    );
    if (replace.size || own.estimators !== undefined) own.estimators = members;
    const before = this.getParams();
    super.setParams(own as Partial<P>); // the constructor's checks, before the members' paths change anything
    const targets = [...nested].map(([name, sub]) => {
      const target = names.includes(name) ? members.find(([n]) => n === name)![1] : (this.getParams() as Record<string, unknown>)[name];
      try {
        if (target === 'drop') throw new ParamError(`${owner}: estimator '${name}' is 'drop'; it has no parameters`);
        setParamPaths(cloneDeep(target), sub, `${owner} estimator '${name}'`); // a dry run: a bad path changes nothing
      } catch (e) {
        super.setParams(before);
        throw e;
      }
      return [target, sub, name] as const;
    });
    for (const [target, sub, name] of targets) setParamPaths(target, sub, `${owner} estimator '${name}'`);
    return this;
  }
}

/** Fitted clones of the kept members, in order, each on all rows. */
export async function fitMembers(
  members: readonly Member[],
  X: unknown,
  y: unknown,
  sampleWeight: ArrayLike<number> | undefined,
  signal: AbortSignal | undefined,
): Promise<{ names: string[]; fitted: unknown[] }> {
  const names: string[] = [],
    fitted: unknown[] = [];
  for (const [name, est] of members) {
    if (est === 'drop') continue;
    signal?.throwIfAborted();
    const clone = cloneDeep(est) as { fit: (...a: unknown[]) => Promise<unknown> };
    const opts = { ...(sampleWeight ? { sampleWeight } : {}), ...(signal ? { signal } : {}) };
    await (Object.keys(opts).length ? clone.fit(X, y, opts) : clone.fit(X, y));
    names.push(name);
    fitted.push(clone);
  }
  return { names, fitted };
}

/** A member's output as a dense matrix: a Matrix as it is, a vector as one column. */
export function asColumns(out: unknown): Matrix<Float64Array> {
  if (out instanceof Matrix) return new Matrix(Float64Array.from(out.data), out.rows, out.cols);
  const v = Float64Array.from(out as ArrayLike<number>);
  return new Matrix(v, v.length, 1);
}

/** A member's class labels mapped to the ensemble's class indices (a label it does not know is an error). */
export function labelCodes(pred: ArrayLike<Label>, classes: readonly Label[], owner: string): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from({ length: pred.length }, (_, i) => {
    const k = index.get(pred[i]);
    if (k === undefined) throw new ShapeError(`${owner}: a member predicted ${String(pred[i])}, which is not one of the classes seen in fit`);
    return k;
  });
}

/** predictProba of a member, its columns placed at the ensemble's classes (a class the member never saw gets 0). */
export async function alignedProba(est: unknown, X: unknown, classes: readonly Label[], owner: string): Promise<Matrix<Float64Array>> {
  const m = est as { predictProba?: (X: unknown) => Promise<unknown>; classes?: Label[] };
  if (typeof m.predictProba !== 'function') throw new ParamError(`${owner}: ${(est as object).constructor.name} has no predictProba`);
  const p = asColumns(await m.predictProba(X));
  const own = m.classes ?? classes;
  if (own.length === classes.length && own.every((c, i) => c === classes[i])) return p;
  const at = labelCodes(own, classes, owner);
  const out = new Float64Array(p.rows * classes.length);
  for (let r = 0; r < p.rows; r++) for (let k = 0; k < p.cols; k++) out[r * classes.length + at[k]] = p.data[r * p.cols + k];
  return new Matrix(out, p.rows, classes.length);
}

/** Matrices side by side (same rows). */
export function hstack(parts: readonly Matrix<Float64Array>[]): Matrix<Float64Array> {
  const rows = parts[0].rows,
    cols = parts.reduce((s, m) => s + m.cols, 0);
  const out = new Float64Array(rows * cols);
  let off = 0;
  for (const m of parts) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < m.cols; c++) out[r * cols + off + c] = m.data[r * m.cols + c];
    off += m.cols;
  }
  return new Matrix(out, rows, cols);
}
