/**
 * Arrow IPC into kiln's columns: flights-3m's delay, distance (Int64, as in its Parquet file),
 * origin and destination (dictionary<utf8, int32>), written once as an IPC file of 11 record
 * batches of 272,727 rows (the Parquet file's row groups), then read by `readArrow` and, in the
 * same process and alternating, by a value-by-value reader (what frameFromArrow did before it read
 * chunks: `Number(get(i))` per number, a string per text value). Rows/s, best of 3 each; both
 * Frames are checked to be equal.
 * Run: npm run bench -- arrow   (results in bench/results/arrow.json)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dictionary, Int32, makeVector, type RecordBatch, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { FrameColumn } from '../src/data/column.js';
import { type Frame, readArrow, readParquet } from '../src/index.js';
import { byValue } from './arrow-gate.js';
import { writeResults } from './lib.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const BATCH = 272_727;

/** The flights columns as an Arrow table of record batches (Int64 numbers, text under one dictionary a column). */
async function flightsTable(): Promise<Table> {
  const t = await readParquet(FLIGHTS, { columns: ['delay', 'distance', 'origin', 'destination'] });
  const int64 = (name: string) => makeVector(BigInt64Array.from(t.columns[name] as Float64Array, (v) => BigInt(v)));
  const text = (name: string) => vectorFromArray(t.columns[name] as string[], new Dictionary(new Utf8(), new Int32()));
  const whole = new Table({ delay: int64('delay'), distance: int64('distance'), origin: text('origin'), destination: text('destination') });
  const batches: RecordBatch[] = [];
  for (let lo = 0; lo < t.rows; lo += BATCH) batches.push(...whole.slice(lo, Math.min(t.rows, lo + BATCH)).batches);
  return new Table(batches);
}

function sameColumn(x: FrameColumn, y: FrameColumn): boolean {
  if (x.kind === 'categorical' && y.kind === 'categorical') return x.labels.join('\0') === y.labels.join('\0') && x.codes.every((c, i) => c === y.codes[i]);
  if (x.kind === 'categorical' || y.kind === 'categorical') return false;
  return x.values.length === y.values.length && x.values.every((v, i) => Object.is(v, y.values[i]));
}

export async function benchArrow(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-arrow-'));
  try {
    const file = join(dir, 'flights.arrow');
    writeFileSync(file, tableToIPC(await flightsTable(), 'file'));
    const rows = 3_000_000;
    const best = { readArrow: Infinity, byValue: Infinity };
    let a: Frame | undefined, b: Frame | undefined;
    for (let rep = 0; rep < 3; rep++) {
      let t = performance.now();
      a = await readArrow(file);
      best.readArrow = Math.min(best.readArrow, performance.now() - t);
      t = performance.now();
      b = byValue(tableFromIPC(readFileSync(file)), ['origin', 'destination']);
      best.byValue = Math.min(best.byValue, performance.now() - t);
    }
    for (const name of a!.columnNames)
      if (!sameColumn(a!.column(name), b!.column(name))) throw new Error(`arrow bench: column ${name} differs between the readers`);
    const result = {
      case: 'flights-3m, 4 columns (2 Int64, 2 dictionary text), Arrow IPC file',
      rows,
      readArrowMs: Math.round(best.readArrow),
      readArrowMRowsPerS: +(rows / best.readArrow / 1000).toFixed(2),
      byValueMs: Math.round(best.byValue),
      byValueMRowsPerS: +(rows / best.byValue / 1000).toFixed(2),
    };
    console.table([result]);
    console.log(`results: ${writeResults('arrow', [result])}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
