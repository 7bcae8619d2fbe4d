/**
 * scikit-learn's double-underscore parameter paths ('model__alpha', 'sel__estimator__C') over any
 * nesting of pipelines and estimators whose parameters hold estimators, and the deep clone that
 * goes with them (a clone shares no estimator with its original, so setting a nested parameter
 * on the clone leaves the original as it was).
 */
import { ParamError } from '../core/errors.js';

export interface Parameterised {
  getParams(): Record<string, unknown>;
  setParams(params: Record<string, unknown>): unknown;
}

/** An estimator, transformer or pipeline (anything with fit). */
export function isEstimatorLike(v: unknown): v is { fit: (...a: any[]) => unknown } {
  return v !== null && typeof v === 'object' && typeof (v as { fit?: unknown }).fit === 'function';
}

/** scikit-learn's `estimators` parameter of the ensembles: [name, estimator | 'drop'] pairs. */
export type NamedEstimators = readonly (readonly [string, unknown])[];

/** The [name, estimator] pairs of a meta-estimator's `estimators` parameter, or undefined when it has none. */
export function namedMembers(target: unknown): NamedEstimators | undefined {
  if (!hasParams(target)) return undefined;
  const list = target.getParams().estimators;
  return Array.isArray(list) && list.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string') ? (list as NamedEstimators) : undefined;
}

function hasParams(v: unknown): v is Parameterised {
  return isEstimatorLike(v) && typeof (v as Partial<Parameterised>).getParams === 'function' && typeof (v as Partial<Parameterised>).setParams === 'function';
}

/** Splits 'a__b__c' into ['a', 'b__c']; a key without '__' has no rest. */
function head(key: string): [string, string | undefined] {
  const at = key.indexOf('__');
  return at < 0 ? [key, undefined] : [key.slice(0, at), key.slice(at + 2)];
}

/**
 * The nested part of `params` grouped by the parameter (or step) that holds it:
 * { direct: { alpha: 1 }, nested: Map { 'model' => { C: 2 } } }.
 */
export function groupParamPaths(
  params: Record<string, unknown>,
  owner: string,
): { direct: Record<string, unknown>; nested: Map<string, Record<string, unknown>> } {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ParamError(`${owner}.setParams: parameters must be an object`);
  const direct: Record<string, unknown> = {};
  const nested = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(params)) {
    const [h, rest] = head(key);
    if (rest === undefined || rest === '') direct[key] = value;
    else {
      if (!nested.has(h)) nested.set(h, {});
      nested.get(h)![rest] = value;
    }
  }
  return { direct, nested };
}

/**
 * Sets parameters by path on `target`, in place (as scikit-learn's set_params): direct keys by
 * its own setParams, 'name__rest' on the estimator held by its parameter (or step) `name`.
 */
export function setParamPaths(target: unknown, params: Record<string, unknown>, owner = (target as object)?.constructor?.name ?? 'estimator'): void {
  if (!hasParams(target)) throw new ParamError(`${owner} has no setParams, so parameters cannot be set on it`);
  if ((typeof (target as { steps?: unknown }).steps === 'object' && Array.isArray((target as { steps?: unknown }).steps)) || namedMembers(target)) {
    target.setParams(params); // a Pipeline (an ensemble) resolves its own step (member) paths
    return;
  }
  const { direct, nested } = groupParamPaths(params, owner);
  if (Object.keys(direct).length) target.setParams(direct);
  const current = target.getParams();
  for (const [name, sub] of nested) {
    const inner = current[name];
    if (!(name in current)) throw new ParamError(`${owner}: unknown parameter '${name}'; known parameters are ${Object.keys(current).join(', ')}`);
    if (!hasParams(inner)) throw new ParamError(`${owner}: parameter '${name}' does not hold an estimator, so '${name}__…' paths cannot reach into it`);
    setParamPaths(inner, sub, `${owner}.${name}`);
  }
}

/** Every parameter by path: own ones, and 'name__param' for each estimator a parameter holds. */
export function deepParams(target: Parameterised): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(target.getParams())) {
    out[k] = v;
    if (hasParams(v)) for (const [k2, v2] of Object.entries(deepParams(v))) out[`${k}__${k2}`] = v2;
  }
  // an ensemble's members by name, and their parameters as 'name__param' (scikit-learn's get_params(deep=True))
  for (const [name, member] of namedMembers(target) ?? []) {
    out[name] = member;
    if (hasParams(member)) for (const [k2, v2] of Object.entries(deepParams(member))) out[`${name}__${k2}`] = v2;
  }
  return out;
}

/** An unfitted copy that shares no estimator with `est` (its parameters' estimators are cloned too). */
export function cloneDeep<T>(est: T): T {
  if (!isEstimatorLike(est) || typeof (est as { clone?: unknown }).clone !== 'function') {
    throw new ParamError(`clone: expected an estimator, transformer or pipeline with a clone method, got ${String((est as object)?.constructor?.name ?? est)}`);
  }
  const copy = (est as unknown as { clone(): T }).clone();
  if (hasParams(copy) && !Array.isArray((copy as { steps?: unknown }).steps)) {
    const nested = Object.entries(copy.getParams()).filter(([, v]) => isEstimatorLike(v) && typeof (v as { clone?: unknown }).clone === 'function');
    if (nested.length) copy.setParams(Object.fromEntries(nested.map(([k, v]) => [k, cloneDeep(v)])));
    const members = namedMembers(copy);
    if (members) copy.setParams({ estimators: members.map(([n, m]) => [n, isEstimatorLike(m) ? cloneDeep(m) : m]) });
  }
  return copy;
}
