/**
 * `kiln train` configs: a YAML or JSON file read into a checked TrainConfig. Every problem names
 * the file and the key (`split.testSize: must be a number in (0, 1), got 1.5`), as E_PARAM; a file
 * that is not YAML/JSON at all is E_DATA_FORMAT with its line.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { DataFormatError, ParamError } from '../core/errors.js';
import type { DatePart } from '../preprocessing/dates.js';
import { boolean, choice, KeyPath, mapping, number, optionalString, prose, show, string, stringList } from './check.js';
import { ESTIMATORS, estimatorNames, type Task } from './estimators.js';
import { METRICS, defaultMetrics } from './metrics.js';

export type Imputation = 'mean' | 'median' | 'most_frequent' | 'constant' | 'none';
export type Scaling = 'standard' | 'minmax' | 'robust' | 'maxabs' | 'none';
export type Encoding = 'onehot' | 'ordinal';

export interface TrainConfig {
  /** The config file (for messages) and the folder relative paths start from. */
  file: string;
  baseDir: string;
  data: {
    /** A csv / parquet / json / arrow path, or `vega-datasets:<file>`. */
    source: string;
    /** A separate evaluation file (instead of splitting `source`). */
    testSource?: string;
    /** Only the first rows of the source. */
    limit?: number;
    /** Extra cell values meaning "missing" (besides '', NA, N/A, NaN, null). */
    missing: string[];
  };
  target: string;
  task: Task;
  features: { numeric: string[]; categorical: string[]; datetime: string[] };
  clean: {
    dropMissingTarget: boolean;
    /** What a missing categorical value becomes: this category, or 'drop' its row (training only). */
    categoricalMissing: string;
    dropDuplicates: boolean;
  };
  split: { method: 'random' | 'time'; testSize: number; seed: number; stratify: boolean; orderBy?: string };
  preprocessing: { impute: Imputation; fillValue: number; scale: Scaling; encode: Encoding; dateParts: DatePart[] };
  model: { className: string; params: Record<string, unknown> };
  metrics: string[];
  output: string;
  card: { description?: string; intendedUse?: string; limitations?: string | string[]; fairness?: string | string[] };
  register?: { name: string; registry: string; promote: boolean; alias: string };
}

const DATE_PARTS: readonly DatePart[] = ['year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'];

/** Parses YAML (or JSON, which YAML reads too); syntax errors are E_DATA_FORMAT with the line. */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new ParamError(`${resolve(path)} is a directory, not a config file; give the .yaml or .json file in it`);
    throw new ParamError(`no config file at ${resolve(path)} (${code ?? (e as Error).message}); check the path`);
  }
  const name = basename(path);
  if (extname(path).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new DataFormatError(`${name}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
  }
  const YAML = await import('yaml');
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    throw new DataFormatError(
      `${name}: not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  try {
    // a few aliases are fine; a chain of them that expands exponentially (an alias bomb) is refused
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new DataFormatError(
      `${name}: refused: ${(e as Error).message} (more than ${MAX_ALIASES} alias expansions); write the values out instead of nesting aliases`,
      { cause: e },
    );
  }
}

/** YAML alias expansions a config may use (the yaml package's own default). */
const MAX_ALIASES = 100;

export async function loadTrainConfig(path: string): Promise<TrainConfig> {
  return checkTrainConfig(await readConfigFile(path), basename(path), dirname(resolve(path)));
}

/** Checks a parsed config; `file` names it in messages, `baseDir` anchors relative paths. */
export function checkTrainConfig(raw: unknown, file: string, baseDir: string): TrainConfig {
  const root = new KeyPath(file);
  const top = mapping(raw, root, ['data', 'target', 'task', 'features', 'clean', 'split', 'preprocessing', 'model', 'metrics', 'output', 'card', 'register']);

  const d = mapping(top.data, root.at('data'), ['source', 'testSource', 'limit', 'missing']);
  const data: TrainConfig['data'] = {
    source: string(d.source, root.at('data').at('source')),
    testSource: optionalString(d.testSource, root.at('data').at('testSource')),
    limit: d.limit === undefined ? undefined : number(d.limit, root.at('data').at('limit'), { integer: true, min: 1 }),
    missing: stringList(d.missing, root.at('data').at('missing')),
  };

  const target = string(top.target, root.at('target'));

  const m = mapping(top.model, root.at('model'), ['class', 'params']);
  const className = string(m.class, root.at('model').at('class'));
  const kind = ESTIMATORS[className];
  if (!kind)
    root
      .at('model')
      .at('class')
      .fail(`${show(className)} is not an estimator kiln trains from a config; choose one of ${estimatorNames().join(', ')}`);
  const task = choice(top.task, root.at('task'), ['classification', 'regression'] as const, kind.task);
  if (kind.task !== task) {
    root
      .at('model')
      .at('class')
      .fail(`${className} is for ${kind.task} but task is ${task}; for ${task} choose one of ${estimatorNames(task).join(', ')}`);
  }
  const params = mapping(m.params, root.at('model').at('params'), Object.keys((m.params ?? {}) as object), true);

  const f = mapping(top.features, root.at('features'), ['numeric', 'categorical', 'datetime']);
  const features = {
    numeric: stringList(f.numeric, root.at('features').at('numeric')),
    categorical: stringList(f.categorical, root.at('features').at('categorical')),
    datetime: stringList(f.datetime, root.at('features').at('datetime')),
  };
  const all = [...features.numeric, ...features.categorical, ...features.datetime];
  if (all.length === 0) root.at('features').fail('lists no feature columns; give numeric, categorical and/or datetime column names');
  const where = new Map<string, string>();
  for (const group of ['numeric', 'categorical', 'datetime'] as const) {
    features[group].forEach((name, i) => {
      const at = root.at('features').at(group).at(i);
      if (where.has(name)) at.fail(`column ${show(name)} is already listed in features.${where.get(name)}`);
      if (name === target) at.fail(`column ${show(name)} is the target; it cannot also be a feature`);
      where.set(name, group);
    });
  }

  const c = mapping(top.clean, root.at('clean'), ['dropMissingTarget', 'categoricalMissing', 'dropDuplicates'], true);
  const clean = {
    dropMissingTarget: boolean(c.dropMissingTarget, root.at('clean').at('dropMissingTarget'), true),
    categoricalMissing: string(c.categoricalMissing, root.at('clean').at('categoricalMissing'), '(missing)'),
    dropDuplicates: boolean(c.dropDuplicates, root.at('clean').at('dropDuplicates'), false),
  };

  const s = mapping(top.split, root.at('split'), ['method', 'testSize', 'seed', 'stratify', 'orderBy'], true);
  const sp = root.at('split');
  const method = choice(s.method, sp.at('method'), ['random', 'time'] as const, 'random');
  const split: TrainConfig['split'] = {
    method,
    testSize: number(s.testSize, sp.at('testSize'), { min: 0, max: 1, open: true }, 0.2),
    seed: number(s.seed, sp.at('seed'), { integer: true, min: 0, max: 2 ** 32 - 1 }, 0),
    stratify: boolean(s.stratify, sp.at('stratify'), task === 'classification' && method === 'random'),
    orderBy: optionalString(s.orderBy, sp.at('orderBy')),
  };
  if (method === 'time' && !split.orderBy) sp.at('orderBy').fail('a time split needs the column that orders the rows (e.g. orderBy: date)');
  if (method !== 'time' && split.orderBy) sp.at('orderBy').fail('only a time split (method: time) is ordered by a column');
  if (split.stratify && task !== 'classification') sp.at('stratify').fail('stratifying needs class labels (task: classification)');
  if (split.stratify && method === 'time') sp.at('stratify').fail('a time split cannot be stratified');
  if (data.testSource && top.split !== undefined) sp.fail('data.testSource gives the test rows already; remove split or testSource');

  const p = mapping(top.preprocessing, root.at('preprocessing'), ['impute', 'fillValue', 'scale', 'encode', 'dateParts'], true);
  const pp = root.at('preprocessing');
  const preprocessing = {
    impute: choice(p.impute, pp.at('impute'), ['mean', 'median', 'most_frequent', 'constant', 'none'] as const, kind.tree ? 'none' : 'median'),
    fillValue: number(p.fillValue, pp.at('fillValue'), {}, 0),
    scale: choice(p.scale, pp.at('scale'), ['standard', 'minmax', 'robust', 'maxabs', 'none'] as const, kind.tree ? 'none' : 'standard'),
    encode: choice(p.encode, pp.at('encode'), ['onehot', 'ordinal'] as const, kind.tree ? 'ordinal' : 'onehot'),
    dateParts: (p.dateParts === undefined
      ? ['year', 'month', 'dayOfWeek', 'hour']
      : stringList(p.dateParts, pp.at('dateParts'), { nonEmpty: true })) as DatePart[],
  };
  preprocessing.dateParts.forEach((part, i) => {
    if (!DATE_PARTS.includes(part))
      pp.at('dateParts')
        .at(i)
        .fail(`must be one of ${DATE_PARTS.join(', ')}, got ${show(part)}`);
  });
  if (p.fillValue !== undefined && preprocessing.impute !== 'constant') pp.at('fillValue').fail('is used only with impute: constant');

  const metrics = top.metrics === undefined ? defaultMetrics(task) : stringList(top.metrics, root.at('metrics'), { nonEmpty: true });
  metrics.forEach((name, i) => {
    const spec = METRICS[name];
    if (!spec)
      root
        .at('metrics')
        .at(i)
        .fail(
          `unknown metric ${show(name)}; for ${task}: ${Object.keys(METRICS)
            .filter((k) => METRICS[k].task === task)
            .join(', ')}`,
        );
    if (spec.task !== task) root.at('metrics').at(i).fail(`${name} is a ${spec.task} metric but task is ${task}`);
  });

  const output = string(top.output, root.at('output'), 'model.kiln');

  const k = mapping(top.card, root.at('card'), ['description', 'intendedUse', 'limitations', 'fairness'], true);
  const card = {
    description: prose(k.description, root.at('card').at('description')) as string | undefined,
    intendedUse: prose(k.intendedUse, root.at('card').at('intendedUse')) as string | undefined,
    limitations: prose(k.limitations, root.at('card').at('limitations')),
    fairness: prose(k.fairness, root.at('card').at('fairness')),
  };

  let register: TrainConfig['register'];
  if (top.register !== undefined) {
    const r = mapping(top.register, root.at('register'), ['name', 'registry', 'promote', 'alias']);
    register = {
      name: string(r.name, root.at('register').at('name')),
      registry: string(r.registry, root.at('register').at('registry'), './kiln-registry.db'),
      promote: boolean(r.promote, root.at('register').at('promote'), false),
      alias: string(r.alias, root.at('register').at('alias'), 'production'),
    };
  }

  return {
    file,
    baseDir,
    data,
    target,
    task,
    features,
    clean,
    split,
    preprocessing,
    model: { className, params: { ...params } },
    metrics,
    output,
    card,
    register,
  };
}
