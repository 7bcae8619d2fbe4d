/**
 * benchmark() and its gates: the JSON result validated against docs/benchmark-schema.json, every
 * backend this machine has (a backend that cannot run the model is a step with its reason), the
 * backend that really ran each kernel, and regression gates that fire on an injected slowdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  benchmark,
  checkRequirement,
  checkResult,
  compareToBaseline,
  GradientBoostingClassifier,
  LogisticRegression,
  Matrix,
  parseRequirement,
  parseSlowdown,
  Rng,
  type BenchmarkResult,
} from '../../src/index.js';
import { root } from '../helpers/dist.js';

const schema = JSON.parse(readFileSync(join(root, 'docs', 'benchmark-schema.json'), 'utf8'));
const validate = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: true }).compile(schema);

function problem(n: number, p: number, seed: number): { X: Matrix<Float64Array>; y: number[] } {
  const rng = new Rng(seed);
  const X = new Float64Array(n * p).map(() => rng.normal());
  const y = Array.from({ length: n }, (_, i) => (X[i * p] + 0.5 * X[i * p + 1] + 0.3 * rng.normal() > 0 ? 1 : 0));
  return { X: new Matrix(X, n, p), y };
}

function expectValid(r: unknown): void {
  const ok = validate(r);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

describe('benchmark()', () => {
  const { X, y } = problem(400, 6, 3);

  it('times fit, batch predict and single-row latency on each backend, in the documented schema', async () => {
    const model = new GradientBoostingClassifier({ nEstimators: 10, quantizedGradients: true });
    const r = await benchmark({ model, fit: { X, y }, data: X, backends: 'all', repeat: 2, latencyCalls: 50 });
    expectValid(r);
    expect(r.rows).toEqual({ fit: 400, predict: 400, features: 6 });
    expect(r.steps.map((s) => s.backend)).toEqual(['native', 'webgpu', 'js']);
    for (const s of r.steps) {
      expect(s.available).toBe(true);
      expect(s.reason).toBeUndefined();
      expect(s.fitMs!.samples).toBe(2);
      expect(s.fitMs!.min).toBeLessThanOrEqual(s.fitMs!.median);
      expect(s.predictMs!.median).toBeGreaterThan(0);
      expect(s.predictRowsPerSec).toBe(Math.round(400 / (s.predictMs!.median / 1000)));
      expect(s.latencyUs!.samples).toBe(50);
      expect(s.latencyUs!.p50).toBeLessThanOrEqual(s.latencyUs!.p99);
      expect(s.latencyUs!.p99).toBeLessThanOrEqual(s.latencyUs!.p999);
    }
    // the tree engine reports where it ran: webgpu has no synchronous path, so on the webgpu step
    // the single-row calls ran on a CPU backend, and the step says so
    const native = r.steps[0],
      gpu = r.steps[1],
      js = r.steps[2];
    expect(native.latencyUs!.path).toBe('sync');
    expect(gpu.latencyUs!.path).toBe('sync');
    expect(gpu.kernels!.some((k) => k.family === 'sync' && k.backend === 'native')).toBe(true);
    expect(native.kernels!.some((k) => k.family === 'hist' && k.backend === 'native' && !k.fellBack)).toBe(true);
    expect(js.kernels!.every((k) => k.backend === 'js')).toBe(true);
    expect(gpu.kernels!.some((k) => k.family === 'hist' && k.backend === 'webgpu')).toBe(true);
    // device traffic is counted on the webgpu step: the bins went up, the trees' results came back
    expect(gpu.device!.uploads).toBeGreaterThan(0);
    expect(gpu.device!.uploadBytes).toBeGreaterThan(0);
    expect(gpu.device!.readbacks).toBeGreaterThan(0);
    expect(gpu.device!.peakBytes).toBeGreaterThan(0);
    expect(native.device).toBeUndefined();
  });

  it('reports a backend that cannot run the model with the reason, and runs the others', async () => {
    const model = new LogisticRegression();
    const r = await benchmark({ model, fit: { X, y }, data: X, backends: ['webgpu', 'native'], repeat: 1, latencyCalls: 20 });
    expectValid(r);
    const [gpu, native] = r.steps;
    expect(gpu.reason).toMatch(/^E_BACKEND_LIMIT: LogisticRegression.fit: the linear kernels run on/);
    expect(gpu.fitMs).toBeUndefined();
    expect(native.fitMs!.samples).toBe(1);
    expect(native.kernels).toEqual([{ owner: 'LogisticRegression.fit', family: 'linear', backend: 'native', calls: 2 }]); // the warm-up fit and one timed fit
    expect(native.latencyUs!.path).toBe('async'); // LogisticRegression has no predictSync
    // the model's own backend parameter is put back afterwards
    expect(model.getParams().backend).toBeUndefined();
  });

  it('restores the process-wide backend and thread count it changed', async () => {
    const { getBackend, getThreads, setThreads } = await import('../../src/index.js');
    const before = setThreads(1);
    try {
      const model = await new LogisticRegression().fit(X, y);
      const r = await benchmark({ model, data: X, backends: ['native', 'js'], threads: [2, 1], repeat: 1, latencyCalls: 5 });
      expect(r.steps.map((s) => `${s.backend}@${s.threads}`)).toEqual(
        r.machine.cores >= 2 ? ['native@2', 'native@1', 'js@2'] : ['native@1', 'native@1', 'js@1'],
      );
      expect(getThreads()).toBe(1);
      expect(getBackend()).toBe(process.env.KILN_BACKEND || 'auto');
    } finally {
      setThreads(before);
    }
  });

  it('refuses bad options with E_PARAM naming the option', async () => {
    const model = new LogisticRegression();
    await expect(benchmark({ model } as never)).rejects.toMatchObject({ code: 'E_PARAM', message: /give data/ });
    await expect(benchmark({ model, data: X, backends: ['cuda' as never] })).rejects.toMatchObject({ code: 'E_PARAM', message: /unknown backend "cuda"/ });
    await expect(benchmark({ model, data: X, repeat: 0 })).rejects.toMatchObject({ code: 'E_PARAM', message: /repeat must be an integer >= 1/ });
    await expect(benchmark({ model, data: X, threads: [0] })).rejects.toMatchObject({ code: 'E_PARAM', message: /threads/ });
    await expect(benchmark({ model: 42 as never, data: X })).rejects.toMatchObject({ code: 'E_PARAM', message: /model must be/ });
    await expect(benchmark({ model: join(root, 'no-such.kiln'), data: X })).rejects.toMatchObject({ code: expect.stringMatching(/^E_/) });
  });
});

/** A result with the given medians (ms) per backend, as a baseline or a run. */
function fake(medians: Record<string, { fit?: number; predict?: number }>): BenchmarkResult {
  const spread = (m: number) => ({ median: m, min: m, max: m, relativeRange: 0, samples: 1 });
  return {
    schemaVersion: 1,
    kind: 'kiln-benchmark',
    createdAt: new Date(0).toISOString(),
    model: 'm',
    rows: { predict: 1000 },
    repeat: 1,
    machine: { cpu: 'x', cores: 2, platform: 'p', memoryGb: 1, freeMemoryGb: 1, loadAverage: [0, 0, 0], node: 'v20', kiln: '0', backends: [] },
    steps: Object.entries(medians).map(([backend, m]) => ({
      backend: backend as 'native',
      threads: 2,
      available: true,
      ...(m.fit !== undefined ? { fitMs: spread(m.fit) } : {}),
      ...(m.predict !== undefined ? { predictMs: spread(m.predict) } : {}),
    })),
  };
}

describe('gates', () => {
  it('a baseline gate fires on an injected slowdown beyond the allowance, and only then', () => {
    const base = fake({ native: { fit: 100, predict: 10 }, js: { fit: 400, predict: 50 } });
    expectValid(base);
    expect(compareToBaseline(fake({ native: { fit: 109, predict: 10.5 }, js: { fit: 380, predict: 50 } }), base, 0.1)).toEqual([]);
    const slow = compareToBaseline(fake({ native: { fit: 125, predict: 10 }, js: { fit: 400, predict: 50 } }), base, 0.1);
    expect(slow).toEqual([{ backend: 'native', threads: 2, metric: 'fit', baseline: 100, current: 125, slowdown: 0.25 }]);
    // steps or metrics the baseline lacks are not compared
    expect(compareToBaseline(fake({ webgpu: { fit: 999 } }), base, 0.1)).toEqual([]);
  });

  it('ratio requirements compare backends of the same run', () => {
    const r = fake({ native: { fit: 100, predict: 10 }, js: { fit: 400, predict: 25 } });
    expect(checkRequirement(r, parseRequirement('native >= 3x js on fit'))).toEqual({ text: 'native >= 3x js on fit', ok: true, detail: 'fit: 4.00x' });
    const both = checkRequirement(r, parseRequirement('native >= 3x js'));
    expect(both.ok).toBe(false);
    expect(both.detail).toBe('fit: 4.00x, predict: 2.50x');
    expect(checkRequirement(r, parseRequirement('webgpu >= 1x native')).detail).toBe('webgpu did not run');
    expect(parseRequirement('webgpu@2 >= 1.5x native@1 on latencyP99')).toMatchObject({
      fast: { backend: 'webgpu', threads: 2 },
      slow: { backend: 'native', threads: 1 },
      factor: 1.5,
      metric: 'latencyP99',
    });
  });

  it('refuses malformed gates with E_PARAM', () => {
    expect(() => parseRequirement('native faster than js')).toThrow(/write it as "BACKEND\[@THREADS\] >= Nx/);
    expect(() => parseRequirement('native >= 2x js on speed')).toThrow(/unknown metric "speed"/);
    expect(() => parseSlowdown('ten')).toThrow(/percentage/);
    expect(parseSlowdown('10%')).toBeCloseTo(0.1, 12);
    expect(parseSlowdown('2.5')).toBeCloseTo(0.025, 12);
    expect(() => checkResult({ kind: 'other' }, 'baseline.json')).toThrow(/not a kiln benchmark result/);
    expect(() => checkResult({ ...fake({}), schemaVersion: 99 }, 'baseline.json')).toThrow(/schema version 99/);
  });
});
