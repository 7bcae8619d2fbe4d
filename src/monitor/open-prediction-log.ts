/**
 * Opens a prediction log by format: SQLite (one file, the default) or Parquet (a directory of
 * segments). An existing directory is read as a Parquet log, so `kiln monitor --log` needs no flag.
 */
import { statSync } from 'node:fs';
import { ParamError } from '../core/errors.js';
import { ParquetPredictionLog, type ParquetPredictionLogOptions } from './parquet-prediction-log.js';
import { PredictionLog } from './prediction-log.js';
import type { PredictionStore } from './prediction-store.js';

export type PredictionLogFormat = 'sqlite' | 'parquet';

export interface OpenPredictionLogOptions extends ParquetPredictionLogOptions {
  /** 'sqlite' (a database file) or 'parquet' (a directory of rotated segments). Default: 'parquet' when path is an existing directory, else 'sqlite'. */
  format?: PredictionLogFormat;
}

export async function openPredictionLog(path: string, opts: OpenPredictionLogOptions = {}): Promise<PredictionStore> {
  const { format, rotateRows, rotateBytes, rotateMs, ...common } = opts;
  if (format !== undefined && format !== 'sqlite' && format !== 'parquet') {
    throw new ParamError(`openPredictionLog: format must be 'sqlite' or 'parquet', got ${JSON.stringify(format)}`);
  }
  const isDir = typeof path === 'string' && path !== '' && isDirectory(path);
  if ((format ?? (isDir ? 'parquet' : 'sqlite')) === 'parquet') return ParquetPredictionLog.open(path, { ...common, rotateRows, rotateBytes, rotateMs });
  if (rotateRows !== undefined || rotateBytes !== undefined || rotateMs !== undefined) {
    throw new ParamError("openPredictionLog: rotateRows / rotateBytes / rotateMs apply to format 'parquet' only (a SQLite log does not rotate)");
  }
  return PredictionLog.open(path, common);
}

/** Whether `path` is a directory now (a path under a plain file is not: the store's open says why it cannot be used). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}
