/**
 * Data sources named on the command line or in a config: a file path (.csv, .tsv, .parquet,
 * .json rows, .arrow) or `vega-datasets:<file>` (the data sets bundled with the vega-datasets
 * package, found from the working directory or from kiln's own install).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { ParamError } from '../core/errors.js';

export type SourceFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'arrow';

export interface DataSource {
  /** What the user wrote (recorded as the model's data source). */
  spec: string;
  path: string;
  format: SourceFormat;
}

const FORMATS: Record<string, SourceFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.parquet': 'parquet', '.json': 'json', '.arrow': 'arrow', '.feather': 'arrow' };

/** The folder of the installed vega-datasets package, or undefined. */
export function vegaDatasetsDir(): string | undefined {
  const starts = [join(process.cwd(), 'noop.js'), import.meta.url];
  for (const from of starts) {
    let entry: string;
    try {
      entry = createRequire(from).resolve('vega-datasets');
    } catch {
      continue;
    }
    // the package's exports hide package.json: walk up from its entry point to the folder that has it
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'vega-datasets') return dir;
    }
  }
  return undefined;
}

/** Resolves a source spec; `baseDir` anchors relative paths, `what` names the option or config key in errors. */
export function resolveSource(spec: string, baseDir: string, what: string): DataSource {
  let path: string;
  if (spec.startsWith('vega-datasets:')) {
    const file = spec.slice('vega-datasets:'.length);
    if (!/^[\w.-]+$/.test(file)) throw new ParamError(`${what}: ${JSON.stringify(spec)} should name a file of vega-datasets, e.g. vega-datasets:penguins.json`);
    const dir = vegaDatasetsDir();
    if (!dir) throw new ParamError(`${what}: the vega-datasets package is not installed here; run \`npm install vega-datasets\` or give a file path`);
    path = join(dir, 'data', file);
    if (!existsSync(path)) throw new ParamError(`${what}: vega-datasets has no file ${file}; see ${join(dir, 'data')}`);
  } else {
    path = isAbsolute(spec) ? spec : resolve(baseDir, spec);
  }
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) throw new ParamError(`${what}: cannot tell the format of ${spec}; use a .csv, .tsv, .parquet, .json (an array of rows) or .arrow file`);
  if (!existsSync(path)) throw new ParamError(`${what}: no file at ${path}; check the path`);
  return { spec, path, format };
}
