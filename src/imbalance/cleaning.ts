/**
 * Cleaning under-samplers (imbalanced-learn 0.10's TomekLinks and EditedNearestNeighbours): they
 * remove rows near the class boundary rather than drawing a target count, on kiln's exact k-NN
 * (ties to the smaller index; a row is never its own neighbour). `keptRows` gives the rows kept
 * (imbalanced-learn's sample_indices_), `fitResample` those rows and their labels.
 */
import { ParamError } from '../core/errors.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import type { BackendChoice } from '../backend/backend.js';
import { NearestNeighbors } from '../models/neighbors/nearest-neighbors.js';

/**
 * The classes a cleaning sampler may remove rows of: 'auto' (= 'not minority'), 'all',
 * 'majority', 'not minority', 'not majority', or a list of class labels.
 */
export type CleaningStrategy = 'auto' | 'all' | 'majority' | 'not minority' | 'not majority' | Label[];

const CLEANING = ['auto', 'all', 'majority', 'not minority', 'not majority'];

export function checkCleaningStrategy(s: unknown, owner: string): void {
  const ok = typeof s === 'string' ? CLEANING.includes(s) : Array.isArray(s) && s.length > 0 && s.every((v) => typeof v === 'number' || typeof v === 'string');
  if (!ok)
    throw new ParamError(
      `${owner}: samplingStrategy must be one of ${CLEANING.join(', ')} or a non-empty list of class labels (a cleaning sampler removes rows; it takes no counts)`,
    );
}

/** Which classes the strategy cleans, one flag per class. */
function cleanedClasses(s: CleaningStrategy, classes: Label[], counts: number[], owner: string): boolean[] {
  if (Array.isArray(s)) {
    for (const l of s) if (!classes.includes(l)) throw new ParamError(`${owner}: samplingStrategy names class ${JSON.stringify(l)}, which is not in y`);
    return classes.map((c) => s.includes(c));
  }
  const min = Math.min(...counts),
    max = Math.max(...counts);
  const which = s === 'auto' ? 'not minority' : s;
  return counts.map(
    (n) => which === 'all' || (which === 'majority' && n === max) || (which === 'not minority' && n !== min) || (which === 'not majority' && n !== max),
  );
}

interface Prepared {
  m: Matrix;
  classes: Label[];
  codes: Int32Array;
  cleaned: boolean[];
}

abstract class CleaningSampler<O extends { samplingStrategy?: CleaningStrategy; backend?: BackendChoice }> {
  protected readonly opts: O;

  constructor(opts: O, keys: readonly string[]) {
    checkOptions(opts, ['samplingStrategy', 'backend', ...keys], new.target.name);
    checkCleaningStrategy(opts.samplingStrategy ?? 'auto', new.target.name);
    this.opts = { ...opts };
  }

  protected prepare(X: MatrixLike, y: ArrayLike<Label>, fn: string): Prepared {
    const owner = `${this.constructor.name}.${fn}`;
    const m = toMatrix(X, `${owner}: X`);
    if (y.length !== m.rows) throw new ParamError(`${owner}: y has ${y.length} labels but X has ${m.rows} rows`);
    const { classes, codes } = encodeLabels(y, `${owner}: y`);
    const counts = classes.map(() => 0);
    for (const c of codes) counts[c]++;
    return { m, classes, codes, cleaned: cleanedClasses(this.opts.samplingStrategy ?? 'auto', classes, counts, this.constructor.name) };
  }

  /** Each row's k nearest other rows (k × n indices, row-major). */
  protected async neighbours(m: Matrix, k: number): Promise<Int32Array> {
    if (m.rows <= k) throw new ParamError(`${this.constructor.name}: X has ${m.rows} rows; ${k} neighbours per row need at least ${k + 1}`);
    const nn = await new NearestNeighbors({ nNeighbors: k, ...(this.opts.backend ? { backend: this.opts.backend } : {}) }).fit(m);
    return (await nn.kneighbors()).indices;
  }

  /** The indices of the rows kept (imbalanced-learn's sample_indices_). */
  abstract keptRows(X: MatrixLike, y: ArrayLike<Label>): Promise<Int32Array>;

  /** The kept rows and their labels. */
  async fitResample(X: MatrixLike, y: ArrayLike<Label>): Promise<[Matrix<Float64Array>, Label[]]> {
    const kept = await this.keptRows(X, y);
    const m = toMatrix(X, `${this.constructor.name}.fitResample: X`);
    const out = new Float64Array(kept.length * m.cols);
    kept.forEach((r, i) => {
      for (let c = 0; c < m.cols; c++) out[i * m.cols + c] = m.data[r * m.cols + c];
    });
    return [new Matrix(out, kept.length, m.cols), Array.from(kept, (r) => y[r])];
  }
}

export interface TomekLinksOptions {
  /** The classes whose member of a Tomek link is removed. Default: 'auto' ('not minority'). */
  samplingStrategy?: CleaningStrategy;
  /** Backend of the neighbour search; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend?: BackendChoice;
}

/**
 * Removes Tomek links: pairs of rows of different classes that are each other's nearest
 * neighbour. Of each link, the row whose class the strategy cleans goes; rows stay in order.
 */
export class TomekLinks extends CleaningSampler<TomekLinksOptions> {
  constructor(opts: TomekLinksOptions = {}) {
    super(opts, []);
  }

  /** For each row, whether it is in a Tomek link (whatever its class). */
  async links(X: MatrixLike, y: ArrayLike<Label>): Promise<Uint8Array> {
    const { m, codes } = this.prepare(X, y, 'links');
    const nn = await this.neighbours(m, 1);
    return Uint8Array.from(codes, (c, i) => (codes[nn[i]] !== c && nn[nn[i]] === i ? 1 : 0));
  }

  async keptRows(X: MatrixLike, y: ArrayLike<Label>): Promise<Int32Array> {
    const { m, codes, cleaned } = this.prepare(X, y, 'fitResample');
    const nn = await this.neighbours(m, 1);
    const kept: number[] = [];
    codes.forEach((c, i) => {
      const link = codes[nn[i]] !== c && nn[nn[i]] === i;
      if (!(link && cleaned[c])) kept.push(i);
    });
    return Int32Array.from(kept);
  }
}

export interface EditedNearestNeighboursOptions {
  /** The classes whose rows may be removed. Default: 'auto' ('not minority'). */
  samplingStrategy?: CleaningStrategy;
  /** Neighbours consulted per row, an integer >= 1. Default: 3. */
  nNeighbors?: number;
  /** 'all': a row stays only if every neighbour shares its class; 'mode': if the most common neighbour class (the smallest on ties) is its own. Default: 'all'. */
  kindSel?: 'all' | 'mode';
  /** Backend of the neighbour search; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend?: BackendChoice;
}

/**
 * Edited nearest neighbours: removes each row of a cleaned class whose neighbours disagree with
 * its label. Rows come out grouped by class (classes sorted), in order within a class, as
 * imbalanced-learn returns them.
 */
export class EditedNearestNeighbours extends CleaningSampler<EditedNearestNeighboursOptions> {
  constructor(opts: EditedNearestNeighboursOptions = {}) {
    super(opts, ['nNeighbors', 'kindSel']);
    const k = opts.nNeighbors ?? 3;
    if (!Number.isInteger(k) || k < 1) throw new ParamError(`EditedNearestNeighbours: nNeighbors must be an integer >= 1, got ${String(k)}`);
    if (!['all', 'mode'].includes(opts.kindSel ?? 'all'))
      throw new ParamError(`EditedNearestNeighbours: kindSel must be 'all' or 'mode', got ${String(opts.kindSel)}`);
  }

  async keptRows(X: MatrixLike, y: ArrayLike<Label>): Promise<Int32Array> {
    const { m, classes, codes, cleaned } = this.prepare(X, y, 'fitResample');
    const k = this.opts.nNeighbors ?? 3,
      mode = this.opts.kindSel === 'mode';
    const nn = await this.neighbours(m, k);
    const votes = new Int32Array(classes.length);
    const keep = (i: number): boolean => {
      const c = codes[i];
      if (!cleaned[c]) return true;
      if (!mode) {
        for (let j = 0; j < k; j++) if (codes[nn[i * k + j]] !== c) return false;
        return true;
      }
      votes.fill(0);
      for (let j = 0; j < k; j++) votes[codes[nn[i * k + j]]]++;
      let best = 0;
      for (let q = 1; q < votes.length; q++) if (votes[q] > votes[best]) best = q;
      return best === c;
    };
    const kept: number[] = [];
    for (let c = 0; c < classes.length; c++) for (let i = 0; i < codes.length; i++) if (codes[i] === c && keep(i)) kept.push(i);
    return Int32Array.from(kept);
  }
}
