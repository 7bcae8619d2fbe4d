/**
 * Typed inputs per column, as skl2onnx writes a ColumnTransformer: one [N, 1] input per table
 * column (string for the columns a category encoder fitted on strings, float otherwise), named
 * as the ColumnTransformer named it, else x0, x1, ...; each transformer reads the Concat of its
 * columns; the parts are concatenated in kiln's order.
 *
 * Category encoders (ai.onnx.ml LabelEncoder, operator set 2 or later):
 * - OrdinalEncoder: the category's code, unknownValue for an unseen one (kiln's
 *   handleUnknown 'error' raises instead; ONNX has no error, so it writes unknownValue, NaN by default);
 * - OneHotEncoder: the code, compared with every code (Equal), then a 0/1 matrix that places each
 *   category in its output column (dropped categories nowhere, infrequent ones in one column,
 *   an unseen one in the infrequent column under 'infrequent_if_exist', else nowhere).
 * A missing-value category (null) is written for number columns (NaN); string columns have none in
 * ONNX, so a SimpleImputer of categories before an encoder (kiln train's pipelines) passes strings
 * through: send its fill value where a category is missing. Nested Pipelines are unrolled.
 */
import { NotFittedError, ParamError, UnsupportedError } from '../../core/errors.js';
import type { ColumnTransformer } from '../../compose/column-transformer.js';
import { Pipeline } from '../../compose/pipeline.js';
import { OneHotEncoder, OrdinalEncoder, SimpleImputer } from '../../preprocessing/index.js';
import type { Category } from '../../preprocessing/encoders.js';
import { attr, type ElemType, type GraphBuilder } from './graph.js';
import type { Columns } from './transformers.js';

// Fitted fields are read by name, as src/deploy/state-hooks.ts does.
type Any = any;

interface Layout {
  pos: Int32Array;
  infrequentPos: number;
  width: number;
}

/** The codes of one column: LabelEncoder to int64 (−1 unseen) or to float (unknownValue), NaN → the missing category. */
function codes(
  g: GraphBuilder,
  x: string,
  type: ElemType,
  cats: (Category | null)[],
  out: 'int64' | 'float',
  unknown: number,
  missing: number,
  owner: string,
): string {
  if (g.options.mlOpset < 2) throw new UnsupportedError(`${owner}: category encoders need ai.onnx.ml operator set 2 or later (LabelEncoder's typed keys)`);
  const known = cats.map((v, i) => [v, i] as const).filter(([v]) => v !== null);
  const keys =
    type === 'string'
      ? attr.strings(
          'keys_strings',
          known.map(([v]) => String(v)),
        )
      : attr.floats(
          'keys_floats',
          known.map(([v]) => Number(v)),
        );
  const values =
    out === 'int64'
      ? attr.ints(
          'values_int64s',
          known.map(([, i]) => i),
        )
      : attr.floats(
          'values_floats',
          known.map(([, i]) => i),
        );
  const dflt = out === 'int64' ? attr.i('default_int64', unknown) : attr.f('default_float', unknown);
  let [code] = g.ml('LabelEncoder', [x], ['code'], [keys, values, dflt]);
  if (type !== 'string' && (cats.includes(null) || !Number.isNaN(missing))) {
    const [nan] = g.node('IsNaN', [x], ['is_nan']);
    const fill = g.constant('missing_code', out === 'int64' ? 'int64' : 'float', [], [missing]);
    [code] = g.node('Where', [nan, fill, code], ['code_or_missing']);
  }
  return code;
}

function encodeColumn(g: GraphBuilder, enc: object, c: number, x: string, type: ElemType, owner: string): Columns {
  const m = enc as Any;
  const cats: (Category | null)[] = m.cats[c];
  if (type === 'string' && cats.includes(null))
    throw new UnsupportedError(`${owner}: column ${c} has a missing-value category; ONNX string tensors have no missing value`);
  if (enc instanceof OrdinalEncoder) {
    const nullCode = cats.indexOf(null);
    const missing = nullCode >= 0 ? m.params.encodedMissingValue : NaN;
    return { name: codes(g, x, type, cats, 'float', m.params.unknownValue, missing, owner), cols: 1 };
  }
  const layout: Layout = m.layouts[c];
  const K = cats.length;
  const code = codes(g, x, type, cats, 'int64', -1, cats.indexOf(null), owner);
  // column K stands for an unseen category (code −1)
  const ids = g.constant('category_ids', 'int64', [K + 1], [...Array.from({ length: K }, (_, i) => i), -1]);
  const [hit] = g.node('Equal', [code, ids], ['is_category']);
  const [hitF] = g.node('Cast', [hit], ['is_category_f'], [attr.i('to', 1)]);
  const place = new Float32Array((K + 1) * layout.width);
  for (let i = 0; i < K; i++) if (layout.pos[i] >= 0) place[i * layout.width + layout.pos[i]] = 1;
  if (m.params.handleUnknown === 'infrequent_if_exist' && layout.infrequentPos >= 0) place[K * layout.width + layout.infrequentPos] = 1;
  const [onehot] = g.node('MatMul', [hitF, g.constant('placement', 'float', [K + 1, layout.width], place)], ['one_hot']);
  return { name: onehot, cols: layout.width };
}

/** A ColumnTransformer entry as (steps before the encoder, the encoder, steps after): a nested Pipeline is unrolled. */
function split(t: unknown): { before: object[]; encoder: OneHotEncoder | OrdinalEncoder | null; after: object[] } {
  const steps: object[] = t instanceof Pipeline ? t.steps.map(([, s]) => s as object) : typeof t === 'object' && t !== null ? [t] : [];
  const at = steps.findIndex((s) => s instanceof OneHotEncoder || s instanceof OrdinalEncoder);
  if (at < 0) return { before: steps, encoder: null, after: [] };
  return { before: steps.slice(0, at), encoder: steps[at] as OneHotEncoder | OrdinalEncoder, after: steps.slice(at + 1) };
}

/** Concat of [N, 1] inputs as [N, k] (one input passes as it is). */
function concat(g: GraphBuilder, names: string[], prefix: string): string {
  return names.length === 1 ? names[0] : g.node('Concat', names, [prefix], [attr.i('axis', 1)])[0];
}

/**
 * Declares the graph's inputs (one per column) and writes the ColumnTransformer; `numeric` converts
 * a numeric transformer (scalers, imputer) on a float [N, k] tensor.
 */
export function columnTransformer(
  g: GraphBuilder,
  ct: ColumnTransformer,
  numeric: (g: GraphBuilder, step: object, x: string, cols: number, owner: string) => Columns | null,
  owner: string,
  columnNames?: readonly string[],
): Columns {
  const m = ct as Any;
  const nCols: number | undefined = m.nCols;
  if (nCols === undefined) throw new NotFittedError(owner);
  const resolved: number[][] = m.resolved,
    specs: (readonly (number | string)[])[] = m.fittedSpecs;
  if (columnNames !== undefined && columnNames.length !== nCols)
    throw new ParamError(`${owner}: columnNames has ${columnNames.length} names for ${nCols} columns`);
  const names = Array.from({ length: nCols }, (_, c) => columnNames?.[c] ?? `x${c}`);
  const types: ElemType[] = Array.from({ length: nCols }, () => 'float');
  ct.transformers.forEach(([, t], i) => {
    const { encoder, before } = split(t);
    resolved[i].forEach((c, j) => {
      if (typeof specs[i][j] === 'string' && columnNames === undefined) names[c] = specs[i][j] as string;
      if (encoder) {
        const cats = (encoder as Any).cats?.[j] as (Category | null)[] | undefined;
        if (!cats) throw new NotFittedError(`${owner}: ${encoder.constructor.name}`);
        if (cats.some((v) => typeof v === 'string')) types[c] = 'string';
      }
      if (before.some((b) => (b as Any).categorical)) types[c] = 'string';
    });
  });
  if (new Set(names).size !== names.length)
    throw new UnsupportedError(`${owner}: two columns share the input name of ${names.find((n, i) => names.indexOf(n) !== i)}`);
  const inputs = names.map((n, c) => g.input(n, types[c], ['N', 1]));
  const parts: Columns[] = [];
  const numericColumns = (cs: number[], what: string) => {
    const bad = cs.find((c) => types[c] !== 'float');
    if (bad !== undefined) throw new UnsupportedError(`${owner}: ${what} reads string column ${names[bad]}`);
    return concat(
      g,
      cs.map((c) => inputs[c]),
      'columns',
    );
  };
  ct.transformers.forEach(([name, t], i) => {
    const cs = resolved[i];
    const who = `${owner} transformer '${name}' (${typeof t === 'string' ? t : t.constructor.name})`;
    if (t === 'drop' || cs.length === 0) return;
    if (t === 'passthrough') {
      parts.push({ name: numericColumns(cs, who), cols: cs.length });
      return;
    }
    const { encoder, before, after } = split(t);
    // a chain of numeric transformers on the float [N, k] tensor
    const chain = (steps: object[], x: string, k: number): Columns => {
      let cur: Columns = { name: x, cols: k };
      for (const step of steps) {
        const out = numeric(g, step, cur.name, cur.cols, `${who}: ${step.constructor.name}`);
        if (!out) throw new UnsupportedError(`${who}: ${step.constructor.name} has no ONNX converter`);
        cur = out;
      }
      return cur;
    };
    if (!encoder) {
      parts.push(chain(before, numericColumns(cs, who), cs.length));
      return;
    }
    if (encoder instanceof OneHotEncoder && (encoder as Any).params.sparseOutput)
      throw new UnsupportedError(`${who}: sparseOutput; fit with sparseOutput: false to export`);
    // before an encoder only imputers of categories may stand: ONNX strings have no missing value, so they pass values through
    for (const b of before) {
      if (!(b instanceof SimpleImputer && (b as Any).categorical))
        throw new UnsupportedError(`${who}: ${b.constructor.name} before ${encoder.constructor.name} has no ONNX converter`);
    }
    const encoded = cs.map((c, j) => encodeColumn(g, encoder, j, inputs[c], types[c], who));
    const cols = encoded.reduce((a, p) => a + p.cols, 0);
    parts.push(
      chain(
        after,
        concat(
          g,
          encoded.map((p) => p.name),
          'encoded',
        ),
        cols,
      ),
    );
  });
  if (ct.remainder === 'passthrough' && m.rest.length) parts.push({ name: numericColumns(m.rest, `${owner} remainder`), cols: m.rest.length });
  if (parts.length === 0) throw new UnsupportedError(`${owner}: every column is dropped`);
  const cols = parts.reduce((a, p) => a + p.cols, 0);
  const name =
    parts.length === 1
      ? parts[0].name
      : g.node(
          'Concat',
          parts.map((p) => p.name),
          ['column_transformer'],
          [attr.i('axis', 1)],
        )[0];
  return { name, cols };
}

/** A category encoder alone: one input per column (x0, x1, ...), typed by its categories. */
export function standaloneEncoder(g: GraphBuilder, enc: OneHotEncoder | OrdinalEncoder, owner: string): Columns {
  const cats = (enc as Any).cats as (Category | null)[][] | undefined;
  if (!cats) throw new NotFittedError(owner);
  if (enc instanceof OneHotEncoder && (enc as Any).params.sparseOutput)
    throw new UnsupportedError(`${owner}: sparseOutput; fit with sparseOutput: false to export`);
  const parts = cats.map((cs, c) => {
    const type: ElemType = cs.some((v) => typeof v === 'string') ? 'string' : 'float';
    return encodeColumn(g, enc, c, g.input(`x${c}`, type, ['N', 1]), type, owner);
  });
  const cols = parts.reduce((a, p) => a + p.cols, 0);
  const name =
    parts.length === 1
      ? parts[0].name
      : g.node(
          'Concat',
          parts.map((p) => p.name),
          ['encoded'],
          [attr.i('axis', 1)],
        )[0];
  return { name, cols };
}
