/**
 * Over-sampling then cleaning (imbalanced-learn 0.10's SMOTETomek and SMOTEENN): SMOTE grows the
 * classes, then Tomek links (or edited nearest neighbours) are removed from every class
 * (samplingStrategy 'all' on the cleaner, as imbalanced-learn's defaults).
 */
import { ParamError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import type { BackendChoice } from '../backend/backend.js';
import { EditedNearestNeighbours, TomekLinks } from './cleaning.js';
import type { SamplerOptions } from './random-samplers.js';
import { SMOTE } from './smote.js';

interface CombineOptions extends SamplerOptions {
  /** The SMOTE step; undefined builds SMOTE({ samplingStrategy, randomState, kNeighbors: 5, backend }). Default: undefined. */
  smote?: SMOTE;
  /** Backend of the neighbour searches of the default steps; undefined uses the process-wide choice. Default: undefined. */
  backend?: BackendChoice;
}

export interface SMOTETomekOptions extends CombineOptions {
  /** The cleaning step; undefined builds TomekLinks({ samplingStrategy: 'all', backend }). Default: undefined. */
  tomek?: TomekLinks;
}

export interface SMOTEENNOptions extends CombineOptions {
  /** The cleaning step; undefined builds EditedNearestNeighbours({ samplingStrategy: 'all', backend }). Default: undefined. */
  enn?: EditedNearestNeighbours;
}

function smoteStep(o: CombineOptions, owner: string): SMOTE {
  if (o.smote !== undefined) {
    if (!(o.smote instanceof SMOTE)) throw new ParamError(`${owner}: smote must be a SMOTE`);
    if (o.samplingStrategy !== undefined || o.randomState !== undefined)
      throw new ParamError(`${owner}: samplingStrategy and randomState belong to the smote you pass; set them there`);
    return o.smote;
  }
  return new SMOTE({ samplingStrategy: o.samplingStrategy ?? 'auto', randomState: o.randomState ?? 0, ...(o.backend ? { backend: o.backend } : {}) });
}

export class SMOTETomek {
  private readonly opts: { smote: SMOTE; tomek: TomekLinks };

  constructor(opts: SMOTETomekOptions = {}) {
    checkOptions(opts, ['samplingStrategy', 'randomState', 'smote', 'tomek', 'backend'], 'SMOTETomek');
    if (opts.tomek !== undefined && !(opts.tomek instanceof TomekLinks)) throw new ParamError('SMOTETomek: tomek must be a TomekLinks');
    this.opts = {
      smote: smoteStep(opts, 'SMOTETomek'),
      tomek: opts.tomek ?? new TomekLinks({ samplingStrategy: 'all', ...(opts.backend ? { backend: opts.backend } : {}) }),
    };
  }

  async fitResample(X: MatrixLike, y: ArrayLike<Label>): Promise<[Matrix<Float64Array>, Label[]]> {
    const [Xs, ys] = await this.opts.smote.fitResample(X, y);
    return this.opts.tomek.fitResample(Xs, ys);
  }
}

export class SMOTEENN {
  private readonly opts: { smote: SMOTE; enn: EditedNearestNeighbours };

  constructor(opts: SMOTEENNOptions = {}) {
    checkOptions(opts, ['samplingStrategy', 'randomState', 'smote', 'enn', 'backend'], 'SMOTEENN');
    if (opts.enn !== undefined && !(opts.enn instanceof EditedNearestNeighbours)) throw new ParamError('SMOTEENN: enn must be an EditedNearestNeighbours');
    this.opts = {
      smote: smoteStep(opts, 'SMOTEENN'),
      enn: opts.enn ?? new EditedNearestNeighbours({ samplingStrategy: 'all', ...(opts.backend ? { backend: opts.backend } : {}) }),
    };
  }

  async fitResample(X: MatrixLike, y: ArrayLike<Label>): Promise<[Matrix<Float64Array>, Label[]]> {
    const [Xs, ys] = await this.opts.smote.fitResample(X, y);
    return this.opts.enn.fitResample(Xs, ys);
  }
}
