/**
 * `kiln train <config>`: load → clean → split → preprocess + fit → evaluate → save (→ register,
 * promote). Prints the metrics table; a progress bar per boosting round on a terminal.
 */
import { isAbsolute, resolve } from 'node:path';
import { ParamError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { filterRows, type Table } from '../data/index.js';
import { inferSchema } from '../data/schema.js';
import { dataFingerprint } from '../deploy/fingerprint.js';
import { save } from '../deploy/model-file.js';
import { referenceProfile } from '../monitor/reference-profile.js';
import { openModelRegistry } from '../deploy/registry/index.js';
import { registryLocation } from '../deploy/registry/open.js';
import { isPostgresUrl, redactUrl } from '../deploy/registry/pg.js';
import type { Label } from '../metrics/index.js';
import { trainTestSplit } from '../data/split/index.js';
import type { RoundLogs } from '../models/ensemble/index.js';
import { loadTrainConfig, type TrainConfig } from './config.js';
import { cleanRows, featureNames, featureTable, targetValues, type CleanReport, type FeatureSpec } from './data.js';
import { readTable } from '../data/read.js';
import { ESTIMATORS } from './estimators.js';
import { computeMetrics, fmt, METRICS, metricsTable } from './metrics.js';
import { SPEC_TAG } from './model-ref.js';
import { buildPipeline, finalStep } from './pipeline.js';
import { jobSignal } from './interrupt.js';
import { group, progressBar } from './progress.js';
import { resolveSource } from '../data/source.js';

export interface TrainFlags {
  out?: string;
  register?: string;
  registry?: string;
  promote?: boolean;
  alias?: string;
  json?: boolean;
  progress?: boolean;
  /** Skip the config's register section (kiln retrain registers the candidate itself). */
  skipRegister?: boolean;
}

export interface TrainResult {
  output: string;
  metrics: Record<string, number>;
  trainRows: number;
  testRows: number;
  clean: CleanReport;
  seconds: number;
  registered?: { name: string; version: number; alias?: string };
}

const rel = (base: string, p: string) => (isAbsolute(p) ? p : resolve(base, p));

/** Rows of a table at the given indices, kept in file order (a mask). */
function rowsAt(t: Table, idx: ArrayLike<number>): Table {
  const keep = new Uint8Array(t.rows);
  for (let i = 0; i < idx.length; i++) keep[idx[i]] = 1;
  return filterRows(t, keep);
}

/** [train, test] row tables by the config's split. */
function splitRows(t: Table, cfg: TrainConfig, spec: FeatureSpec): [Table, Table] {
  const n = t.rows;
  if (cfg.split.method === 'time') {
    const key = t.columns[cfg.split.orderBy!];
    const order = Array.from({ length: n }, (_, i) => i);
    const at = (i: number) => {
      const v = key instanceof Float64Array ? key[i] : Date.parse(key[i] ?? '');
      return Number.isNaN(v) ? Infinity : v;
    };
    order.sort((a, b) => at(a) - at(b) || a - b);
    const nTest = Math.ceil(n * cfg.split.testSize);
    const cut = n - nTest;
    return [rowsAt(t, order.slice(0, cut)), rowsAt(t, order.slice(cut))];
  }
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const stratify = cfg.split.stratify ? (targetValues(t.columns[spec.target], spec) as Label[]) : undefined;
  const [train, test] = trainTestSplit(idx, { testSize: cfg.split.testSize, randomState: cfg.split.seed, ...(stratify ? { stratify } : {}) });
  return [rowsAt(t, train), rowsAt(t, test)];
}

/** A config's data loaded, cleaned and split, and its unfitted model: everything before the fit. */
export interface PreparedTraining {
  cfg: TrainConfig;
  spec: FeatureSpec;
  model: ReturnType<typeof buildPipeline>;
  src: ReturnType<typeof resolveSource>;
  report: CleanReport;
  trainRows: Table;
  testRows: Table;
  signal: AbortSignal;
}

/** Loads, cleans and splits a config's data and builds its (unfitted) model; `kiln bench` times the fit after it. */
export async function prepareTraining(cfg: TrainConfig): Promise<PreparedTraining> {
  const where = (key: string) => `${cfg.file}: ${key}`;
  const spec: FeatureSpec = {
    ...cfg.features,
    missing: cfg.data.missing,
    categoricalMissing: cfg.clean.categoricalMissing,
    categoricalImputed: true,
    target: cfg.target,
    task: cfg.task,
  };

  // load: the features, the target and the ordering column, each named by where the config asks for it
  const wanted = new Map<string, string>();
  wanted.set(cfg.target, where('target'));
  for (const g of ['numeric', 'categorical', 'datetime'] as const) cfg.features[g].forEach((c, i) => wanted.set(c, where(`features.${g}[${i}]`)));
  if (cfg.split.orderBy && !wanted.has(cfg.split.orderBy)) wanted.set(cfg.split.orderBy, where('split.orderBy'));
  const model = buildPipeline(cfg); // checks the model's parameters before any data is read
  const src = resolveSource(cfg.data.source, cfg.baseDir, where('data.source'));
  const signal = jobSignal();
  const loadOpts = { limit: cfg.data.limit, missing: cfg.data.missing, asText: cfg.features.categorical, signal };
  const raw = await readTable(src, wanted, loadOpts);

  // clean, split
  const cleanOpts = { dropMissingTarget: cfg.clean.dropMissingTarget, dropDuplicates: cfg.clean.dropDuplicates };
  const whereClean = { target: where('target'), clean: where('clean') };
  const { table, report } = cleanRows(raw, spec, cleanOpts, whereClean);
  let trainRows: Table, testRows: Table;
  if (cfg.data.testSource) {
    const testSrc = resolveSource(cfg.data.testSource, cfg.baseDir, where('data.testSource'));
    const testRaw = await readTable(testSrc, new Map([...wanted].map(([c]) => [c, where('data.testSource')])), { ...loadOpts, limit: undefined });
    trainRows = table;
    testRows = cleanRows(testRaw, spec, cleanOpts, whereClean).table;
  } else {
    [trainRows, testRows] = splitRows(table, cfg, spec);
  }
  return { cfg, spec, model, src, report, trainRows, testRows, signal };
}

export async function train(
  configPath: string,
  flags: TrainFlags = {},
  log: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<TrainResult> {
  const started = performance.now();
  const cfg = await loadTrainConfig(configPath);
  if ((flags.promote || flags.alias) && !flags.register && !cfg.register)
    throw new ParamError('--promote/--alias: name the model to register with --register NAME (or a register section in the config)');
  const { spec, model, src, report, trainRows, testRows, signal } = await prepareTraining(cfg);
  log(
    `data: ${src.spec}: ${group(report.rowsIn)} rows; cleaning dropped ${report.missingTarget} without target` +
      `${cfg.clean.categoricalMissing === 'drop' ? `, ${report.missingCategory} with a missing category` : ''}` +
      `${cfg.clean.dropDuplicates ? `, ${report.duplicates} duplicates` : ''}; ${group(trainRows.rows)} train / ${group(testRows.rows)} test rows`,
  );

  // fit
  const Xtrain = featureTable(trainRows, spec),
    ytrain = targetValues(trainRows.columns[cfg.target], spec);
  const kind = ESTIMATORS[cfg.model.className];
  const fitOpts: Record<string, unknown> = { signal };
  const rounds = Number(cfg.model.params.nEstimators ?? 100);
  const bar = kind.rounds ? progressBar({ label: 'training', total: rounds, unit: 'rounds' }, process.stderr, flags.progress !== false) : undefined;
  if (bar)
    fitOpts.onProgress = (l: RoundLogs) => bar.update(l.round, `loss ${fmt(l.trainLoss)}${l.validLoss !== undefined ? ` valid ${fmt(l.validLoss)}` : ''}`);
  const fitStart = performance.now();
  await model.fit(Xtrain, ytrain, fitOpts);
  signal.throwIfAborted(); // nothing is saved or registered after an interruption
  bar?.finish();
  const fitSeconds = (performance.now() - fitStart) / 1000;

  // evaluate on the held-out rows
  const Xtest = featureTable(testRows, spec),
    ytest = targetValues(testRows.columns[cfg.target], spec);
  const needProba = cfg.metrics.some((m) => METRICS[m].proba);
  const last = finalStep(model);
  if (needProba && typeof last.predictProba !== 'function') {
    const m = cfg.metrics.find((x) => METRICS[x].proba)!;
    throw new ParamError(
      `${cfg.file}: metrics[${cfg.metrics.indexOf(m)}]: ${m} needs class probabilities, which ${cfg.model.className} does not give; remove it`,
    );
  }
  const yPred = (await model.predict(Xtest)) as Label[] | Float64Array;
  const proba = needProba ? ((await model.predictProba(Xtest)) as Matrix) : undefined;
  const classes = cfg.task === 'classification' ? (last.classes as Label[]) : undefined;
  const metrics = computeMetrics(cfg.metrics, { yTrue: ytest, yPred, proba, classes });

  // save
  const output = flags.out ? resolve(flags.out) : rel(cfg.baseDir, cfg.output);
  const names = featureNames(spec);
  const schema = inferSchema(Xtrain);
  // one input contract for training and serving: a column is nullable only where the training rows
  // had missing values (inferSchema's reading); datetime columns take the date text training read
  for (const n of spec.datetime) schema[n].datetime = true;
  // the monitoring reference: the training inputs, the model's predictions on them, the target, the holdout metrics
  const reference = referenceProfile(Xtrain, {
    predictions: (await model.predict(Xtrain)) as Label[] | Float64Array,
    target: ytrain as Label[] | Float64Array,
    metrics,
    randomState: cfg.split.seed,
  });
  await save(model, output, {
    featureNames: names,
    inputSchema: schema,
    metrics,
    reference,
    lineage: {
      dataSource: src.spec,
      rows: trainRows.rows,
      columns: names.length,
      testRows: testRows.rows,
      dataFingerprint: dataFingerprint({ rows: trainRows.rows, columns: { ...Xtrain.columns, [cfg.target]: trainRows.columns[cfg.target] } }),
    },
    tags: { [SPEC_TAG]: JSON.stringify(spec), target: cfg.target, task: cfg.task },
    ...Object.fromEntries(Object.entries(cfg.card).filter(([, v]) => v !== undefined)),
  });
  log(`trained ${cfg.model.className} in ${fitSeconds.toFixed(2)} s → ${output}`);

  // register
  let registered: TrainResult['registered'];
  const regName = flags.skipRegister ? undefined : (flags.register ?? cfg.register?.name);
  if (regName) {
    const regPath = flags.registry
      ? registryLocation(flags.registry)
      : cfg.register
        ? isPostgresUrl(cfg.register.registry)
          ? cfg.register.registry
          : rel(cfg.baseDir, cfg.register.registry)
        : resolve('kiln-registry.db');
    const reg = await openModelRegistry(regPath);
    try {
      const version = await reg.register(regName, { artifact: output, description: cfg.card.description });
      registered = { name: regName, version };
      const alias = flags.alias ?? cfg.register?.alias ?? 'production';
      if (flags.promote || (flags.promote === undefined && cfg.register?.promote)) {
        await reg.promote(regName, version, alias);
        registered.alias = alias;
      }
      log(`registered ${regName} v${version} in ${redactUrl(regPath)}${registered.alias ? `; ${registered.alias} → v${version}` : ''}`);
    } finally {
      await reg.close();
    }
  }
  return { output, metrics, trainRows: trainRows.rows, testRows: testRows.rows, clean: report, seconds: (performance.now() - started) / 1000, registered };
}

export async function trainCommand(configPath: string, flags: TrainFlags): Promise<void> {
  const r = await train(configPath, flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${metricsTable(r.metrics)}\n`);
}
