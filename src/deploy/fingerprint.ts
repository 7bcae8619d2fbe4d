/**
 * A stable SHA-256 of training data for lineage records: the same values in the same shape give
 * the same fingerprint (a Matrix and the same numbers as number[][] agree; f32 and f64 do not).
 */
import { createHash } from 'node:crypto';
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';

type Columns = Record<string, ArrayLike<unknown>>;

/** `sha256:<hex>` of a Matrix, number[][], a typed or plain array, or a table `{ rows, columns }` (Frame, readCsv, readParquet). */
export function dataFingerprint(data: unknown): string {
  const h = createHash('sha256');
  const f64 = (values: ArrayLike<number>) => {
    const a = values instanceof Float64Array ? values : Float64Array.from(values);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  };
  if (data instanceof Matrix) {
    h.update(`matrix ${data.rows} ${data.cols} ${data.dtype}\n`);
    h.update(new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength));
  } else if (Array.isArray(data) && data.every((r) => Array.isArray(r))) {
    const rows = data as unknown[][];
    const cols = rows[0]?.length ?? 0;
    if (rows.every((r) => r.every((v) => typeof v === 'number' || v === null))) {
      h.update(`matrix ${rows.length} ${cols} float64\n`);
      for (const r of rows) f64(r.map((v) => (v === null ? NaN : (v as number))));
    } else {
      h.update(`rows ${rows.length}\n`);
      for (const r of rows) h.update(`${JSON.stringify(r)}\n`);
    }
  } else if (ArrayBuffer.isView(data)) {
    h.update(`array ${data.constructor.name} ${(data as unknown as ArrayLike<number>).length}\n`);
    h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } else if (Array.isArray(data)) {
    h.update(`list ${data.length}\n${JSON.stringify(data)}`);
  } else if (data && typeof data === 'object' && (data as { columns?: unknown }).columns && typeof (data as { columns?: unknown }).columns === 'object') {
    const t = data as { rows?: number; columns: Columns };
    const names = Object.keys(t.columns);
    h.update(`table ${t.rows ?? ''} ${names.length}\n`);
    for (const name of names) {
      const col = t.columns[name];
      h.update(`${JSON.stringify(name)} ${col?.constructor?.name} ${col?.length}\n`);
      if (col instanceof Float64Array || col instanceof Float32Array || col instanceof Int32Array || col instanceof Uint8Array)
        h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
      else h.update(JSON.stringify(Array.from(col as ArrayLike<unknown>)));
    }
  } else {
    throw new ParamError('dataFingerprint: data must be a Matrix, number[][], an array, a typed array or a table { rows, columns }');
  }
  return `sha256:${h.digest('hex')}`;
}
