/**
 * The model a train config describes: a Pipeline of a ColumnTransformer (numeric: impute and
 * scale; categorical: fill missing with a category, then one-hot or ordinal codes; datetime:
 * calendar parts) and the estimator.
 * Everything in it is a kiln class, so the whole pipeline goes into one model file.
 */
import { ParamError, KilnError } from '../core/errors.js';
import { ColumnTransformer, type ColumnSpec } from '../compose/column-transformer.js';
import { Pipeline, type PipelineStep } from '../compose/pipeline.js';
import { DateFeatures } from '../preprocessing/dates.js';
import { OrdinalEncoder } from '../preprocessing/encoders.js';
import { SimpleImputer } from '../preprocessing/imputer.js';
import { OneHotEncoder } from '../preprocessing/one-hot.js';
import { MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler } from '../preprocessing/scalers.js';
import type { TrainConfig } from './config.js';
import { ESTIMATORS } from './estimators.js';

const SCALERS = { standard: StandardScaler, minmax: MinMaxScaler, robust: RobustScaler, maxabs: MaxAbsScaler } as const;

/** The estimator of `model`, its parameter errors pointing at the key (`model.params.nEstimators`). */
function estimator(cfg: TrainConfig, extra: Record<string, unknown>) {
  const { className, params } = cfg.model;
  try {
    return ESTIMATORS[className].create({ ...extra, ...params });
  } catch (e) {
    if (!(e instanceof KilnError)) throw e;
    const msg = e.message.replace(new RegExp(`^${className}: `), '');
    const key = /unknown parameter '([^']+)'/.exec(msg)?.[1] ?? /^(\w+) must/.exec(msg)?.[1];
    const path = key && key in params ? `model.params.${key}` : 'model.params';
    throw new ParamError(`${cfg.file}: ${path}: ${msg}`);
  }
}

export function buildPipeline(cfg: TrainConfig): Pipeline {
  const { numeric, categorical, datetime } = cfg.features;
  const pp = cfg.preprocessing;
  const kind = ESTIMATORS[cfg.model.className];
  const parts: ColumnSpec[] = [];
  // columns by position in the feature order (numeric, categorical, datetime), not by name: the
  // fitted pipeline then takes a column table and, for all-numeric inputs, a Matrix too (which is
  // what the HTTP server sends such a model)
  const at = (offset: number, names: string[]) => names.map((_, i) => offset + i);
  if (numeric.length) {
    const steps: PipelineStep[] = [];
    // keepEmptyFeatures: a column with no value at fit keeps its place, so later column indices hold
    if (pp.impute !== 'none') steps.push(['impute', new SimpleImputer({ strategy: pp.impute, fillValue: pp.fillValue, keepEmptyFeatures: true })]);
    if (pp.scale !== 'none') steps.push(['scale', new SCALERS[pp.scale]()]);
    parts.push(['numeric', steps.length ? new Pipeline(steps) : 'passthrough', at(0, numeric)]);
  }
  if (categorical.length) {
    // a missing category becomes clean.categoricalMissing inside the model (so the saved pipeline,
    // served over HTTP, takes null there too); 'drop' drops training rows, and fills at prediction
    const fill = cfg.clean.categoricalMissing === 'drop' ? '(missing)' : cfg.clean.categoricalMissing;
    parts.push([
      'categorical',
      new Pipeline([
        ['impute', new SimpleImputer({ strategy: 'constant', fillValue: fill })],
        [
          'encode',
          pp.encode === 'onehot'
            ? new OneHotEncoder({ handleUnknown: 'ignore' })
            : new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: NaN }),
        ],
      ]),
      at(numeric.length, categorical),
    ]);
  }
  if (datetime.length) parts.push(['datetime', new DateFeatures({ parts: pp.dateParts }), at(numeric.length + categorical.length, datetime)]);
  // tree models split ordinal codes as categories (unless the config says otherwise)
  const extra: Record<string, unknown> = {};
  if (kind.tree && pp.encode === 'ordinal' && categorical.length && !('categoricalFeatures' in cfg.model.params)) {
    extra.categoricalFeatures = categorical.map((_, i) => numeric.length + i);
  }
  return new Pipeline([
    ['prep', new ColumnTransformer(parts)],
    ['model', estimator(cfg, extra)],
  ]);
}

/** The pipeline's final estimator. */
export function finalStep(model: unknown): Record<string, unknown> {
  const steps = (model as { steps?: unknown }).steps;
  if (Array.isArray(steps) && steps.length) return steps[steps.length - 1][1] as Record<string, unknown>;
  return model as Record<string, unknown>;
}
