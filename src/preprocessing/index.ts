export { Transformer, type TransformerParams } from './base.js';
export {
  MaxAbsScaler,
  MinMaxScaler,
  Normalizer,
  RobustScaler,
  StandardScaler,
  type MinMaxScalerParams,
  type NormalizerParams,
  type RobustScalerParams,
  type StandardScalerParams,
} from './scalers.js';
export { SimpleImputer, type SimpleImputerParams } from './imputer.js';
export { OrdinalEncoder, type CategoricalInput, type Category, type CategoryColumns, type OrdinalEncoderParams } from './encoders.js';
export { OneHotEncoder, type OneHotEncoderParams } from './one-hot.js';
export { PolynomialFeatures, type PolynomialFeaturesParams } from './polynomial.js';
export { KBinsDiscretizer, type KBinsDiscretizerParams } from './discretizer.js';
export { QuantileTransformer, type QuantileTransformerParams } from './quantile.js';
export { PowerTransformer, type PowerTransformerParams } from './power.js';
export { FunctionTransformer, type FunctionTransformerParams } from './function-transformer.js';
export { detectOutliers, Winsorizer, type OutlierOptions, type OutlierReport, type WinsorizerParams } from './outliers.js';
export { DateFeatures, type DateFeaturesParams, type DatePart } from './dates.js';
export { FrequencyEncoder, type FrequencyEncoderParams } from './frequency.js';
export { lagFeatures, rollingFeatures, type RollingOptions, type RollingStat } from './time-series.js';
export { TargetEncoder, type TargetEncoderParams } from './target-encoder.js';
export { CountVectorizer, TfidfVectorizer, type CountVectorizerParams, type TfidfVectorizerParams } from './text.js';
export { HashingEncoder, murmurhash3, type HashingEncoderParams } from './hashing.js';
