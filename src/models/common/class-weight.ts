/** Class weights ('balanced' or per label), shared by every classifier that takes classWeight. */
import { ParamError } from '../../core/errors.js';
import { encodeLabels, type Label } from '../../core/labels.js';
import { num, oneOf, record, union } from '../../core/params.js';

export type ClassWeight = 'balanced' | Record<string, number>;

/** A classWeight parameter: 'balanced' or a plain object of weights by label (whether the labels occur is checked at fit). */
export const CLASS_WEIGHT = union(oneOf('balanced'), record(num({ min: 0, finite: true })));

/**
 * The weight of each class (in `classes` order): 'balanced' gives n / (classes · count), as
 * scikit-learn does; an object gives its value per label (1 for labels it leaves out).
 */
export function classWeights(cw: ClassWeight, classes: readonly Label[], codes: Int32Array, owner: string): Float64Array {
  const K = classes.length,
    out = new Float64Array(K).fill(1);
  if (cw === 'balanced') {
    const counts = new Float64Array(K);
    for (const c of codes) counts[c]++;
    for (let k = 0; k < K; k++) out[k] = counts[k] > 0 ? codes.length / (K * counts[k]) : 1;
    return out;
  }
  if (typeof cw !== 'object' || cw === null) throw new ParamError(`${owner}: classWeight must be 'balanced' or an object { label: weight }`);
  for (const [label, w] of Object.entries(cw)) {
    const k = classes.findIndex((c) => String(c) === label);
    if (k < 0) throw new ParamError(`${owner}: classWeight names class '${label}', which is not in y`);
    if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw new ParamError(`${owner}: classWeight['${label}'] must be a finite number >= 0`);
    out[k] = w;
  }
  return out;
}

/** scikit-learn's compute_class_weight: the weight of each of `classes` given labels y. */
export function computeClassWeight(classWeight: ClassWeight, opts: { classes: readonly Label[]; y: ArrayLike<Label> }): Float64Array {
  const { classes, codes } = encodeLabels(opts.y, 'computeClassWeight: y');
  const missing = classes.filter((c) => !opts.classes.includes(c));
  if (missing.length) throw new ParamError(`computeClassWeight: y has labels ${missing.join(', ')} that are not in classes`);
  const own = classWeights(classWeight, classes, codes, 'computeClassWeight');
  return Float64Array.from(opts.classes, (c) => {
    const k = classes.indexOf(c);
    if (k < 0 && classWeight === 'balanced')
      throw new ParamError(`computeClassWeight: class ${String(c)} does not occur in y, so 'balanced' has no weight for it`);
    return k < 0 ? 1 : own[k];
  });
}
