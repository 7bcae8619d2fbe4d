/** What the HTTP server serves and where it gets it from. */
import type { Schema } from '../../data/schema.js';

/** A fitted estimator or pipeline, as the server calls it (duck-typed). */
export interface Predictor {
  predict(X: any): Promise<unknown> | unknown;
  predictProba?(X: any): Promise<unknown> | unknown;
  /** Synchronous inference for small batches, used when present. */
  predictSync?(X: any): unknown;
  predictProbaSync?(X: any): unknown;
}

/** One model version, loaded and ready to predict. */
export interface ServedModel {
  name: string;
  version: number | string;
  model: Predictor;
  /**
   * The columns the model takes, in order: request rows are checked against it, and row objects
   * are laid out by it. Without one, only `instances` (arrays of numbers) are accepted.
   */
  inputSchema?: Schema;
  /**
   * How checked rows reach the model: 'matrix' (a Float64 Matrix, schema order; needs every column
   * numeric) or 'table' (a column table { rows, columns } keyed by name, as pipelines with a
   * ColumnTransformer by name take). Default: 'matrix' when every column is a number, else 'table'.
   */
  inputFormat?: 'matrix' | 'table';
  /** Facts shown by GET /models (alias, status, metrics, createdAt …). */
  info?: Record<string, unknown>;
  /** The model's monitoring reference profile (its manifest's `reference`): scheduled drift compares logged rows with it. */
  reference?: Record<string, unknown>;
}

/** The two traffic variants: everything goes to primary unless a candidate is live and drawn. */
export type Variant = 'primary' | 'candidate';

/** What a source says should be live now; every model in it is fully loaded. */
export interface SourceState {
  primary: ServedModel;
  candidate?: ServedModel;
}

/**
 * Where the server's models come from: an in-memory set (staticSource), the model registry
 * (registrySource) or anything else. The server calls resolve() once at start, and again after
 * every change notification or reload(); it switches to the new state only when resolve() has
 * returned (so the new version is loaded in full before any request sees it).
 */
export interface ModelSource {
  /** The models to serve now. Return the same ServedModel object for a version that did not change. */
  resolve(): Promise<SourceState>;
  /** Calls onChange whenever resolve() may return something new; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
  /** Extra facts for GET /models (all registered versions, aliases …). */
  describe?(): unknown | Promise<unknown>;
  close?(): void | Promise<void>;
}
