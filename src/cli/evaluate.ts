/** `kiln evaluate --model M --data D [--target T]`: a model's metrics on a labelled file. */
import { ParamError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { loadWithManifest } from '../deploy/model-file.js';
import type { Label } from '../metrics/index.js';
import { cleanRows, featureTable, targetValues } from './data.js';
import { readTable } from '../data/read.js';
import { computeMetrics, defaultMetrics, METRICS, metricsTable } from './metrics.js';
import { featureSpecOf, inputOrder, modelInput, resolveModel } from './model-ref.js';
import { finalStep } from './pipeline.js';
import type { CallOptions } from '../core/estimator.js';
import { jobSignal } from './interrupt.js';
import { group } from './progress.js';
import { resolveSource } from '../data/source.js';

export interface EvaluateFlags {
  model: string;
  data: string;
  target?: string;
  metrics?: string;
  registry?: string;
  limit?: number;
  json?: boolean;
}

export interface EvaluateResult {
  model: string;
  data: string;
  rows: number;
  droppedMissingTarget: number;
  metrics: Record<string, number>;
}

export async function evaluate(flags: EvaluateFlags): Promise<EvaluateResult> {
  const ref = await resolveModel(flags.model, flags.registry);
  const spec = featureSpecOf(ref.manifest, ref.label);
  const target = flags.target ?? spec.target;
  if (!target) throw new ParamError(`--target: ${ref.label} does not record its target column; name it with --target`);
  const task = spec.task;
  let metrics: string[];
  if (flags.metrics) {
    metrics = flags.metrics
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const m of metrics) {
      if (!METRICS[m] || METRICS[m].task !== task) {
        throw new ParamError(
          `--metrics: unknown ${task} metric ${JSON.stringify(m)}; choose from ${Object.keys(METRICS)
            .filter((k) => METRICS[k].task === task)
            .join(', ')}`,
        );
      }
    }
  } else {
    const recorded = Object.keys(ref.manifest.metrics).filter((m) => METRICS[m]?.task === task);
    metrics = recorded.length ? recorded : defaultMetrics(task);
  }
  const { model } = await loadWithManifest(ref.path, ref.sha256 === undefined ? {} : { sha256: ref.sha256 });
  const last = finalStep(model);
  const needProba = metrics.some((m) => METRICS[m].proba);
  if (needProba && typeof (model as { predictProba?: unknown }).predictProba !== 'function') {
    throw new ParamError(
      `--metrics: ${metrics.filter((m) => METRICS[m].proba).join(', ')} need class probabilities, which ${ref.manifest.className} does not give`,
    );
  }

  const src = resolveSource(flags.data, process.cwd(), '--data');
  const columns = new Map<string, string>([[target, '--target']]);
  for (const n of inputOrder(ref.manifest, spec)) columns.set(n, `--model (${ref.label} takes column ${JSON.stringify(n)})`);
  const signal = jobSignal();
  const raw = await readTable(src, columns, { limit: flags.limit, missing: spec.missing, asText: spec.categorical, signal });
  const evalSpec = { ...spec, target };
  const { table, report } = cleanRows(raw, evalSpec, { dropMissingTarget: true, dropDuplicates: false }, { target: '--target', clean: '--data' });
  const X = modelInput(featureTable(table, evalSpec), ref.manifest, evalSpec);
  const yTrue = targetValues(table.columns[target], evalSpec);
  const m = model as { predict(x: unknown, o: CallOptions): Promise<unknown>; predictProba?(x: unknown, o: CallOptions): Promise<unknown> };
  const yPred = (await m.predict(X, { signal })) as Label[] | Float64Array;
  const proba = needProba ? ((await m.predictProba!(X, { signal })) as Matrix) : undefined;
  const classes = task === 'classification' ? (last.classes as Label[] | undefined) : undefined;
  return {
    model: ref.label,
    data: src.spec,
    rows: table.rows,
    droppedMissingTarget: report.missingTarget,
    metrics: computeMetrics(metrics, {
      yTrue,
      yPred: yPred instanceof Float64Array || Array.isArray(yPred) ? yPred : Array.from(yPred as ArrayLike<Label>),
      proba,
      classes,
    }),
  };
}

export async function evaluateCommand(flags: EvaluateFlags): Promise<void> {
  const r = await evaluate(flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  process.stderr.write(
    `${r.model} on ${r.data}: ${group(r.rows)} rows${r.droppedMissingTarget ? ` (${r.droppedMissingTarget} without target skipped)` : ''}\n`,
  );
  process.stdout.write(`${metricsTable(r.metrics)}\n`);
}
