/**
 * `kiln bench <config | model file | registry ref>`: times the user's own model on their data on
 * each backend × thread count (src/benchmark), prints a table, writes --json, and gates CI runs
 * against a baseline (--baseline, --max-slowdown) or ratios measured in this run (--require).
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { BackendName } from '../backend/index.js';
import {
  benchmark,
  checkRequirement,
  checkResult,
  compareToBaseline,
  parseRequirement,
  parseSlowdown,
  type BenchData,
  type BenchmarkResult,
  type BenchmarkOptions,
  type Regression,
  type RequirementCheck,
} from '../benchmark/index.js';
import { BenchmarkGateError, ParamError } from '../core/errors.js';
import { readTable } from '../data/read.js';
import { resolveSource } from '../data/source.js';
import { writeFileAtomic } from '../deploy/atomic-write.js';
import { loadTrainConfig } from './config.js';
import { featureTable, targetValues } from './data.js';
import { jobSignal } from './interrupt.js';
import { fmt, textTable } from './metrics.js';
import { featureSpecOf, inputOrder, modelInput, resolveModel } from './model-ref.js';
import { prepareTraining } from './train.js';

export interface BenchFlags {
  data?: string;
  registry?: string;
  backend?: string;
  threads?: string;
  rows?: number;
  repeat?: number;
  latencyCalls?: number;
  json?: string;
  baseline?: string;
  maxSlowdown?: string;
  require?: string[];
}

const BACKENDS: readonly BackendName[] = ['native', 'webgpu', 'js'];

function parseBackends(v: string | undefined): readonly BackendName[] | 'all' {
  if (v === undefined || v.trim() === 'all') return 'all';
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!BACKENDS.includes(n as BackendName)) throw new ParamError(`--backend: unknown backend ${JSON.stringify(n)}; use native, webgpu, js or all`);
  }
  if (names.length === 0) throw new ParamError('--backend: name at least one backend (native, webgpu, js) or all');
  return names as BackendName[];
}

function parseThreads(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1) throw new ParamError(`--threads: ${JSON.stringify(s.trim())} is not an integer >= 1; write e.g. 1,2,4`);
    return n;
  });
}

const isConfig = (target: string) => ['.yaml', '.yml', '.json'].includes(extname(target).toLowerCase());

/** What a training config benchmarks: its model's fit on the train rows, prediction on the test rows. */
async function fromConfig(target: string, flags: BenchFlags): Promise<Pick<BenchmarkOptions, 'model' | 'fit' | 'data' | 'label'>> {
  const cfg = await loadTrainConfig(target);
  if (flags.rows !== undefined) cfg.data.limit = flags.rows;
  const { spec, model, trainRows, testRows } = await prepareTraining(cfg);
  return {
    model,
    fit: { X: featureTable(trainRows, spec) as BenchData, y: targetValues(trainRows.columns[cfg.target], spec) },
    data: featureTable(testRows, spec) as BenchData,
    label: `${cfg.model.className} (${target})`,
  };
}

/** What a saved model benchmarks: prediction on --data (or the bundled example it was trained on). */
async function fromModel(target: string, flags: BenchFlags): Promise<Pick<BenchmarkOptions, 'model' | 'data' | 'label'>> {
  const ref = await resolveModel(target, flags.registry);
  const spec = featureSpecOf(ref.manifest, ref.label);
  const trainedOn = ref.manifest.lineage?.dataSource;
  const source = flags.data ?? (trainedOn?.startsWith('vega-datasets:') ? trainedOn : undefined);
  if (!source) {
    throw new ParamError(`--data: ${ref.label} was not trained on a bundled example (vega-datasets:…); give the rows to predict with --data FILE`);
  }
  const src = resolveSource(source, process.cwd(), '--data');
  const columns = new Map<string, string>();
  for (const n of inputOrder(ref.manifest, spec)) columns.set(n, `--data (${ref.label} takes column ${JSON.stringify(n)})`);
  const raw = await readTable(src, columns, { limit: flags.rows, missing: spec.missing, asText: spec.categorical, signal: jobSignal() });
  return { model: ref.path, data: modelInput(featureTable(raw, spec), ref.manifest, spec) as BenchData, label: ref.label };
}

const ms = (v: number | undefined) => (v === undefined ? '-' : fmt(Number(v.toPrecision(4))));

/** The human table: one row per backend × threads, then what fell back and why. */
export function benchTable(r: BenchmarkResult): string {
  const head = ['backend', 'threads', 'fit ms', '±', 'predict ms', 'rows/s', 'p50 µs', 'p99 µs', 'p99.9 µs', 'peak RSS MB', 'device up/down'];
  const rows = r.steps.map((s) => {
    if (!s.available || s.reason) return [s.backend, String(s.threads), 'not run (below)', '', '', '', '', '', '', '', ''];
    const range = s.fitMs ?? s.predictMs;
    return [
      s.backend,
      String(s.threads),
      ms(s.fitMs?.median),
      range ? `${Math.round(range.relativeRange * 100)}%` : '-',
      ms(s.predictMs?.median),
      s.predictRowsPerSec === undefined ? '-' : String(s.predictRowsPerSec),
      ms(s.latencyUs?.p50) + (s.latencyUs?.path === 'async' ? ' (async)' : ''),
      ms(s.latencyUs?.p99),
      ms(s.latencyUs?.p999),
      String(s.peakRssMb ?? '-'),
      s.device ? `${s.device.uploads}/${s.device.readbacks}` : '-',
    ];
  });
  const lines = [
    `${r.model}: ${r.machine.cpu}, ${r.machine.cores} cores, load ${r.machine.loadAverage[0].toFixed(2)}, Node ${r.machine.node}, kiln ${r.machine.kiln}`,
  ];
  lines.push(textTable(head, rows));
  for (const s of r.steps) {
    if (!s.available || s.reason) lines.push(`  ${s.backend}@${s.threads} did not run: ${s.reason ?? 'unavailable here'}`);
    for (const k of s.kernels ?? []) {
      if (k.backend !== s.backend || k.fellBack) {
        lines.push(`  ${s.backend}@${s.threads}: ${k.owner} ran ${k.family} on ${k.backend}${k.fellBack ? ` (${k.fellBack})` : ''}`);
      }
    }
  }
  return lines.join('\n');
}

function regressionTable(list: Regression[]): string {
  return textTable(
    ['backend', 'threads', 'metric', 'baseline', 'now', 'slower'],
    list.map((g) => [g.backend, String(g.threads), g.metric, ms(g.baseline), ms(g.current), `${(g.slowdown * 100).toFixed(1)}%`]),
  );
}

export interface BenchOutcome {
  result: BenchmarkResult;
  regressions: Regression[];
  requirements: RequirementCheck[];
}

export async function runBench(target: string, flags: BenchFlags): Promise<BenchOutcome> {
  // every argument is checked before anything is loaded or timed
  const backends = parseBackends(flags.backend);
  const threads = parseThreads(flags.threads);
  const requirements = (flags.require ?? []).map(parseRequirement);
  const maxSlowdown = parseSlowdown(flags.maxSlowdown ?? '10%');
  if (flags.maxSlowdown !== undefined && !flags.baseline) throw new ParamError('--max-slowdown: compare against a file given with --baseline FILE');
  let baseline: BenchmarkResult | undefined;
  if (flags.baseline) {
    let text: string;
    try {
      text = await readFile(resolve(flags.baseline), 'utf8');
    } catch (e) {
      throw new ParamError(`--baseline: cannot read ${resolve(flags.baseline)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ParamError(`--baseline: ${flags.baseline} is not JSON; write it with kiln bench --json`);
    }
    baseline = checkResult(parsed, `--baseline ${flags.baseline}`);
  }
  const what = isConfig(target) ? await fromConfig(target, flags) : await fromModel(target, flags);
  const result = await benchmark({ ...what, backends, threads, repeat: flags.repeat, latencyCalls: flags.latencyCalls });
  if (flags.json) await writeFileAtomic(resolve(flags.json), new TextEncoder().encode(`${JSON.stringify(result, null, 2)}\n`));
  return {
    result,
    regressions: baseline ? compareToBaseline(result, baseline, maxSlowdown) : [],
    requirements: requirements.map((q) => checkRequirement(result, q)),
  };
}

export async function benchCommand(target: string, flags: BenchFlags): Promise<void> {
  const { result, regressions, requirements } = await runBench(target, flags);
  process.stdout.write(`${benchTable(result)}\n`);
  for (const q of requirements) process.stdout.write(`${q.ok ? 'ok  ' : 'FAIL'} ${q.text}: ${q.detail}\n`);
  const failed = requirements.filter((q) => !q.ok);
  if (regressions.length) process.stdout.write(`\nslower than the baseline by more than ${flags.maxSlowdown ?? '10%'}:\n${regressionTable(regressions)}\n`);
  if (regressions.length || failed.length) {
    const parts = [
      ...(regressions.length ? [`${regressions.length} metric${regressions.length === 1 ? '' : 's'} slower than the baseline`] : []),
      ...(failed.length ? [`${failed.length} requirement${failed.length === 1 ? '' : 's'} not met (${failed.map((q) => q.text).join('; ')})`] : []),
    ];
    throw new BenchmarkGateError(`${parts.join(', ')}; see the table above`);
  }
}
