import { describe, expect, it } from 'vitest';
import { createStudy, GridSampler, RandomSampler, TPESampler, TrialPruned, paramImportances, type FrozenTrial } from '../../../src/index.js';

const branin = (x: number, y: number): number => {
  const b = 5.1 / (4 * Math.PI ** 2),
    c = 5 / Math.PI,
    t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
};

const quiet = { onWarning: () => {} };

describe('createStudy / optimize', () => {
  it('runs trials, keeps rows and finds the best', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 20 });
    expect(study.trials).toHaveLength(20);
    const rows = study.trials;
    expect(rows.map((r) => r.number)).toEqual([...Array(20).keys()]);
    for (const r of rows) {
      expect(r.state).toBe('COMPLETE');
      expect(r.value).toBe(((r.params.x as number) - 2) ** 2);
      expect(r.distributions.x).toEqual({ type: 'float', low: -10, high: 10, log: false, step: null });
      expect(r.datetimeStart).toBeInstanceOf(Date);
      expect(r.datetimeComplete!.getTime()).toBeGreaterThanOrEqual(r.datetimeStart!.getTime());
    }
    const min = Math.min(...rows.map((r) => r.value as number));
    expect(study.bestValue).toBe(min);
    expect(study.bestTrial.value).toBe(min);
    expect(study.bestParams).toEqual(rows.find((r) => r.value === min)!.params);
  });

  it('maximizes', async () => {
    const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => -((t.suggestFloat('x', -10, 10) - 2) ** 2), { nTrials: 15 });
    expect(study.bestValue).toBe(Math.max(...study.trials.map((r) => r.value as number)));
  });

  it('suggests within ranges, on steps and log scales, and the same value twice in a trial', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        const a = t.suggestFloat('a', 0.5, 1.7, { step: 0.25 });
        const b = t.suggestFloat('b', 1e-5, 1, { log: true });
        const c = t.suggestInt('c', 2, 20, { step: 3 });
        const d = t.suggestInt('d', 1, 1000, { log: true });
        const e = t.suggestCategorical('e', ['x', 1, true, null]);
        expect([0.5, 0.75, 1, 1.25, 1.5]).toContain(a);
        expect(b).toBeGreaterThanOrEqual(1e-5);
        expect(b).toBeLessThanOrEqual(1);
        expect([2, 5, 8, 11, 14, 17, 20]).toContain(c);
        expect(Number.isInteger(d) && d >= 1 && d <= 1000).toBe(true);
        expect(['x', 1, true, null]).toContain(e);
        expect(t.suggestFloat('a', 0.5, 1.7, { step: 0.25 })).toBe(a);
        expect(() => t.suggestFloat('a', 0, 1)).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
        return a + b + c + d;
      },
      { nTrials: 40 },
    );
    // a stepped float's high is trimmed to the grid, as Optuna does
    expect(study.trials[0].distributions.a).toEqual({ type: 'float', low: 0.5, high: 1.5, log: false, step: 0.25 });
    // every grid value of a small int range is reachable
    const cs = new Set(study.trials.map((r) => r.params.c));
    expect(cs.size).toBe(7);
  });

  it('marks a throwing objective FAIL, warns, and goes on; NaN fails too', async () => {
    const warnings: string[] = [];
    const study = await createStudy({ sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        if (t.number === 1) throw new Error('boom');
        if (t.number === 2) return Number.NaN;
        return x;
      },
      { nTrials: 4, onWarning: (m) => warnings.push(m) },
    );
    expect(study.trials.map((r) => r.state)).toEqual(['COMPLETE', 'FAIL', 'FAIL', 'COMPLETE']);
    expect(study.trials[1].systemAttrs.failReason).toBe('boom');
    expect(study.trials[2].systemAttrs.failReason).toMatch(/NaN/);
    expect(study.trials[1].value).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/Trial 1 failed: boom/);
  });

  it('catch: false marks the trial FAIL and rethrows; a list catches only its classes', async () => {
    const study = await createStudy();
    await expect(
      study.optimize(
        () => {
          throw new RangeError('bad');
        },
        { nTrials: 3, catch: false },
      ),
    ).rejects.toThrow('bad');
    expect(study.trials.map((r) => r.state)).toEqual(['FAIL']);
    await expect(
      study.optimize(
        (t) => {
          if (t.number === 1) throw new RangeError('caught');
          throw new TypeError('not caught');
        },
        { nTrials: 3, catch: [RangeError], ...quiet },
      ),
    ).rejects.toThrow('not caught');
    expect(study.trials.map((r) => r.state)).toEqual(['FAIL', 'FAIL', 'FAIL']);
  });

  it('TrialPruned marks PRUNED with the last reported value', async () => {
    const study = await createStudy();
    await study.optimize(
      (t) => {
        t.report(3, 0);
        t.report(2, 1);
        t.report(9, 1); // a step reported twice keeps its first value
        throw new TrialPruned();
      },
      { nTrials: 1 },
    );
    const [r] = study.trials;
    expect(r.state).toBe('PRUNED');
    expect(r.value).toBe(2);
    expect(r.intermediateValues).toEqual({ 0: 3, 1: 2 });
    expect(() => study.bestTrial).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
  });

  it('stops on an AbortSignal, rejecting with its reason and keeping finished trials', async () => {
    const ac = new AbortController();
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    const run = study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1);
        if (t.number === 3) ac.abort(new Error('stop now'));
        await new Promise((r) => setTimeout(r, 1));
        return x;
      },
      { nTrials: 100, signal: ac.signal, ...quiet },
    );
    await expect(run).rejects.toThrow('stop now');
    expect(study.trials.map((r) => r.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL']);
  });

  it('timeout starts no trial after it passes; callbacks see each trial', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 6 }) });
    const seen: FrozenTrial[] = [];
    await study.optimize(
      async (t) => {
        await new Promise((r) => setTimeout(r, 30));
        return t.suggestFloat('x', 0, 1);
      },
      { timeout: 0.1, callbacks: [(_s, tr) => void seen.push(tr)] },
    );
    expect(study.trials.length).toBeGreaterThanOrEqual(2);
    expect(study.trials.length).toBeLessThanOrEqual(6);
    expect(seen.map((t) => t.number)).toEqual(study.trials.map((t) => t.number));
  });

  it('enqueued trials run first with their fixed values; the rest are sampled', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 7 }) });
    study.enqueueTrial({ x: 0.25, k: 'b' });
    study.enqueueTrial({ x: 0.75 });
    expect(study.trials.map((r) => r.state)).toEqual(['WAITING', 'WAITING']);
    await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('k', ['a', 'b']) === 'a' ? 0 : 1), { nTrials: 3 });
    expect(study.trials[0].params).toEqual({ x: 0.25, k: 'b' });
    expect(study.trials[1].params.x).toBe(0.75);
    expect(study.trials.every((r) => r.state === 'COMPLETE')).toBe(true);
    study.enqueueTrial({ x: 5 });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1, ...quiet });
    expect(study.trials[3].state).toBe('FAIL');
    expect(study.trials[3].systemAttrs.failReason).toMatch(/not in the suggested range/);
  });

  it('refuses bad input with E_PARAM naming the argument', async () => {
    const code = expect.objectContaining({ code: 'E_PARAM' });
    await expect(createStudy({ direction: 'up' as never })).rejects.toThrowError(code);
    await expect(createStudy({ sampler: {} as never })).rejects.toThrowError(/sampler/);
    await expect(createStudy({ storage: 'postgres://x/y' })).rejects.toThrowError(/storage/);
    expect(() => new TPESampler({ nStartupTrials: -1 })).toThrowError(/nStartupTrials/);
    expect(() => new RandomSampler({ seed: 1.5 })).toThrowError(/seed/);
    expect(() => new TPESampler({ nStartup: 3 } as never)).toThrowError(/unknown option 'nStartup'; known options are nStartupTrials/);
    await expect(createStudy({ directions: 'maximize' } as never)).rejects.toThrowError(/unknown option 'directions'/);
    const study = await createStudy();
    await expect(study.optimize((() => 1) as never, {})).rejects.toThrowError(/nTrials, timeout or signal/);
    await expect(study.optimize(() => 1, { nTrials: 0 })).rejects.toThrowError(/nTrials/);
    const bad: [string, (t: import('../../../src/index.js').Trial) => unknown][] = [
      ['low must be <= high', (t) => t.suggestFloat('a', 2, 1)],
      ['step and log', (t) => t.suggestFloat('a', 1, 2, { log: true, step: 0.1 })],
      ['low > 0', (t) => t.suggestFloat('a', 0, 2, { log: true })],
      ['integers', (t) => t.suggestInt('a', 0.5, 2)],
      ['non-empty', (t) => t.suggestCategorical('a', [])],
      ['step must be an integer >= 0', (t) => t.report(1, -1)],
    ];
    for (const [msg, f] of bad) {
      const s = await createStudy();
      await s
        .optimize((t) => (f(t), 0), { nTrials: 1, catch: false })
        .then(
          () => expect.fail(`expected ${msg}`),
          (e) => {
            expect(e.code).toBe('E_PARAM');
            expect(e.message).toContain(msg);
          },
        );
    }
    // a parameter keeps its kind across trials
    const s2 = await createStudy();
    await s2.optimize((t) => t.suggestFloat('a', 0, 1), { nTrials: 1 });
    await expect(s2.optimize((t) => t.suggestInt('a', 0, 1), { nTrials: 1, catch: false })).rejects.toThrowError(/float parameter/);
  });
});

describe('samplers', () => {
  const objective = (t: import('../../../src/index.js').Trial) =>
    branin(t.suggestFloat('x', -5, 10), t.suggestFloat('y', 0, 15)) +
    (t.suggestCategorical('c', ['a', 'b', 'c']) === 'b' ? 0 : 1) +
    t.suggestInt('n', 1, 64, { log: true }) / 64;

  it('TPE is deterministic given a seed', async () => {
    const run = async (seed: number) => {
      const s = await createStudy({ sampler: new TPESampler({ seed }) });
      await s.optimize(objective, { nTrials: 25 });
      return s.trials.map((r) => r.params);
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('TPE beats random search on Branin: best after 50 trials below the median of random', async () => {
    const best = async (mk: (s: number) => import('../../../src/index.js').Sampler, seed: number) => {
      const s = await createStudy({ sampler: mk(seed) });
      await s.optimize((t) => branin(t.suggestFloat('x', -5, 10), t.suggestFloat('y', 0, 15)), { nTrials: 50 });
      return s.bestValue;
    };
    const seeds = [0, 1, 2, 3, 4, 5, 6];
    const tpe: number[] = [],
      rnd: number[] = [];
    for (const s of seeds) {
      tpe.push(await best((x) => new TPESampler({ seed: x }), s));
      rnd.push(await best((x) => new RandomSampler({ seed: x }), s));
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[(v.length - 1) / 2];
    // Branin's minimum is 0.397887; TPE's median best is closer to it than random's, and most
    // TPE runs beat random's median.
    expect(median(tpe)).toBeLessThan(median(rnd));
    expect(tpe.filter((v) => v < median(rnd)).length).toBeGreaterThanOrEqual(5);
    expect(Math.min(...tpe)).toBeGreaterThanOrEqual(0.397887);
  });

  it('TPE keeps its samples in range, on steps, on log scales and among the choices, and concentrates on the good region', async () => {
    const study = await createStudy({ direction: 'maximize', sampler: new TPESampler({ seed: 9, nStartupTrials: 5 }) });
    await study.optimize(
      (t) => {
        const a = t.suggestFloat('a', 0, 1, { step: 0.125 });
        const b = t.suggestFloat('b', 1e-4, 1, { log: true });
        const n = t.suggestInt('n', 10, 40, { step: 5 });
        const m = t.suggestInt('m', 1, 256, { log: true });
        const c = t.suggestCategorical('c', ['lo', 'hi', 'mid']);
        expect(Number.isInteger(a / 0.125) && a >= 0 && a <= 1).toBe(true);
        expect(b >= 1e-4 && b <= 1).toBe(true);
        expect([10, 15, 20, 25, 30, 35, 40]).toContain(n);
        expect(Number.isInteger(m) && m >= 1 && m <= 256).toBe(true);
        // pruned trials (ranked by the step they reached) take part in the split too
        if (t.number % 7 === 6) {
          t.report(-1, 0);
          throw new TrialPruned();
        }
        return -((a - 0.75) ** 2) - Math.abs(Math.log10(b) + 2) + (c === 'hi' ? 1 : 0) - Math.abs(n - 25) / 10;
      },
      { nTrials: 60 },
    );
    const later = study.trials.slice(30).filter((t) => t.state === 'COMPLETE');
    expect(later.filter((t) => t.params.c === 'hi').length / later.length).toBeGreaterThan(0.6);
    expect(study.bestParams.c).toBe('hi');
    expect(study.trials.some((t) => t.state === 'PRUNED')).toBe(true);
  });

  it('GridSampler runs every grid point exactly once, then stops the study', async () => {
    const space = { x: [1, 2, 3], y: ['a', 'b'], z: [true, false] };
    const study = await createStudy({ sampler: new GridSampler(space, { seed: 3 }) });
    await study.optimize(
      (t) => t.suggestInt('x', 1, 3) + (t.suggestCategorical('y', ['a', 'b']) === 'a' ? 0 : 10) + (t.suggestCategorical('z', [true, false]) ? 0 : 100),
      {
        nTrials: 100,
      },
    );
    expect(study.trials).toHaveLength(12);
    const seen = study.trials.map((r) => JSON.stringify([r.params.x, r.params.y, r.params.z])).sort();
    const all: string[] = [];
    for (const x of space.x) for (const y of space.y) for (const z of space.z) all.push(JSON.stringify([x, y, z]));
    expect(seen).toEqual(all.sort());
    expect(() => new GridSampler({})).toThrowError(/empty/);
  });

  it('GridSampler refuses a parameter outside the grid', async () => {
    const study = await createStudy({ sampler: new GridSampler({ x: [1, 2] }) });
    await expect(study.optimize((t) => t.suggestInt('x', 1, 2) + t.suggestFloat('w', 0, 1), { nTrials: 1, catch: false })).rejects.toThrowError(
      /not in the grid/,
    );
  });
});

describe('paramImportances', () => {
  it('rates the parameter the value depends on highest, normalised to 1', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 8 }) });
    await study.optimize(
      (t) => 10 * t.suggestFloat('big', 0, 1) + 0.1 * t.suggestFloat('small', 0, 1) + (t.suggestCategorical('c', ['a', 'b']) === 'a' ? 0 : 0.01),
      {
        nTrials: 60,
      },
    );
    const imp = await paramImportances(study);
    expect(Object.keys(imp)[0]).toBe('big');
    expect(imp.big).toBeGreaterThan(0.8);
    expect(Object.values(imp).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(await paramImportances(study)).toEqual(imp);
    expect(await paramImportances(study, { evaluator: 'fanova' })).toEqual(imp); // the default
    const mdi = await paramImportances(study, { evaluator: 'mdi' });
    expect(Object.keys(mdi)[0]).toBe('big');
    expect(mdi.big).toBeGreaterThan(0.8);
    const empty = await createStudy();
    await expect(paramImportances(empty)).rejects.toThrowError(/at least 2 completed trials/);
  });
});
