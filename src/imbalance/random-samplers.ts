/**
 * Random over- and under-sampling (imbalanced-learn's RandomOverSampler / RandomUnderSampler):
 * rebalance classes by repeating or dropping rows, drawn with kiln's seeded Rng. Resample the
 * training split only; the test split keeps the real class ratios.
 */
import { ParamError } from '../core/errors.js';
import { Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { custom } from '../core/params.js';
import { checkOptions } from '../core/validate.js';
import { encodeLabels, type Label } from '../core/labels.js';

export interface SamplerOptions {
  /**
   * Which classes to resample: 'auto' (over: all but the majority; under: all but the minority),
   * 'all', 'minority' / 'majority', 'not minority' / 'not majority', or the wanted row count per
   * class label. Default: 'auto'.
   */
  samplingStrategy?: 'auto' | 'all' | 'minority' | 'majority' | 'not minority' | 'not majority' | Record<string, number>;
  /** Seed of the random draws (any integer). Default: 0. */
  randomState?: number;
}

abstract class RandomSampler {
  readonly samplingStrategy: NonNullable<SamplerOptions['samplingStrategy']>;
  readonly randomState: number;

  constructor(opts: SamplerOptions = {}) {
    checkOptions(opts, ['samplingStrategy', 'randomState'], new.target.name);
    this.samplingStrategy = opts.samplingStrategy ?? 'auto';
    this.randomState = opts.randomState ?? 0;
    if (!Number.isInteger(this.randomState)) throw new ParamError(`${new.target.name}: randomState must be an integer`);
    checkStrategy(this.samplingStrategy, new.target.name);
  }

  protected abstract readonly over: boolean;

  /** The resampled rows and labels (over-sampling keeps every original row first, in order). */
  async fitResample(X: MatrixLike, y: ArrayLike<Label>): Promise<[Matrix<Float64Array>, Label[]]> {
    const owner = this.constructor.name;
    const m = toMatrix(X, `${owner}.fitResample: X`);
    if (y.length !== m.rows) throw new ParamError(`${owner}.fitResample: y has ${y.length} labels but X has ${m.rows} rows`);
    const { classes, codes } = encodeLabels(y, `${owner}.fitResample: y`);
    const members: number[][] = classes.map(() => []);
    codes.forEach((c, i) => members[c].push(i));
    const counts = members.map((r) => r.length);
    const target = resamplingTargets(this.samplingStrategy, classes, counts, this.over, owner);
    const rng = new Rng(this.randomState);
    const chosen: number[] = [];
    if (this.over) {
      for (let i = 0; i < m.rows; i++) chosen.push(i);
      target.forEach((t, k) => {
        for (let j = counts[k]; j < t; j++) chosen.push(members[k][rng.int(counts[k])]);
      });
    } else chosen.push(...underSampleRows(members, target, rng, false));
    const out = new Float64Array(chosen.length * m.cols);
    chosen.forEach((r, i) => {
      for (let c = 0; c < m.cols; c++) out[i * m.cols + c] = m.data[r * m.cols + c];
    });
    return [new Matrix(out, chosen.length, m.cols), chosen.map((r) => y[r])];
  }
}

/**
 * The rows kept when class k keeps target[k] of its rows (members[k]): a uniform subset without
 * replacement, in original order, or target[k] draws with replacement. Classes in order.
 */
export function underSampleRows(members: readonly number[][], target: readonly number[], rng: Rng, replacement: boolean): number[] {
  const chosen: number[] = [];
  target.forEach((t, k) => {
    if (replacement) {
      for (let j = 0; j < t; j++) chosen.push(members[k][rng.int(members[k].length)]);
      return;
    }
    const idx = Int32Array.from(members[k]);
    rng.shuffle(idx);
    chosen.push(...Array.from(idx.subarray(0, t)).sort((a, b) => a - b));
  });
  return chosen;
}

const STRATEGIES = ['auto', 'all', 'minority', 'majority', 'not minority', 'not majority'];

export function checkStrategy(s: unknown, owner: string): void {
  if (typeof s === 'string' ? !STRATEGIES.includes(s) : typeof s !== 'object' || s === null) {
    throw new ParamError(`${owner}: samplingStrategy must be one of ${STRATEGIES.join(', ')} or { label: count }`);
  }
}

/**
 * The parameter spec of an under-sampling strategy for the balanced ensembles: any strategy but
 * 'minority' (which would under-sample the class they exist to keep).
 */
export const UNDER_SAMPLING_STRATEGY_SPEC = custom<NonNullable<SamplerOptions['samplingStrategy']>>(
  "'auto', 'all', 'majority', 'not minority', 'not majority' or { label: count }",
  (v) => {
    try {
      checkStrategy(v, '');
      return v !== 'minority';
    } catch {
      return false;
    }
  },
  { probes: ['minority', 3] },
);

/** Rows wanted per class for a sampling strategy (over: grow towards the majority; under: shrink towards the minority). */
export function resamplingTargets(
  s: NonNullable<SamplerOptions['samplingStrategy']>,
  classes: Label[],
  counts: number[],
  over: boolean,
  owner: string,
): number[] {
  const max = Math.max(...counts),
    min = Math.min(...counts);
  if (typeof s === 'object') {
    const out = [...counts];
    for (const [label, n] of Object.entries(s)) {
      const k = classes.findIndex((c) => String(c) === label);
      if (k < 0) throw new ParamError(`${owner}: samplingStrategy names class '${label}', which is not in y`);
      if (!Number.isInteger(n) || n < 0) throw new ParamError(`${owner}: samplingStrategy['${label}'] must be a row count`);
      if (over ? n < counts[k] : n > counts[k]) {
        throw new ParamError(
          `${owner}: samplingStrategy['${label}'] = ${n} would ${over ? 'remove' : 'add'} rows (class has ${counts[k]}); use the ${over ? 'under' : 'over'}-sampler for that`,
        );
      }
      out[k] = n;
    }
    return out;
  }
  const goal = over ? max : min;
  const which = s === 'auto' ? (over ? 'not majority' : 'not minority') : s;
  return counts.map((n) => {
    const pick =
      which === 'all' ||
      (which === 'minority' && n === min) ||
      (which === 'majority' && n === max) ||
      (which === 'not minority' && n !== min) ||
      (which === 'not majority' && n !== max);
    return pick ? goal : n;
  });
}

export class RandomOverSampler extends RandomSampler {
  protected readonly over = true;
}

export class RandomUnderSampler extends RandomSampler {
  protected readonly over = false;
}
