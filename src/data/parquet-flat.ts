/**
 * Flat Parquet columns decoded straight into kiln's columns. hyparquet's general reader builds a
 * JS array per page, dereferences dictionaries value by value (an INT64 becomes a BigInt each
 * time) and assembles nullable columns as lists; most of a load went there. For the common case —
 * a top-level column of numbers, booleans or text in PLAIN or dictionary pages — this walks the
 * pages itself with hyparquet's page-level pieces (page headers, decompression, the RLE/bit-packed
 * hybrid, PLAIN values, type conversion), converts each dictionary entry once and gathers the
 * codes into a Float64Array or a string array. Anything else (nested columns, DELTA or
 * BYTE_STREAM_SPLIT pages, INT96, decimals, JSON) throws NotFlat and is read by hyparquet whole.
 */
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { ColumnMetaData, Compressors, DataReader, DecodedArray, SchemaTree } from 'hyparquet';

/** How hyparquet's page readers see a column (the type its column.js takes; not re-exported at the package root). */
type ColumnDecoder = Parameters<typeof convert>[1];
import { DataFormatError } from '../core/errors.js';
import { CodeColumn } from './column.js';
import type { Column } from './table.js';

/** This column (or one of its pages) needs hyparquet's general reader. */
export class NotFlat extends Error {}

const NUMERIC = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN']);
const NUMERIC_CONVERTED = new Set([
  'DATE',
  'TIMESTAMP_MILLIS',
  'TIMESTAMP_MICROS',
  'INT_8',
  'INT_16',
  'INT_32',
  'INT_64',
  'UINT_8',
  'UINT_16',
  'UINT_32',
  'UINT_64',
]);

/** A kiln number from what hyparquet's conversion gives (null → NaN, timestamps as epoch milliseconds). */
export function toNumber(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return NaN;
}

/** How one column is decoded, or NotFlat when it is not a top-level column of a kind handled here. */
export function flatDecoder(leaf: SchemaTree, root: SchemaTree, meta: ColumnMetaData, compressors: Compressors): ColumnDecoder {
  const el = leaf.element;
  if (leaf.children.length || el.repetition_type === 'REPEATED' || el.type === undefined) throw new NotFlat();
  const ctype = el.converted_type,
    ltype = el.logical_type?.type;
  if (el.type === 'BYTE_ARRAY') {
    if ((ctype !== undefined && ctype !== 'UTF8') || (ltype !== undefined && ltype !== 'STRING')) throw new NotFlat();
  } else if (!NUMERIC.has(el.type)) throw new NotFlat();
  else if (
    (ctype !== undefined && !NUMERIC_CONVERTED.has(ctype)) ||
    (ltype !== undefined && ltype !== 'INTEGER' && ltype !== 'TIMESTAMP' && ltype !== 'DATE')
  ) {
    throw new NotFlat();
  }
  if (meta.codec !== 'UNCOMPRESSED' && meta.codec !== 'SNAPPY' && !compressors[meta.codec]) throw new NotFlat();
  return { pathInSchema: meta.path_in_schema, type: el.type, element: el, schemaPath: [root, leaf], codec: meta.codec, parsers: DEFAULT_PARSERS, compressors };
}

/** The bytes of a column chunk: its dictionary page (if any) through its last data page. */
export function chunkRange(meta: ColumnMetaData): [number, number] {
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  return [start, start + Number(meta.total_compressed_size)];
}

type Values = { codes: Int32Array } | { dense: Float64Array | (string | null)[] };

/**
 * Rows [lo, hi) of one row group's column chunk (`bytes`, from chunkRange) into out[at …]:
 * numbers (NaN for null) into a Float64Array, text (null for null) into a string array.
 * Pages wholly before `lo` are skipped without being decompressed.
 */
export function decodeFlatChunk(bytes: Uint8Array, d: ColumnDecoder, lo: number, hi: number, out: Column | CodeColumn, at: number, name: string): void {
  const reader: DataReader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  const optional = d.element.repetition_type !== 'REQUIRED';
  const text = Array.isArray(out) || out instanceof CodeColumn;
  let dict: Float64Array | (string | null)[] | undefined;
  let local: Int32Array | undefined; // codes: each dictionary entry's label code, −2 until a row uses it
  let row = 0;
  while (row < hi && reader.offset < bytes.length) {
    const h = parquetHeader(reader);
    const size = h.compressed_page_size;
    if (!(size >= 0) || reader.offset + size > bytes.length) throw new DataFormatError(`column '${name}': a page runs past its column chunk (corrupt file)`);
    const raw = bytes.subarray(reader.offset, reader.offset + size);
    reader.offset += size;
    if (h.type === 'DICTIONARY_PAGE') {
      const n = h.dictionary_page_header?.num_values ?? 0;
      const page = decompressPage(raw, h.uncompressed_page_size, d.codec, d.compressors);
      dict = converted(readPlain(pageReader(page), d.type, n, d.element.type_length), d, text);
      if (out instanceof CodeColumn) local = new Int32Array(dict.length).fill(-2);
      continue;
    }
    if (h.type !== 'DATA_PAGE' && h.type !== 'DATA_PAGE_V2') continue; // index pages carry no rows
    const v1 = h.data_page_header,
      v2 = h.data_page_header_v2;
    const n = v1 ? v1.num_values : (v2?.num_rows ?? 0);
    if (row + n <= lo) {
      row += n;
      continue;
    }
    let defs: Uint8Array | undefined;
    let valuesReader: DataReader;
    let encoding: string;
    if (v1) {
      encoding = v1.encoding;
      const page = decompressPage(raw, h.uncompressed_page_size, d.codec, d.compressors);
      valuesReader = pageReader(page);
      if (optional) {
        defs = new Uint8Array(n);
        readRleBitPackedHybrid(valuesReader, 1, defs); // a 4-byte length, then the levels
      }
    } else {
      const p = v2!;
      encoding = p.encoding;
      const levelsEnd = p.repetition_levels_byte_length + p.definition_levels_byte_length;
      if (optional) {
        defs = new Uint8Array(n);
        readRleBitPackedHybrid(
          { view: reader.view, offset: raw.byteOffset - bytes.byteOffset + p.repetition_levels_byte_length },
          1,
          defs,
          p.definition_levels_byte_length,
        );
      }
      const body = raw.subarray(levelsEnd);
      const bodySize = h.uncompressed_page_size - levelsEnd;
      valuesReader = pageReader(p.is_compressed !== false && bodySize > 0 ? decompressPage(body, bodySize, d.codec, d.compressors) : body);
    }
    const present = defs ? presentCount(defs, name) : n;
    const values = pageValues(valuesReader, encoding, present, d, dict, text, name);
    if (out instanceof CodeColumn) scatterCodes(values, dict as (string | null)[] | undefined, local, defs, n, row, lo, hi, out, at);
    else scatter(values, dict, defs, n, row, lo, hi, out, at);
    row += n;
  }
  if (row < hi) throw new DataFormatError(`column '${name}': its pages hold ${row} rows, the row group says at least ${hi} (corrupt file)`);
}

/** Rows with a value (definition level 1); any other level than 0 or 1 is a corrupt flat column. */
function presentCount(defs: Uint8Array, name: string): number {
  let count = 0,
    bad = 0;
  for (let i = 0; i < defs.length; i++) {
    count += defs[i];
    bad |= defs[i] & ~1;
  }
  if (bad) throw new DataFormatError(`column '${name}': definition levels above 1 in a flat column (corrupt file)`);
  return count;
}

function pageReader(page: Uint8Array): DataReader {
  return { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
}

/** A page's non-null values: dictionary codes (checked against the dictionary) or the values themselves. */
function pageValues(
  r: DataReader,
  encoding: string,
  count: number,
  d: ColumnDecoder,
  dict: Float64Array | (string | null)[] | undefined,
  text: boolean,
  name: string,
): Values {
  if (encoding === 'PLAIN') return { dense: plainValues(r, count, d, text) };
  if ((encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') && d.type !== 'BOOLEAN') {
    if (!dict) throw new DataFormatError(`column '${name}': a dictionary-encoded page before any dictionary page (corrupt file)`);
    const codes = new Int32Array(count);
    if (count === 0) return { codes };
    const width = r.view.getUint8(r.offset++);
    if (width > 32) throw new DataFormatError(`column '${name}': dictionary code width ${width} bits (corrupt file)`);
    if (width > 0) readRleBitPackedHybrid(r, width, codes, r.view.byteLength - r.offset);
    const size = dict.length;
    for (let i = 0; i < count; i++) {
      if (codes[i] >>> 0 >= size)
        throw new DataFormatError(`column '${name}': dictionary code ${codes[i] >>> 0} past the dictionary's ${size} entries (corrupt file)`);
    }
    return { codes };
  }
  throw new NotFlat();
}

/** PLAIN values as numbers or text; INT64 without a logical type read as two 32-bit halves, never a BigInt each. */
function plainValues(r: DataReader, count: number, d: ColumnDecoder, text: boolean): Float64Array | (string | null)[] {
  const el = d.element;
  if (d.type === 'INT64' && el.converted_type === undefined && el.logical_type === undefined) {
    if (r.offset + count * 8 > r.view.byteLength)
      throw new DataFormatError(`column '${el.name}': a page holds fewer values than its header says (corrupt file)`);
    const out = new Float64Array(count);
    for (let i = 0, o = r.offset; i < count; i++, o += 8) out[i] = r.view.getInt32(o + 4, true) * 4294967296 + r.view.getUint32(o, true); // one rounding, as Number(bigint)
    r.offset += count * 8;
    return out;
  }
  return converted(readPlain(r, d.type, count, el.type_length), d, text);
}

/** hyparquet's conversion of raw values (dates, timestamps, unsigned, UTF-8), then kiln's column values. */
function converted(raw: DecodedArray, d: ColumnDecoder, text: boolean): Float64Array | (string | null)[] {
  const rich = convert(raw, d) as ArrayLike<unknown>;
  if (text) return Array.from(rich, (v) => (v === null || v === undefined ? null : String(v)));
  if (rich instanceof Float64Array) return rich;
  const out = new Float64Array(rich.length);
  for (let i = 0; i < rich.length; i++) out[i] = toNumber(rich[i]);
  return out;
}

/**
 * The part of a page (n values from row `row`) inside rows [lo, hi): its first and end index in the
 * page, the index of its first non-null value among the page's values, and its first output slot.
 */
function pageWindow(defs: Uint8Array | undefined, n: number, row: number, lo: number, hi: number, at: number) {
  const from = Math.max(lo - row, 0),
    to = Math.min(hi - row, n);
  let v = 0;
  if (defs) for (let i = 0; i < from; i++) v += defs[i];
  else v = from;
  return { from, to, v, o: at + row + from - lo };
}

/** Page rows [row, row+n) that fall in [lo, hi) written to out[at + r − lo]; absent rows as missing. */
function scatter(
  values: Values,
  dict: Float64Array | (string | null)[] | undefined,
  defs: Uint8Array | undefined,
  n: number,
  row: number,
  lo: number,
  hi: number,
  out: Column,
  at: number,
): void {
  const codes = 'codes' in values ? values.codes : undefined;
  const src = 'codes' in values ? dict! : values.dense;
  const missing = Array.isArray(out) ? null : NaN;
  const w = pageWindow(defs, n, row, lo, hi, at),
    { from, to } = w;
  let { v, o } = w;
  if (codes) {
    for (let i = from; i < to; i++, o++) {
      if (defs && defs[i] === 0) out[o] = missing as never;
      else out[o] = src[codes[v++]] as never;
    }
  } else {
    for (let i = from; i < to; i++, o++) {
      if (defs && defs[i] === 0) out[o] = missing as never;
      else out[o] = src[v++] as never;
    }
  }
}

/** scatter's twin for a CodeColumn: dictionary codes remapped through `local` (filled on first use), PLAIN text interned. */
function scatterCodes(
  values: Values,
  dict: (string | null)[] | undefined,
  local: Int32Array | undefined,
  defs: Uint8Array | undefined,
  n: number,
  row: number,
  lo: number,
  hi: number,
  out: CodeColumn,
  at: number,
): void {
  const dst = out.codes;
  const w = pageWindow(defs, n, row, lo, hi, at),
    { from, to } = w;
  let { v, o } = w;
  if ('codes' in values) {
    const codes = values.codes,
      map = local!,
      entries = dict!;
    for (let i = from; i < to; i++, o++) {
      if (defs && defs[i] === 0) {
        dst[o] = -1;
        continue;
      }
      const c = codes[v++];
      let g = map[c];
      if (g === -2) g = map[c] = out.code(entries[c]);
      dst[o] = g;
    }
  } else {
    const src = values.dense as (string | null)[];
    for (let i = from; i < to; i++, o++) dst[o] = defs && defs[i] === 0 ? -1 : out.code(src[v++]);
  }
}
