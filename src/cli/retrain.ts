/**
 * `kiln retrain <config> --registry DB --name M`: a retraining job. The config's data (refreshed
 * by whoever writes it) trains a candidate exactly as `kiln train` would; the champion (the
 * version behind --alias, default production) is scored on the same held-out rows; the candidate
 * is registered with its lineage (data fingerprint, parent version, the reason); it is promoted
 * only when it passes the quality gate — by default no metric worse than the champion's, or the
 * improvements --require-gain asks for. Every step lands in the registry's audit log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParamError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { loadWithManifest } from '../deploy/model-file.js';
import { openModelRegistry } from '../deploy/registry/index.js';
import { registryLocation } from '../deploy/registry/open.js';
import type { Label } from '../metrics/index.js';
import { loadTrainConfig } from './config.js';
import { featureTable, targetValues } from './data.js';
import { computeMetrics, fmt, METRICS, textTable } from './metrics.js';
import { finalStep } from './pipeline.js';
import { prepareTraining, train } from './train.js';

export interface RetrainFlags {
  registry: string;
  name: string;
  alias?: string;
  /** "metric=delta" (repeatable): the candidate must beat the champion by at least delta on metric. */
  requireGain?: string[];
  reason?: string;
  /** Register and evaluate, but never promote. */
  dryRun?: boolean;
  json?: boolean;
}

/** Metrics where a smaller value is better. */
const LOWER_IS_BETTER = new Set(['logLoss', 'mae', 'mse', 'rmse', 'mape', 'medianAe', 'maxError']);

export interface GateRow {
  metric: string;
  champion: number;
  candidate: number;
  /** How much better the candidate is (positive = better), in the metric's own units. */
  gain: number;
  required: number;
  pass: boolean;
}

export interface RetrainResult {
  name: string;
  champion: { version: number; metrics: Record<string, number> } | null;
  candidate: { version: number; metrics: Record<string, number> };
  gate: GateRow[];
  passed: boolean;
  promoted: boolean;
  alias: string;
}

function parseGains(specs: readonly string[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of specs ?? []) {
    const m = /^([A-Za-z0-9]+)=([-+]?\d*\.?\d+(?:e[-+]?\d+)?)$/.exec(s.trim());
    if (!m) throw new ParamError(`--require-gain ${JSON.stringify(s)}: write metric=delta, e.g. accuracy=0.01 (the candidate beats the champion by 0.01)`);
    if (!METRICS[m[1]]) throw new ParamError(`--require-gain: unknown metric ${JSON.stringify(m[1])}; choose from ${Object.keys(METRICS).join(', ')}`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

export async function retrain(
  configPath: string,
  flags: RetrainFlags,
  log: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<RetrainResult> {
  if (!flags.registry) throw new ParamError('--registry: name the registry the champion lives in');
  if (!flags.name) throw new ParamError('--name: name the registered model to retrain');
  const gains = parseGains(flags.requireGain);
  const alias = flags.alias ?? 'production';
  const cfg = await loadTrainConfig(configPath);
  for (const m of gains.keys()) {
    if (!cfg.metrics.includes(m)) throw new ParamError(`--require-gain: ${m} is not among the config's metrics (${cfg.metrics.join(', ')}); add it there`);
  }
  const reg = await openModelRegistry(registryLocation(flags.registry));
  const dir = mkdtempSync(join(tmpdir(), 'kiln-retrain-'));
  try {
    let champion: { version: number; path: string; sha256: string } | null = null;
    try {
      const v = await reg.resolve(flags.name, alias);
      champion = { version: v.version, path: v.artifactPath, sha256: v.artifactSha256 };
    } catch (e) {
      if ((e as { code?: string }).code !== 'E_NOT_FOUND') throw e;
    }
    // the candidate, trained as kiln train trains (same split, same holdout metrics, reference profile)
    const out = join(dir, 'candidate.kiln');
    const trained = await train(configPath, { out, progress: false, skipRegister: true }, log);
    const candidateMetrics = trained.metrics;
    // the champion on the very same held-out rows (the split is seeded by the config)
    let championMetrics: Record<string, number> | null = null;
    if (champion) {
      const { spec, testRows } = await prepareTraining(cfg);
      const { model } = await loadWithManifest(champion.path, { sha256: champion.sha256 });
      const m = model as { predict(x: unknown): Promise<unknown>; predictProba?(x: unknown): Promise<unknown> };
      const X = featureTable(testRows, spec),
        y = targetValues(testRows.columns[cfg.target], spec);
      const needProba = cfg.metrics.some((k) => METRICS[k].proba);
      championMetrics = computeMetrics(cfg.metrics, {
        yTrue: y,
        yPred: (await m.predict(X)) as Label[] | Float64Array,
        proba: needProba && m.predictProba ? ((await m.predictProba(X)) as Matrix) : undefined,
        classes: cfg.task === 'classification' ? (finalStep(model).classes as Label[]) : undefined,
      });
    }
    const gate: GateRow[] = championMetrics
      ? cfg.metrics.map((metric) => {
          const a = championMetrics![metric],
            b = candidateMetrics[metric];
          const gain = LOWER_IS_BETTER.has(metric) ? a - b : b - a;
          const required = gains.get(metric) ?? 0;
          return { metric, champion: a, candidate: b, gain, required, pass: gain >= required - 1e-12 };
        })
      : [];
    const passed = gate.every((g) => g.pass);
    const reason = flags.reason ?? 'retraining job';
    const version = await reg.register(flags.name, {
      artifact: out,
      description: `retrained (${reason})${champion ? ` from v${champion.version}` : ''}`,
      lineage: {
        ...(await loadWithManifest(out)).manifest.lineage,
        ...(champion ? { parentVersion: champion.version } : {}),
        trigger: reason,
      },
    });
    let promoted = false;
    if (passed && !flags.dryRun) {
      await reg.promote(flags.name, version, alias);
      promoted = true;
    }
    log(
      `registered ${flags.name} v${version}${champion ? ` (champion v${champion.version})` : ''}: ${passed ? 'passes' : 'fails'} the gate; ${promoted ? `${alias} → v${version}` : `${alias} unchanged`}`,
    );
    return {
      name: flags.name,
      champion: champion ? { version: champion.version, metrics: championMetrics! } : null,
      candidate: { version, metrics: candidateMetrics },
      gate,
      passed,
      promoted,
      alias,
    };
  } finally {
    await reg.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function retrainCommand(configPath: string, flags: RetrainFlags): Promise<void> {
  printRetrainResult(await retrain(configPath, flags), flags.json === true);
}

/** The gate table and what happened, or the result as JSON. */
export function printRetrainResult(r: RetrainResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  if (r.gate.length)
    process.stdout.write(
      `${textTable(
        ['metric', 'champion', 'candidate', 'gain', 'required', 'pass'],
        r.gate.map((g) => [g.metric, fmt(g.champion), fmt(g.candidate), fmt(g.gain), fmt(g.required), g.pass ? 'yes' : 'NO']),
      )}\n`,
    );
  process.stdout.write(`${r.promoted ? `promoted v${r.candidate.version} to ${r.alias}` : `v${r.candidate.version} registered, not promoted`}\n`);
}
