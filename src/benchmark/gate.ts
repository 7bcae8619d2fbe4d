/**
 * Regression gates over benchmark results: against a baseline file (a metric slower than it by
 * more than the allowance), and ratios between backends measured in the same run ("native >= 3x
 * js"), which survive noisy CI machines because both sides share the noise.
 */
import { ParamError } from '../core/errors.js';
import type { BenchmarkResult, BenchStep } from './run.js';
import { BENCHMARK_SCHEMA_VERSION } from './run.js';

/** The timed figures a gate compares; all are times, lower is better. */
export const GATE_METRICS = ['fit', 'predict', 'latencyP50', 'latencyP99'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

/** A step's figure for a metric (milliseconds for fit/predict, microseconds for latency), undefined when not measured. */
export function metricOf(step: BenchStep, metric: GateMetric): number | undefined {
  switch (metric) {
    case 'fit':
      return step.fitMs?.median;
    case 'predict':
      return step.predictMs?.median;
    case 'latencyP50':
      return step.latencyUs?.p50;
    case 'latencyP99':
      return step.latencyUs?.p99;
  }
}

export interface Regression {
  backend: string;
  threads: number;
  metric: GateMetric;
  baseline: number;
  current: number;
  /** current / baseline − 1 (0.25 = 25 % slower). */
  slowdown: number;
}

/** Throws unless `x` looks like a benchmark result of a schema this version reads. */
export function checkResult(x: unknown, what: string): BenchmarkResult {
  const r = x as BenchmarkResult;
  if (r === null || typeof r !== 'object' || r.kind !== 'kiln-benchmark' || !Array.isArray(r.steps)) {
    throw new ParamError(`${what} is not a kiln benchmark result (write one with kiln bench --json)`);
  }
  if (r.schemaVersion !== BENCHMARK_SCHEMA_VERSION) {
    throw new ParamError(`${what} has schema version ${r.schemaVersion}; this kiln reads ${BENCHMARK_SCHEMA_VERSION}: rerun the baseline`);
  }
  return r;
}

/** Every metric of every step (matched by backend and threads) slower than the baseline by more than `maxSlowdown` (0.1 = 10 %). */
export function compareToBaseline(current: BenchmarkResult, baseline: BenchmarkResult, maxSlowdown: number): Regression[] {
  if (!(maxSlowdown >= 0)) throw new ParamError(`maxSlowdown must be a number >= 0 (0.1 = 10 %), got ${maxSlowdown}`);
  const out: Regression[] = [];
  for (const step of current.steps) {
    const base = baseline.steps.find((b) => b.backend === step.backend && b.threads === step.threads);
    if (!base) continue;
    for (const metric of GATE_METRICS) {
      const c = metricOf(step, metric),
        b = metricOf(base, metric);
      if (c === undefined || b === undefined || !(b > 0)) continue;
      const slowdown = c / b - 1;
      if (slowdown > maxSlowdown) out.push({ backend: step.backend, threads: step.threads, metric, baseline: b, current: c, slowdown });
    }
  }
  return out;
}

export interface Requirement {
  text: string;
  fast: { backend: string; threads?: number };
  slow: { backend: string; threads?: number };
  factor: number;
  metric?: GateMetric;
}

const SIDE = String.raw`([a-z]+)(?:@(\d+))?`;
const REQUIREMENT = new RegExp(String.raw`^\s*${SIDE}\s*>=\s*(\d+(?:\.\d+)?)\s*x\s+${SIDE}(?:\s+on\s+([A-Za-z0-9]+))?\s*$`);

/** Parses "native >= 3x js", "webgpu@2 >= 1.5x native@2 on predict" (A at least N times as fast as B). */
export function parseRequirement(text: string): Requirement {
  const m = REQUIREMENT.exec(text);
  if (!m) {
    throw new ParamError(
      `--require ${JSON.stringify(text)}: write it as "BACKEND[@THREADS] >= Nx BACKEND[@THREADS] [on ${GATE_METRICS.join('|')}]", e.g. "native >= 3x js"`,
    );
  }
  const metric = m[6] as GateMetric | undefined;
  if (metric !== undefined && !GATE_METRICS.includes(metric)) {
    throw new ParamError(`--require ${JSON.stringify(text)}: unknown metric ${JSON.stringify(metric)}; use one of ${GATE_METRICS.join(', ')}`);
  }
  const factor = Number(m[3]);
  if (!(factor > 0)) throw new ParamError(`--require ${JSON.stringify(text)}: the factor must be > 0`);
  return {
    text,
    fast: { backend: m[1], ...(m[2] ? { threads: Number(m[2]) } : {}) },
    factor,
    slow: { backend: m[4], ...(m[5] ? { threads: Number(m[5]) } : {}) },
    ...(metric ? { metric } : {}),
  };
}

/** The step of a side: the named thread count, else the backend's step with the most threads. */
function stepOf(r: BenchmarkResult, side: { backend: string; threads?: number }): BenchStep | undefined {
  const steps = r.steps.filter((s) => s.backend === side.backend && (side.threads === undefined || s.threads === side.threads) && s.available && !s.reason);
  return steps.sort((a, b) => b.threads - a.threads)[0];
}

export interface RequirementCheck {
  text: string;
  ok: boolean;
  /** What was compared (or why it could not be). */
  detail: string;
}

/** Checks a requirement on one run; a side that did not run fails it, with the reason. */
export function checkRequirement(r: BenchmarkResult, req: Requirement): RequirementCheck {
  const fast = stepOf(r, req.fast),
    slow = stepOf(r, req.slow);
  const label = (s: { backend: string; threads?: number }) => `${s.backend}${s.threads ? `@${s.threads}` : ''}`;
  if (!fast || !slow) {
    const missing = !fast ? req.fast : req.slow;
    const why = r.steps.find((s) => s.backend === missing.backend)?.reason;
    return { text: req.text, ok: false, detail: `${label(missing)} did not run${why ? ` (${why})` : ''}` };
  }
  const metrics = req.metric ? [req.metric] : GATE_METRICS.filter((m) => metricOf(fast, m) !== undefined && metricOf(slow, m) !== undefined);
  if (metrics.length === 0) return { text: req.text, ok: false, detail: 'no metric was measured on both sides' };
  const parts: string[] = [];
  let ok = true;
  for (const m of metrics) {
    const f = metricOf(fast, m),
      s = metricOf(slow, m);
    if (f === undefined || s === undefined) {
      ok = false;
      parts.push(`${m}: not measured on both sides`);
      continue;
    }
    const speedup = s / f;
    if (speedup < req.factor) ok = false;
    parts.push(`${m}: ${speedup.toFixed(2)}x`);
  }
  return { text: req.text, ok, detail: parts.join(', ') };
}

/** Reads a percentage, "10%" or "10", as a fraction (0.1). */
export function parseSlowdown(text: string): number {
  const t = text.trim().replace(/%$/, '');
  const v = Number(t);
  if (t === '' || !Number.isFinite(v) || v < 0) throw new ParamError(`--max-slowdown ${JSON.stringify(text)}: write a percentage >= 0 such as 10%`);
  return v / 100;
}
