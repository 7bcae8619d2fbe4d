/**
 * GradientBoostingRanker and its LambdaRank gradients: hand-computed lambdas on tiny queries (each
 * CPU backend), the native kernel against its js oracle, held-out NDCG against XGBoost 1.7's
 * rank:ndcg on the same data (test/fixtures-scripts/gen_ranking.py), query groups as group or qid,
 * bad input, parameters, early stopping and cross-backend agreement.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingRanker, Matrix } from '../../src/index.js';
import { resolveBackend } from '../../src/backend/select.js';
import { histRankGradientsRef } from '../../src/backend/js/hist-rank.js';
import type { HistRankArgs } from '../../src/backend/contract/hist.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sklearn/ranking_lambdarank.json', import.meta.url), 'utf8'));
const train = {
  X: new Matrix(Float64Array.from(fixture.train.X), fixture.train.y.length, fixture.p),
  y: fixture.train.y as number[],
  group: fixture.train.group as number[],
};
const test = {
  X: new Matrix(Float64Array.from(fixture.test.X), fixture.test.y.length, fixture.p),
  y: fixture.test.y as number[],
  group: fixture.test.group as number[],
};
const code = (c: string) => expect.objectContaining({ code: c });

/** Mean NDCG@k over query groups, as the fixture's generator computes it (gain 2^rel − 1, ties in row order, equal labels score 1). */
function ndcg(y: ArrayLike<number>, s: ArrayLike<number>, group: number[], k: number): number {
  let total = 0,
    b = 0;
  for (const m of group) {
    const rows = Array.from({ length: m }, (_, i) => b + i);
    const order = [...rows].sort((i, j) => s[j] - s[i] || i - j);
    const ideal = rows.map((i) => y[i]).sort((u, v) => v - u);
    let dcg = 0,
      best = 0;
    for (let r = 0; r < Math.min(k, m); r++) {
      dcg += (2 ** y[order[r]] - 1) / Math.log2(r + 2);
      best += (2 ** ideal[r] - 1) / Math.log2(r + 2);
    }
    total += best > 0 ? dcg / best : 1;
    b += m;
  }
  return total / group.length;
}

const cpu = hasNative ? (['js', 'native'] as const) : (['js'] as const);
const kernels = async (name: 'js' | 'native') => (await resolveBackend(name, 1)).hist!;
const call = async (name: 'js' | 'native', a: Omit<HistRankArgs, 'gradHess' | 'n'>) => {
  const gradHess = new Float64Array(2 * a.y.length);
  const loss = await (await kernels(name)).rankGradients({ ...a, n: a.y.length, gradHess });
  return { loss, g: Array.from({ length: a.y.length }, (_, i) => gradHess[2 * i]), h: Array.from({ length: a.y.length }, (_, i) => gradHess[2 * i + 1]) };
};
const one = (...sizes: number[]) => Int32Array.from([0, ...sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b))]);
const D = 1 - 1 / Math.log2(3); // |discount(rank 0) − discount(rank 1)|

describe.each(cpu)('LambdaRank gradients, closed forms (%s)', (backend) => {
  it('two items, tied scores: lambda = −σ·|ΔNDCG|/2 on the better one, hessian σ²·|ΔNDCG|/4; with norm scaled by log2(1 + S)/S', async () => {
    const base = { y: Float64Array.of(1, 0), scores: Float64Array.of(0, 0), queryOffset: one(2), sigma: 1, truncation: 30, evalAt: 10 };
    const plain = await call(backend, { ...base, norm: false });
    expect(plain.g[0]).toBeCloseTo(-D / 2, 15);
    expect(plain.g[1]).toBeCloseTo(D / 2, 15);
    expect(plain.h[0]).toBeCloseTo(D / 4, 15);
    expect(plain.h[1]).toBeCloseTo(D / 4, 15);
    expect(plain.loss).toBe(0); // row order puts the relevant item first: NDCG 1
    const normed = await call(backend, { ...base, norm: true }); // tied scores: no 1 / (0.01 + |gap|)
    const f = Math.log2(1 + D) / D;
    expect(normed.g[0]).toBeCloseTo((-D / 2) * f, 15);
    expect(normed.h[1]).toBeCloseTo((D / 4) * f, 15);
  });

  it('a misordered pair with sigma 2: ρ = 1/(1 + e^(σ·gap)), gain 2^2 − 1 over the ideal DCG; loss 1 − NDCG', async () => {
    const base = { y: Float64Array.of(0, 2), scores: Float64Array.of(0.5, -0.5), queryOffset: one(2), sigma: 2, truncation: 30, evalAt: 10 };
    const rho = 1 / (1 + Math.exp(-2));
    const plain = await call(backend, { ...base, norm: false });
    expect(plain.g[1]).toBeCloseTo(-2 * D * rho, 14);
    expect(plain.g[0]).toBeCloseTo(2 * D * rho, 14);
    expect(plain.h[0]).toBeCloseTo(4 * D * rho * (1 - rho), 14);
    expect(plain.loss).toBeCloseTo(1 - 1 / Math.log2(3), 15);
    const normed = await call(backend, { ...base, norm: true });
    const d = D / 1.01,
      S = 4 * d * rho;
    expect(normed.g[1]).toBeCloseTo(-2 * d * rho * (Math.log2(1 + S) / S), 14);
    expect(normed.h[1]).toBeCloseTo(4 * d * rho * (1 - rho) * (Math.log2(1 + S) / S), 14);
  });

  it('queries of equal labels contribute nothing; truncation drops pairs below the top k', async () => {
    const eq = await call(backend, {
      y: Float64Array.of(1, 1, 1, 0, 1),
      scores: Float64Array.of(3, 1, 2, 0, 0),
      queryOffset: one(3, 2),
      sigma: 1,
      truncation: 30,
      norm: false,
      evalAt: 10,
    });
    expect(eq.g.slice(0, 3)).toEqual([0, 0, 0]);
    expect(eq.h.slice(0, 3)).toEqual([0, 0, 0]);
    expect(eq.g[3]).toBeGreaterThan(0); // the other query still learns (its relevant item, row 4, goes up)
    expect(eq.g[4]).toBeLessThan(0);
    const q = { y: Float64Array.of(0, 0, 1), scores: Float64Array.of(3, 2, 1), queryOffset: one(3), sigma: 1, norm: false, evalAt: 10 };
    const top1 = await call(backend, { ...q, truncation: 1 });
    // only the pair (rank 0, rank 2): |ΔNDCG| = |1 − 1/log2(4)| / ideal DCG@1 (= 1)
    const rho = 1 / (1 + Math.exp(1 - 3));
    expect(top1.g[1]).toBe(0);
    expect(top1.g[0]).toBeCloseTo(0.5 * rho, 15);
    expect(top1.g[2]).toBeCloseTo(-0.5 * rho, 15);
    const all = await call(backend, { ...q, truncation: 30 });
    expect(all.g[1]).toBeGreaterThan(0);
  });
});

describe.runIf(hasNative)('LambdaRank gradients: the native kernel equals its js oracle', () => {
  it('on 300 queries of mixed sizes, truncation, norm and sigma; deterministic across calls', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const sizes = Array.from({ length: 300 }, () => 1 + Math.floor(rnd() * 40));
    const n = sizes.reduce((a, b) => a + b);
    const y = Float64Array.from({ length: n }, () => Math.floor(rnd() * rnd() * 5));
    const scores = Float64Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : rnd() * 4 - 2)); // some ties
    const native = await kernels('native');
    for (const [truncation, norm, sigma] of [
      [30, true, 1],
      [3, false, 2.5],
      [1, true, 0.5],
    ] as const) {
      const a = { n, y, scores, queryOffset: one(...sizes), sigma, truncation, norm, evalAt: 5 };
      const g1 = new Float64Array(2 * n),
        g2 = new Float64Array(2 * n),
        g3 = new Float64Array(2 * n);
      const l1 = await native.rankGradients({ ...a, gradHess: g1 });
      const l2 = histRankGradientsRef({ ...a, gradHess: g2 });
      expect(l1).toBeCloseTo(l2, 10);
      for (let i = 0; i < 2 * n; i++) expect(Math.abs(g1[i] - g2[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(g2[i])));
      expect(await native.rankGradients({ ...a, gradHess: g3 })).toBe(l1);
      expect(g3).toEqual(g1);
    }
  });

  it('refuses labels outside [0, 31], empty queries and offsets that do not cover the rows', async () => {
    const native = await kernels('native');
    const a = {
      n: 3,
      y: Float64Array.of(0, 1, 2),
      scores: new Float64Array(3),
      queryOffset: one(3),
      sigma: 1,
      truncation: 30,
      norm: true,
      evalAt: 10,
      gradHess: new Float64Array(6),
    };
    await expect(native.rankGradients({ ...a, y: Float64Array.of(0, 1.5, 2) })).rejects.toThrowError(code('E_PARAM'));
    await expect(native.rankGradients({ ...a, y: Float64Array.of(0, 32, 2) })).rejects.toThrowError(code('E_PARAM'));
    await expect(native.rankGradients({ ...a, queryOffset: Int32Array.of(0, 0, 3) })).rejects.toThrowError(code('E_PARAM'));
    await expect(native.rankGradients({ ...a, queryOffset: Int32Array.of(0, 2) })).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('GradientBoostingRanker against XGBoost 1.7 rank:ndcg (held-out queries)', () => {
  it("the test's NDCG equals the generator's on XGBoost's scores", () => {
    for (const k of [5, 10]) expect(ndcg(test.y, fixture.xgb_test_scores, test.group, k)).toBeCloseTo(fixture.xgb_ndcg[k], 12);
  });

  it('NDCG@5 and @10 at least XGBoost’s − 0.01, well above random; score() is NDCG@ndcgAt', async () => {
    for (const k of [5, 10]) {
      const m = await new GradientBoostingRanker({ ndcgAt: k }).fit(train.X, train.y, { group: train.group });
      const s = await m.predict(test.X);
      const ours = ndcg(test.y, s, test.group, k);
      expect(ours).toBeGreaterThanOrEqual(fixture.xgb_ndcg[k] - 0.01);
      expect(ours).toBeGreaterThan(fixture.random_ndcg[k] + 0.3);
      expect(await m.score(test.X, test.y, { group: test.group })).toBeCloseTo(ours, 12);
      // training NDCG@k climbs: the reported loss (1 − NDCG@k) ends below where it starts
      const h = m.evalHistory.train;
      expect(h[h.length - 1]).toBeLessThan(h[0]);
    }
  });

  it('GOSS on LambdaRank gradients: NDCG@10 within 0.02 of the plain fit', async () => {
    const plain = await new GradientBoostingRanker({ ndcgAt: 10 }).fit(train.X, train.y, { group: train.group });
    const goss = await new GradientBoostingRanker({ ndcgAt: 10, dataSampleStrategy: 'goss', randomState: 3 }).fit(train.X, train.y, {
      group: train.group,
    });
    const at = async (m: GradientBoostingRanker) => ndcg(test.y, await m.predict(test.X), test.group, 10);
    expect(Math.abs((await at(goss)) - (await at(plain)))).toBeLessThan(0.02);
    expect(await goss.predict(test.X)).not.toEqual(await plain.predict(test.X));
  });
});

describe('GradientBoostingRanker: query groups, parameters, model contract', () => {
  const small = { X: train.X.takeRows(Int32Array.from({ length: 300 }, (_, i) => i)), y: train.y.slice(0, 300) };
  const sizes: number[] = [];
  for (let left = 300, q = 0; left > 0; q++) sizes.push(Math.min(left, train.group[q])), (left -= sizes[q]);
  const qid = sizes.flatMap((m, q) => new Array(m).fill(100 + 3 * q));

  it('group sizes and contiguous qid give the same model', async () => {
    const a = await new GradientBoostingRanker({ nEstimators: 10 }).fit(small.X, small.y, { group: sizes });
    const b = await new GradientBoostingRanker({ nEstimators: 10 }).fit(small.X, small.y, { qid });
    expect(await b.predict(small.X)).toEqual(await a.predict(small.X));
  });

  it('refuses missing, inconsistent or scattered groups and bad relevance, naming the fix', async () => {
    const r = () => new GradientBoostingRanker({ nEstimators: 2 });
    await expect(r().fit(small.X, small.y)).rejects.toThrow(/needs the query groups: pass \{ group \}/);
    await expect(r().fit(small.X, small.y, { group: [...sizes, 1] })).rejects.toThrowError(code('E_LENGTH'));
    await expect(r().fit(small.X, small.y, { group: sizes.slice(1) })).rejects.toThrow(/sum to \d+ but X has 300 rows/);
    await expect(r().fit(small.X, small.y, { group: [2.5, ...sizes] })).rejects.toThrowError(code('E_PARAM'));
    await expect(r().fit(small.X, small.y, { group: sizes, qid })).rejects.toThrow(/either group or qid/);
    const scattered = [...qid];
    scattered[0] = qid[qid.length - 1];
    await expect(r().fit(small.X, small.y, { qid: scattered })).rejects.toThrow(/contiguous \(sort X, y and qid by qid first\)/);
    await expect(r().fit(small.X, small.y, { qid: qid.slice(1) })).rejects.toThrowError(code('E_LENGTH'));
    for (const bad of [-1, 1.5, 32]) {
      const y = [...small.y];
      y[5] = bad;
      await expect(r().fit(small.X, y, { group: sizes })).rejects.toThrow(/y\[5\] = .*relevance labels must be integers in \[0, 31\]/);
    }
    await expect(r().fit(small.X, small.y, { group: sizes, sampleWeight: [] } as object)).rejects.toThrow(/unknown option 'sampleWeight'/);
    expect(() => new GradientBoostingRanker({ sigma: 0 })).toThrowError(code('E_PARAM'));
    expect(() => new GradientBoostingRanker({ lambdarankTruncationLevel: 0 })).toThrowError(code('E_PARAM'));
  });

  it('getParams / setParams / clone carry the ranking parameters', () => {
    const m = new GradientBoostingRanker({ sigma: 2, ndcgAt: 3, lambdarankNorm: false });
    expect(m.getParams()).toMatchObject({ sigma: 2, ndcgAt: 3, lambdarankNorm: false, lambdarankTruncationLevel: 30 });
    m.setParams({ lambdarankTruncationLevel: 5 });
    expect(m.clone().getParams()).toEqual(m.getParams());
  });

  it('early stopping on an evalSet of queries, or on held-out whole queries', async () => {
    const withEval = await new GradientBoostingRanker({ nEstimators: 200, earlyStoppingRounds: 5, learningRate: 0.3 }).fit(train.X, train.y, {
      group: train.group,
      evalSet: [test.X, test.y, { group: test.group }],
    });
    const v = withEval.evalHistory.valid!;
    expect(withEval.bestIteration).toBeLessThan(200);
    expect(v[withEval.bestIteration - 1]).toBe(Math.min(...v));
    expect(1 - v[withEval.bestIteration - 1]).toBeCloseTo(await withEval.score(test.X, test.y, { group: test.group }), 12);
    const held = await new GradientBoostingRanker({ nEstimators: 20, earlyStoppingRounds: 3 }).fit(small.X, small.y, { group: sizes });
    expect(held.evalHistory.valid!.length).toBeGreaterThan(0);
    await expect(
      new GradientBoostingRanker({ earlyStoppingRounds: 3 }).fit(small.X.takeRows(Int32Array.of(0, 1, 2)), [0, 1, 0], { group: [3] }),
    ).rejects.toThrow(/holds out whole queries/);
  });

  it.runIf(hasNative)('js and native backends train the same ranker', async () => {
    const [a, b] = await Promise.all(
      (['js', 'native'] as const).map(async (backend) =>
        (await new GradientBoostingRanker({ nEstimators: 15, backend }).fit(small.X, small.y, { group: sizes })).predict(small.X),
      ),
    );
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 10);
  });

  it.runIf(hasWebgpu && hasNative)('webgpu grows the same trees as native from the same quantised gradients', async () => {
    const fit = (backend: 'webgpu' | 'native') =>
      new GradientBoostingRanker({ nEstimators: 5, backend, quantizedGradients: true }).fit(small.X, small.y, { group: sizes }).then((m) => m.predict(small.X));
    expect(await fit('webgpu')).toEqual(await fit('native'));
    await expect(new GradientBoostingRanker({ nEstimators: 2, backend: 'webgpu' }).fit(small.X, small.y, { group: sizes })).rejects.toThrowError(
      code('E_BACKEND_LIMIT'),
    );
  });
});
