/**
 * GradientBoostingRanker: learning to rank with LambdaRank (LightGBM's lambdarank objective) on
 * the hist boosting engine. Rows come in query groups (LightGBM's `group` or XGBoost's `qid`);
 * each round's gradients are computed per query (native/kernels/hist/rank.cc, its js oracle in
 * backend/js/hist-rank.ts), and the trees are the boosting models' own.
 */
import { readMatrix } from '../../core/read-matrix.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import type { MatrixLike } from '../../core/matrix.js';
import { bool, int, num, type ParamSpecs } from '../../core/params.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import type { BackendChoice } from '../../backend/backend.js';
import { treeBackend } from '../tree/engine.js';
import { singleTarget } from '../tree/model.js';
import { holdOut } from '../tree/split.js';
import { BOOSTING_DEFAULTS, BOOSTING_SPECS, type BoostingParams, type BoostingTask, type RankObjective, type RoundLogs } from './booster.js';
import { BaseGradientBoosting } from './gradient-boosting.js';
import { queryOffsets, rowsOfQueries, type QueryGroups } from './query-groups.js';

export interface GradientBoostingRankerParams extends BoostingParams {
  /** Steepness of the pairwise logistic (LightGBM's sigmoid), a finite number > 0. Default: 1. */
  sigma: number;
  /**
   * Pairs count only when their better-scored item ranks in the top this many of its query, and
   * the ideal DCG that normalises |ΔNDCG| is cut there (LightGBM's lambdarank_truncation_level),
   * an integer >= 1. Default: 30.
   */
  lambdarankTruncationLevel: number;
  /**
   * LightGBM's lambdarank_norm: each pair's |ΔNDCG| is divided by 0.01 + |score gap| and each
   * query's gradients scaled by log2(1 + S) / S, S their total. Default: true.
   */
  lambdarankNorm: boolean;
  /** k of the NDCG@k that training reports (evalHistory, as 1 − NDCG@k), early stopping watches, and score returns, an integer >= 1. Default: 10. */
  ndcgAt: number;
  /** Backend of the hist engine (binning, gradients, growing, prediction): 'auto', 'native', 'webgpu' or 'js'. Default: 'auto'. */
  backend: BackendChoice;
}

const RANKER_SPECS: ParamSpecs<GradientBoostingRankerParams> = {
  ...BOOSTING_SPECS,
  sigma: num({ min: 0, minExclusive: true, finite: true }),
  lambdarankTruncationLevel: int({ min: 1 }),
  lambdarankNorm: bool(),
  ndcgAt: int({ min: 1 }),
  backend: BACKEND_CHOICE,
};

/** The highest relevance label: gains are 2^rel − 1 in doubles (LightGBM's and XGBoost's limit too). */
const MAX_RELEVANCE = 31;

export interface RankerFitOptions extends QueryGroups {
  /** Validation queries for early stopping and the validation history: [X, y, { group } or { qid }]. */
  evalSet?: [MatrixLike, ArrayLike<number>, QueryGroups];
  /** Called after each boosting round with its losses (1 − NDCG@ndcgAt, averaged over the queries). */
  onProgress?: (logs: RoundLogs) => void;
  signal?: AbortSignal;
}

const RANKER_FIT = ['group', 'qid', 'evalSet', 'onProgress', 'signal'] as const;

export class GradientBoostingRanker extends BaseGradientBoosting<GradientBoostingRankerParams> {
  constructor(params: Partial<GradientBoostingRankerParams> = {}) {
    super({ ...BOOSTING_DEFAULTS, sigma: 1, lambdarankTruncationLevel: 30, lambdarankNorm: true, ndcgAt: 10, backend: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<GradientBoostingRankerParams> {
    return RANKER_SPECS;
  }

  /**
   * Fits to relevance labels (integers in [0, 31]) of rows in query groups: `group` (sizes of
   * consecutive queries) or `qid` (a query id per row, each query's rows contiguous).
   */
  async fit(X: MatrixLike, y: ArrayLike<number>, opts: RankerFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, RANKER_FIT);
    return this.transaction(opts.signal, async () => {
      const owner = 'GradientBoostingRanker.fit';
      const yv = relevance(y, `${owner}: y`);
      const offsets = queryOffsets(opts, yv.length, owner);
      const rank = (queryOffset: Int32Array, validQueryOffset: Int32Array | null): RankObjective => ({
        sigma: this.params.sigma,
        truncation: this.params.lambdarankTruncationLevel,
        norm: this.params.lambdarankNorm,
        evalAt: this.params.ndcgAt,
        queryOffset,
        validQueryOffset,
      });
      const task: BoostingTask = {
        loss: 'squared_error', // unused: rank takes over the gradients
        k: 1,
        y: yv,
        w: null,
        init: Float64Array.of(0),
        lossParam: 0,
        strata: null,
        valid: null,
        onProgress: opts.onProgress,
        signal: opts.signal,
        rank: rank(offsets, null),
      };
      let Xfit: MatrixLike = X;
      if (opts.evalSet) {
        if (!Array.isArray(opts.evalSet) || opts.evalSet.length !== 3)
          throw new ParamError(`${owner}: evalSet must be [X, y, { group } or { qid }], the validation queries`);
        const [Xv, yvs, gv] = opts.evalSet;
        const Xvm = readMatrix(Xv, `${owner}: evalSet X`, { nonFinite: 'keep' });
        const yValid = relevance(yvs, `${owner}: evalSet y`);
        if (yValid.length !== Xvm.rows) throw new ShapeError(`${owner}: evalSet has ${Xvm.rows} rows but ${yValid.length} labels`);
        task.valid = { X: Xvm, y: yValid, w: null };
        task.rank = rank(offsets, queryOffsets(gv, Xvm.rows, `${owner}: evalSet`));
      } else if (this.params.earlyStoppingRounds !== null) {
        // hold out whole queries: a query split across training and validation would rank neither
        const queries = offsets.length - 1;
        if (queries < 2) throw new ParamError(`${owner}: early stopping holds out whole queries, and there is one query; pass evalSet or more queries`);
        const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep' });
        if (Xm.rows !== yv.length) throw new ShapeError(`${owner}: X has ${Xm.rows} rows but y has ${yv.length}`);
        const split = holdOut(queries, this.params.validationFraction, this.params.randomState, null);
        const tr = rowsOfQueries(offsets, split.train),
          va = rowsOfQueries(offsets, split.valid);
        Xfit = Xm.takeRows(tr.rows);
        task.y = Float64Array.from(tr.rows, (i) => yv[i]);
        task.valid = { X: Xm.takeRows(va.rows), y: Float64Array.from(va.rows, (i) => yv[i]), w: null };
        task.rank = rank(tr.offsets, va.offsets);
      }
      await this.fitTask(Xfit, task);
      return this;
    });
  }

  /** Ranking scores: within a query, a higher score ranks first. */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, () => this.raw(X, 'predict'));
  }

  predictSync(X: MatrixLike): Float64Array {
    return this.rawSync(X, 'predictSync');
  }

  async *stagedPredict(X: MatrixLike): AsyncGenerator<Float64Array> {
    yield* this.stagedRaw(X, 'stagedPredict');
  }

  /**
   * Mean NDCG@ndcgAt over the queries of (X, y) as LightGBM and XGBoost compute it: gain
   * 2^rel − 1, discount 1 / log2(1 + rank), ties in row order; a query of equal labels scores 1.
   */
  async score(X: MatrixLike, y: ArrayLike<number>, groups: QueryGroups & CallOptions = {}): Promise<number> {
    this.callOptions('score', groups, ['group', 'qid', 'signal']);
    const owner = 'GradientBoostingRanker.score';
    const yv = relevance(y, `${owner}: y`);
    const queryOffset = queryOffsets(groups, yv.length, owner);
    const scores = await this.predict(X, { signal: groups.signal });
    if (scores.length !== yv.length) throw new ShapeError(`${owner}: X has ${scores.length} rows but y has ${yv.length}`);
    const p = this.params;
    const backend = await treeBackend(p.backend, yv.length, owner);
    const gradHess = new Float64Array(2 * yv.length);
    const loss = await backend.rankGradients({
      n: yv.length,
      y: yv,
      scores,
      queryOffset,
      sigma: p.sigma,
      truncation: p.lambdarankTruncationLevel,
      norm: p.lambdarankNorm,
      evalAt: p.ndcgAt,
      gradHess,
    });
    return 1 - loss / (queryOffset.length - 1);
  }
}

/** Relevance labels: integers in [0, 31]. */
function relevance(y: ArrayLike<number>, name: string): Float64Array {
  const v = singleTarget(y, name);
  for (let i = 0; i < v.length; i++)
    if (!(Number.isInteger(v[i]) && v[i] >= 0 && v[i] <= MAX_RELEVANCE))
      throw new ParamError(`${name}[${i}] = ${v[i]}: relevance labels must be integers in [0, ${MAX_RELEVANCE}] (gain 2^rel − 1); map grades to 0, 1, 2, …`);
  return v;
}
