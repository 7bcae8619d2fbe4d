/** k-means clustering (scikit-learn 1.2's KMeans): greedy k-means++, several runs, Lloyd or Elkan. */
import { WEIGHTED_FIT } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import type { ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { CentroidClusterer, type KMeansFitOptions, scaledTol } from './centroid-base.js';
import { elkan } from './elkan.js';
import { kmeansPlusPlus, randomInit } from './init.js';
import { KMEANS_DEFAULTS, KMEANS_SPECS, type KMeansParams } from './kmeans-params.js';
import { type KmeansRun, lloyd } from './lloyd.js';

export class KMeans extends CentroidClusterer<KMeansParams> {
  constructor(params: Partial<KMeansParams> = {}) {
    super(KMEANS_DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<KMeansParams> {
    return KMEANS_SPECS;
  }

  /** Runs as scikit-learn 1.2 counts them: 'auto' is 1 for 'k-means++' and given centres, 10 for 'random'; given centres always run once. */
  get effectiveNInit(): number {
    const { nInit, init } = this.params;
    if (typeof init !== 'string') return 1;
    if (nInit === 'auto') return init === 'random' ? 10 : 1;
    return nInit;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: KMeansFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const { X: Xm, w } = this.readFit(X, opts);
      this.checkClusters(Xm.rows);
      const p = this.params,
        n = Xm.rows,
        d = Xm.cols,
        k = p.nClusters;
      const given = this.givenCentres(p.init, d);
      const kernels = await this.kernels(n * k * d);
      const rng = new Rng(p.randomState);
      const args = { x: Xm.data, n, d, k, weights: w, maxIter: p.maxIter, tol: scaledTol(Xm, p.tol), signal: opts.signal };
      let best: KmeansRun | undefined;
      for (let run = 0; run < this.effectiveNInit; run++) {
        const init = given ?? (p.init === 'random' ? randomInit(Xm.data, n, d, k, rng) : await kmeansPlusPlus(Xm.data, n, d, k, rng, kernels));
        const r = p.algorithm === 'elkan' ? await elkan(args, init, kernels) : await lloyd(args, init, kernels);
        if (!best || r.inertia < best.inertia) best = r;
      }
      const b = best as KmeansRun;
      this.state = { centers: b.centers, k, p: d, labels: b.labels, inertia: b.inertia, nIter: b.nIter };
    });
  }
}
