/** C-support vector classification (scikit-learn's SVC) and ν-support vector classification (NuSVC), LIBSVM's solvers. */
import { ParamError } from '../../core/errors.js';
import type { Label } from '../../core/labels.js';
import { num, optional, type ParamSpecs } from '../../core/params.js';
import { CLASS_WEIGHT, classWeights, type ClassWeight } from '../common/class-weight.js';
import { KERNEL_DEFAULTS, KERNEL_SPECS } from './base.js';
import { SVC_COMMON_DEFAULTS, SVC_COMMON_SPECS, SvcBase, type SvcCommonParams } from './classifier.js';
import type { PairTrainer } from './ovo.js';
import { solveCSvc, solveNuSvc, type SolveContext } from './problems.js';

export interface SVCParams extends SvcCommonParams {
  /** The penalty of margin violations (a number > 0); smaller regularises more. Default: 1. */
  C: number;
  /** Per-class multipliers of C: 'balanced' (n / (classes · count)) or { label: weight }; undefined: 1 each. Default: undefined. */
  classWeight: ClassWeight | undefined;
}

const SVC_SPECS: ParamSpecs<SVCParams> = {
  ...KERNEL_SPECS,
  ...SVC_COMMON_SPECS,
  C: num({ min: 0, minExclusive: true, finite: true }),
  classWeight: optional(CLASS_WEIGHT),
};

export class SVC extends SvcBase<SVCParams> {
  constructor(params: Partial<SVCParams> = {}) {
    super({ ...KERNEL_DEFAULTS, ...SVC_COMMON_DEFAULTS, C: 1, classWeight: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<SVCParams> {
    return SVC_SPECS;
  }

  protected classBounds(classes: Label[], codes: Int32Array): Float64Array {
    const cw = this.params.classWeight;
    const weights = cw === undefined ? new Float64Array(classes.length).fill(1) : classWeights(cw, classes, codes, 'SVC');
    return weights.map((v) => v * this.params.C);
  }

  protected pairTrainer(ctx: SolveContext): PairTrainer {
    return (rows, y, w, Cp, Cn) => solveCSvc(ctx, rows, y, w, Cp, Cn);
  }
}

export interface NuSVCParams extends SvcCommonParams {
  /** An upper bound on the fraction of margin errors and a lower bound on the fraction of support vectors, in (0, 1]. Default: 0.5. */
  nu: number;
}

const NU_SVC_SPECS: ParamSpecs<NuSVCParams> = { ...KERNEL_SPECS, ...SVC_COMMON_SPECS, nu: num({ min: 0, max: 1, minExclusive: true }) };

export class NuSVC extends SvcBase<NuSVCParams> {
  constructor(params: Partial<NuSVCParams> = {}) {
    super({ ...KERNEL_DEFAULTS, ...SVC_COMMON_DEFAULTS, nu: 0.5 }, params);
  }

  protected get paramSpecs(): ParamSpecs<NuSVCParams> {
    return NU_SVC_SPECS;
  }

  protected classBounds(classes: Label[]): Float64Array {
    return new Float64Array(classes.length).fill(1);
  }

  /** LIBSVM's check: for every class pair, ν (n_i + n_j) / 2 ≤ min(n_i, n_j) (n: summed weights). */
  protected override checkFeasible(codes: Int32Array, w: Float64Array, K: number): void {
    const n = new Float64Array(K);
    for (let i = 0; i < codes.length; i++) n[codes[i]] += w[i];
    const nu = this.params.nu;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++) {
        if ((nu * (n[i] + n[j])) / 2 > Math.min(n[i], n[j])) {
          const most = (2 * Math.min(n[i], n[j])) / (n[i] + n[j]);
          throw new ParamError(`NuSVC.fit: nu = ${nu} is infeasible for classes ${i} and ${j} (${n[i]} and ${n[j]} rows); use nu <= ${most.toPrecision(4)}`);
        }
      }
    }
  }

  protected pairTrainer(ctx: SolveContext): PairTrainer {
    return (rows, y, w) => solveNuSvc(ctx, rows, y, w, this.params.nu);
  }
}
