/**
 * Kernel SVMs beyond parity: the refusals (codes naming the argument), the estimator contract
 * (clone, params, abort), and invariants — the cache budget and shrinking change speed, not the
 * solution; a row of weight 0 is a row left out; a linear kernel's decision is X·w + b; maxIter
 * caps the solver; probabilities are distributions whose argmax agrees with the decision.
 */
import { describe, expect, it } from 'vitest';
import { type Matrix, NuSVC, NuSVR, OneClassSVM, SVC, SVR } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const n = 120;
const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3) * 2, Math.cos(i * 0.7), ((i * 7) % 13) / 6 - 1]);
const y3 = X.map((r, i) => (r[0] + r[1] > 0.4 ? 'a' : r[2] > 0 ? 'b' : i % 5 === 0 ? 'a' : 'c'));
const y2 = X.map((r) => (r[0] - r[2] > 0 ? 1 : 0));
const yReg = X.map((r) => r[0] * 1.5 - r[1] + 0.3 * r[2] * r[2]);

describe('refusals', () => {
  it('bad parameters are E_PARAM naming them', () => {
    expect(() => new SVC({ kernel: 'cubic' as never })).toThrowError(code('E_PARAM'));
    expect(() => new SVC({ kernel: 'cubic' as never })).toThrowError(/kernel/);
    expect(() => new SVC({ C: 0 })).toThrowError(/C must be/);
    expect(() => new SVR({ C: -1 })).toThrowError(code('E_PARAM'));
    expect(() => new NuSVC({ nu: 0 })).toThrowError(/nu must be/);
    expect(() => new OneClassSVM({ nu: 1.5 })).toThrowError(code('E_PARAM'));
    expect(() => new NuSVR({ nu: -0.1 })).toThrowError(code('E_PARAM'));
    expect(() => new SVC({ gamma: 0 })).toThrowError(/gamma/);
    expect(() => new SVC({ gamma: 'big' as never })).toThrowError(code('E_PARAM'));
    expect(() => new SVC({ degree: 1.5 })).toThrowError(/degree/);
    expect(() => new SVC({ maxIter: 0 })).toThrowError(/maxIter/);
    expect(() => new SVC({ cacheSize: 0 })).toThrowError(/cacheSize/);
    expect(() => new SVC({ breakTies: true, decisionFunctionShape: 'ovo' })).toThrowError(/breakTies/);
    expect(() => new SVC({ tol: 0 })).toThrowError(/tol/);
  });

  it('a single class, an infeasible nu, bad shapes and non-finite input', async () => {
    await expect(
      new SVC().fit(
        X,
        X.map(() => 'a'),
      ),
    ).rejects.toThrowError(/single class/);
    // 110 of one class, 10 of the other: nu (n1 + n2) / 2 must stay <= 10
    const skew = X.map((_, i) => (i < 10 ? 0 : 1));
    await expect(new NuSVC({ nu: 0.5 }).fit(X, skew)).rejects.toThrowError(/infeasible.*nu <= 0\.1667/);
    await new NuSVC({ nu: 0.15 }).fit(X, skew);
    await expect(new SVC().fit(X, y2.slice(1))).rejects.toThrowError(code('E_SHAPE'));
    await expect(new SVR().fit(X, yReg.slice(1))).rejects.toThrowError(code('E_SHAPE'));
    await expect(new SVC().fit([[1, NaN]], [0])).rejects.toThrowError(code('E_NONFINITE'));
    const m = await new SVC().fit(X, y2);
    await expect(m.predict([[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(m.predictProba(X)).rejects.toThrowError(/probability: true/);
    await expect(new SVC().predict(X)).rejects.toThrowError(code('E_NOT_FITTED'));
    expect(() => new SVC().supportVectors).toThrowError(code('E_NOT_FITTED'));
    await expect(new SVC().fit(X, y2, { sampleWieght: [] } as never)).rejects.toThrowError(/sampleWieght/);
  });
});

describe('the estimator contract', () => {
  it('clone, getParams and setParams', async () => {
    const m = new SVC({ C: 3, kernel: 'poly', degree: 2 });
    expect(m.getParams()).toMatchObject({ C: 3, kernel: 'poly', degree: 2, gamma: 'scale', tol: 1e-3, cacheSize: 200, shrinking: true, maxIter: -1 });
    const c = m.clone();
    expect(c.getParams()).toEqual(m.getParams());
    await m.fit(X, y3);
    expect(() => c.support).toThrowError(code('E_NOT_FITTED'));
    expect(m.setParams({ C: 0.5 }).getParams().C).toBe(0.5);
    expect(() => m.setParams({ C: -1 })).toThrowError(code('E_PARAM'));
    expect(m.getParams().C).toBe(0.5);
  });

  it('fit returns this; attributes have scikit-learn shapes', async () => {
    const m = new SVC();
    expect(await m.fit(X, y3)).toBe(m);
    const s = m.support.length;
    expect(m.classes).toEqual(['a', 'b', 'c']);
    expect(m.supportVectors.rows).toBe(s);
    expect(m.supportVectors.cols).toBe(3);
    expect(m.dualCoef.rows).toBe(2);
    expect(m.dualCoef.cols).toBe(s);
    expect(m.intercept.length).toBe(3);
    expect(m.nIter.length).toBe(3);
    expect(Array.from(m.nSupport).reduce((a, b) => a + b, 0)).toBe(s);
    for (let k = 0; k < s; k++) expect(Array.from(m.supportVectors.data.subarray(k * 3, k * 3 + 3))).toEqual(X[m.support[k]]);
    const ovr = (await m.decisionFunction(X)) as Matrix;
    expect([ovr.rows, ovr.cols]).toEqual([n, 3]);
  });

  it('an abort mid-fit rejects and keeps the previous model', async () => {
    const big = Array.from({ length: 1500 }, (_, i) => [Math.sin(i * 0.37), Math.cos(i * 1.1), ((i * 13) % 17) / 17]);
    const yb = big.map((r, i) => (r[0] * r[1] > 0 !== (i % 7 === 0) ? 1 : 0));
    const m = await new SVC({ C: 100 }).fit(X, y2);
    const before = await m.decisionFunction(X);
    const c = new AbortController();
    const call = m.fit(big, yb, { signal: c.signal });
    setTimeout(() => c.abort(), 5);
    await expect(call).rejects.toThrowError(/abort/i);
    expect(await m.decisionFunction(X)).toEqual(before);
  });
});

describe('invariants', () => {
  it('a tiny kernel cache and shrinking off reach the same solution', async () => {
    const a = await new SVC({ C: 10 }).fit(X, y3);
    const b = await new SVC({ C: 10, cacheSize: 0.001 }).fit(X, y3);
    expect(Array.from(b.support)).toEqual(Array.from(a.support));
    expect(Array.from(b.dualCoef.data)).toEqual(Array.from(a.dualCoef.data));
    expect(Array.from(b.nIter)).toEqual(Array.from(a.nIter));
    const c = await new SVC({ C: 10, shrinking: false }).fit(X, y3);
    const da = (await a.decisionFunction(X)) as Matrix,
      dc = (await c.decisionFunction(X)) as Matrix;
    for (let i = 0; i < da.data.length; i++) expect(dc.data[i]).toBeCloseTo(da.data[i], 2);
    const r1 = await new SVR({ C: 5 }).fit(X, yReg);
    const r2 = await new SVR({ C: 5, cacheSize: 0.001 }).fit(X, yReg);
    expect(Array.from(r2.dualCoef.data)).toEqual(Array.from(r1.dualCoef.data));
  });

  it('a row of weight 0 is a row left out; support indices stay those of X', async () => {
    const w = X.map((_, i) => (i % 4 === 1 ? 0 : 1));
    const kept = X.map((_, i) => i).filter((i) => w[i] > 0);
    const a = await new SVC({ gamma: 0.5 }).fit(X, y3, { sampleWeight: w });
    const b = await new SVC({ gamma: 0.5 }).fit(
      kept.map((i) => X[i]),
      kept.map((i) => y3[i]),
    );
    expect(Array.from(a.support)).toEqual(Array.from(b.support, (i) => kept[i]));
    expect(Array.from(a.dualCoef.data)).toEqual(Array.from(b.dualCoef.data));
  });

  it("a linear kernel's decision is X·w + b with w = dualCoef · supportVectors", async () => {
    const m = await new SVC({ kernel: 'linear', C: 2 }).fit(X, y2);
    const dc = m.dualCoef.data,
      sv = m.supportVectors.data,
      b = m.intercept[0];
    const w = [0, 1, 2].map((f) => dc.reduce((s, c, k) => s + c * sv[k * 3 + f], 0));
    const dec = (await m.decisionFunction(X)) as Float64Array;
    X.forEach((r, i) => expect(dec[i]).toBeCloseTo(r[0] * w[0] + r[1] * w[1] + r[2] * w[2] + b, 10));
    const pred = await m.predict(X);
    pred.forEach((p, i) => expect(p).toBe(dec[i] > 0 ? 1 : 0));
  });

  it('maxIter caps every binary solve', async () => {
    const m = await new SVC({ maxIter: 5, C: 100 }).fit(X, y3);
    expect(Array.from(m.nIter)).toEqual([5, 5, 5]);
  });

  it('probabilities are distributions, seeded, agreeing with the decision', async () => {
    const a = await new SVC({ probability: true, randomState: 3 }).fit(X, y3);
    const b = await new SVC({ probability: true, randomState: 3 }).fit(X, y3);
    const pa = await a.predictProba(X);
    expect(Array.from((await b.predictProba(X)).data)).toEqual(Array.from(pa.data));
    expect(a.probA.length).toBe(3);
    const pred = await a.predict(X);
    let agree = 0;
    for (let r = 0; r < n; r++) {
      const row = Array.from(pa.data.subarray(r * 3, r * 3 + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
      if (a.classes[row.indexOf(Math.max(...row))] === pred[r]) agree++;
    }
    expect(agree / n).toBeGreaterThan(0.9);
    const lp = await a.predictLogProba(X);
    expect(lp.data[0]).toBeCloseTo(Math.log(pa.data[0]), 12);
  });

  it('breakTies picks the largest ovr column', async () => {
    const m = await new SVC({ breakTies: true }).fit(X, y3);
    const d = (await m.decisionFunction(X)) as Matrix;
    const pred = await m.predict(X);
    for (let r = 0; r < n; r++) {
      const row = Array.from(d.data.subarray(r * 3, r * 3 + 3));
      expect(pred[r]).toBe(m.classes[row.indexOf(Math.max(...row))]);
    }
  });

  it('OneClassSVM: about nu of the training rows fall outside; scoreSamples = decision + offset', async () => {
    const m = await new OneClassSVM({ nu: 0.2, gamma: 1 }).fit(X);
    const pred = await m.predict(X);
    const out = Array.from(pred).filter((v) => v === -1).length / n;
    expect(out).toBeGreaterThan(0.1);
    expect(out).toBeLessThan(0.3);
    expect(m.support.length / n).toBeGreaterThanOrEqual(0.2);
    const d = await m.decisionFunction(X),
      s = await m.scoreSamples(X);
    d.forEach((v, i) => expect(s[i]).toBeCloseTo(v + m.offset, 12));
  });

  it('SVR fits within the tube: R² high on a smooth target; NuSVR keeps at least nu of the rows', async () => {
    const m = await new SVR({ C: 10, epsilon: 0.05 }).fit(X, yReg);
    expect(await m.score(X, yReg)).toBeGreaterThan(0.95);
    const nu = await new NuSVR({ nu: 0.3, C: 10 }).fit(X, yReg);
    expect(nu.support.length / n).toBeGreaterThanOrEqual(0.3 - 1e-9);
  });
});
