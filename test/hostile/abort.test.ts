/**
 * AbortSignal on every long call: an aborted signal rejects with its reason (an AbortError
 * DOMException by default) before any work, an abort mid-call rejects too, and the estimator
 * is left as it was before the call (unfitted, or with its previous model).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GradientBoostingClassifier,
  KNeighborsClassifier,
  LinearSVC,
  LogisticRegression,
  MLPClassifier,
  MLPRegressor,
  Pipeline,
  RandomForestRegressor,
  Ridge,
  SGDClassifier,
  SVC,
  SVR,
  StandardScaler,
  TfidfVectorizer,
  readArrow,
  readCsv,
  readParquet,
} from '../../src/index.js';

const n = 300;
const X = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 11) / 11]);
const y = X.map((r) => (r[0] + r[1] > 0 ? 1 : 0));
const yReg = X.map((r) => r[0] * 2 - r[2]);
const X2 = X.map((r) => [r[1], r[0], r[2] * 2]); // other data for a refit
const y2 = X2.map((r) => (r[0] > 0.2 ? 1 : 0));
const probe = X.slice(0, 20);

const aborted = (reason?: unknown) => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};
const isAbortError = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';
const code = (c: string) => expect.objectContaining({ code: c });

interface Family {
  make(): { fit(X: unknown, y: unknown, o?: object): Promise<unknown>; predict(X: unknown, o?: object): Promise<unknown> };
  /** Options whose hook aborts `controller` part-way through a fit (when the family has a hook). */
  midway?(controller: AbortController): object;
  y?: unknown[];
}

const FAMILIES: Record<string, Family> = {
  GradientBoostingClassifier: {
    make: () => new GradientBoostingClassifier({ nEstimators: 40 }),
    midway: (c) => ({
      onProgress: (l: { round: number }) => {
        if (l.round === 3) c.abort();
      },
    }),
  },
  RandomForestRegressor: { make: () => new RandomForestRegressor({ nEstimators: 30 }), y: yReg },
  MLPClassifier: {
    make: () => new MLPClassifier({ hiddenLayerSizes: [8], maxIter: 30, tol: null }),
  },
  SGDClassifier: { make: () => new SGDClassifier({ maxIter: 50, tol: null }) },
  LogisticRegression: { make: () => new LogisticRegression() },
  'LogisticRegression newton-cholesky': { make: () => new LogisticRegression({ solver: 'newton-cholesky' }) },
  LinearSVC: { make: () => new LinearSVC() },
  Ridge: { make: () => new Ridge(), y: yReg },
  KNeighborsClassifier: { make: () => new KNeighborsClassifier() },
  SVC: { make: () => new SVC({ probability: true }) },
  SVR: { make: () => new SVR(), y: yReg },
};

describe('an aborted signal rejects before any work, with its reason', () => {
  it.each(Object.keys(FAMILIES))('%s.fit and predict', async (name) => {
    const f = FAMILIES[name];
    const m = f.make();
    // garbage data: rejected as aborted, not as bad data, so nothing was read
    await expect(m.fit('not data', null, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    const mine = new Error('shutting down');
    await expect(m.fit(X, f.y ?? y, { signal: aborted(mine) })).rejects.toBe(mine);
    await expect(m.predict(probe)).rejects.toThrowError(code('E_NOT_FITTED'));
    await m.fit(X, f.y ?? y);
    await expect(m.predict(probe, { signal: aborted() })).rejects.toSatisfy(isAbortError);
  });

  it('transformers, pipelines and the data readers', async () => {
    await expect(new StandardScaler().fit(X, undefined, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    await expect(new TfidfVectorizer().fitTransform(['a b'], undefined, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    const pipe = new Pipeline([
      ['s', new StandardScaler()],
      ['r', new Ridge()],
    ]);
    await expect(pipe.fit(X, yReg, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    const dir = mkdtempSync(join(tmpdir(), 'kiln-abort-'));
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, `a,b\n${Array.from({ length: 50_000 }, (_, i) => `${i},${i * 2}`).join('\n')}`);
    await expect(readCsv(csv, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    await expect(readParquet(csv, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    await expect(readArrow(csv, { signal: aborted() })).rejects.toSatisfy(isAbortError);
    await expect(readCsv(csv, { signal: 'stop' } as unknown as object)).rejects.toThrowError(code('E_PARAM'));
    // mid-read: the signal aborts while the rows stream in
    const c = new AbortController();
    const reading = readCsv(csv, { signal: c.signal });
    setImmediate(() => c.abort());
    await expect(reading).rejects.toSatisfy(isAbortError);
  });
});

describe('an abort mid-call rejects and leaves the estimator as it was', () => {
  it.each(Object.keys(FAMILIES))('%s: a fresh estimator stays unfitted, a refit keeps the previous model', async (name) => {
    const f = FAMILIES[name];
    const abortDuring = async (m: ReturnType<Family['make']>, Xd: unknown, yd: unknown) => {
      const c = new AbortController();
      const opts = f.midway ? f.midway(c) : {};
      const call = m.fit(Xd, yd, { ...opts, signal: c.signal });
      if (!f.midway) queueMicrotask(() => c.abort()); // after the call started, before it ends
      await expect(call).rejects.toSatisfy(isAbortError);
    };
    const fresh = f.make();
    await abortDuring(fresh, X, f.y ?? y);
    await expect(fresh.predict(probe)).rejects.toThrowError(code('E_NOT_FITTED'));

    const m = f.make();
    await m.fit(X, f.y ?? y);
    const before = await m.predict(X);
    await abortDuring(m, X2, f.y ? X2.map((r) => r[0] - r[1]) : y2);
    expect(await m.predict(X)).toEqual(before);
  });

  it('MLP partialFit: an abort inside the epoch leaves weights, optimiser state and history as they were', async () => {
    const m = new MLPRegressor({ hiddenLayerSizes: [6] });
    for (let i = 0; i < 3; i++) await m.partialFit(X, yReg);
    const weights = m.coefs.map((c) => Array.from(c.data));
    const history = m.history.length;
    const c = new AbortController();
    const call = m.partialFit(X2, yReg, { signal: c.signal });
    queueMicrotask(() => c.abort());
    await expect(call).rejects.toSatisfy(isAbortError);
    expect(m.coefs.map((w) => Array.from(w.data))).toEqual(weights);
    expect(m.history.length).toBe(history);
    // and training continues exactly as if the aborted call never happened
    const twin = new MLPRegressor({ hiddenLayerSizes: [6] });
    for (let i = 0; i < 3; i++) await twin.partialFit(X, yReg);
    await m.partialFit(X2, yReg);
    await twin.partialFit(X2, yReg);
    expect(m.coefs.map((w) => Array.from(w.data))).toEqual(twin.coefs.map((w) => Array.from(w.data)));
  });

  it('a Pipeline refit aborted in its last step keeps every step as it was', async () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['clf', new GradientBoostingClassifier({ nEstimators: 20 })],
    ]);
    await pipe.fit(X, y);
    const before = await pipe.predict(X);
    const mean = (pipe.namedSteps.scale as StandardScaler).mean;
    const c = new AbortController();
    const shifted = X2.map((r) => r.map((v) => v + 5));
    await expect(
      pipe.fit(shifted, y2, {
        signal: c.signal,
        onProgress: (l: { round: number }) => {
          if (l.round === 2) c.abort();
        },
      }),
    ).rejects.toSatisfy(isAbortError);
    expect((pipe.namedSteps.scale as StandardScaler).mean).toEqual(mean);
    expect(await pipe.predict(X)).toEqual(before);
  });
});

describe('a timer-based abort fires during a fit made of many small inline steps', () => {
  // Each epoch, round or tree here is small enough to run inline on the JS thread; without the
  // loop's checkpoint giving the event loop a turn, AbortSignal.timeout could not fire until the
  // whole fit (minutes) was over.
  const LONG: Record<string, () => { fit(X: unknown, y: unknown, o?: object): Promise<unknown> }> = {
    SGDClassifier: () => new SGDClassifier({ maxIter: 10_000_000, tol: null }),
    MLPClassifier: () => new MLPClassifier({ hiddenLayerSizes: [4], maxIter: 10_000_000, tol: null, nIterNoChange: 10_000_000 }),
    GradientBoostingClassifier: () => new GradientBoostingClassifier({ nEstimators: 10_000_000, learningRate: 1e-6 }),
  };
  for (const [name, make] of Object.entries(LONG)) {
    it(`${name}: AbortSignal.timeout(50) rejects with a TimeoutError within a second`, async () => {
      const started = performance.now();
      const err = await make()
        .fit(X, y, { signal: AbortSignal.timeout(50) })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err instanceof DOMException && err.name === 'TimeoutError', String(err)).toBe(true);
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  }
});
