/**
 * The gate's Arrow check, and the value-by-value reader it and the arrow bench compare against
 * (what frameFromArrow did before it read chunks: `Number(get(i))` per number, a string per text
 * value). The check reads an IPC file of 400,000 rows — two Int64 columns, two dictionary text
 * columns of 229 labels, 4 record batches — through readArrow and through that reader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dictionary, Int32, makeVector, Table, tableFromIPC, tableToIPC, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import { categoricalColumn, type FrameColumn } from '../src/data/column.js';
import { Frame, readArrow, Rng } from '../src/index.js';
import { measure } from './lib.js';

/** Every column value by value: text columns (named) through strings, the others through Number. */
export function byValue(table: Table, text: readonly string[]): Frame {
  const out: Record<string, FrameColumn> = {};
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name) as Vector;
    out[field.name] = text.includes(field.name)
      ? categoricalColumn(Array.from({ length: v.length }, (_, i) => (v.get(i) === null ? null : String(v.get(i)))))
      : { kind: 'numeric', values: Float64Array.from({ length: v.length }, (_, i) => (v.get(i) === null ? NaN : Number(v.get(i)))) };
  }
  return new Frame(out);
}

const ROWS = 400_000;

export function arrowChunksVersusValues() {
  const rng = new Rng(11);
  const labels = Array.from({ length: 229 }, (_, i) => `A${i.toString(36).toUpperCase()}`);
  const int64 = () => makeVector(BigInt64Array.from({ length: ROWS }, () => BigInt(rng.int(5000) - 60)));
  const text = () =>
    vectorFromArray(
      Array.from({ length: ROWS }, () => labels[rng.int(labels.length)]),
      new Dictionary(new Utf8(), new Int32()),
    );
  const whole = new Table({ delay: int64(), distance: int64(), origin: text(), destination: text() });
  const batches = [0, 1, 2, 3].flatMap((b) => whole.slice((b * ROWS) / 4, ((b + 1) * ROWS) / 4).batches);
  return {
    name: `readArrow ${ROWS} rows × 4 columns (2 Int64, 2 dictionary text)`,
    baseline: 'value by value',
    contender: 'chunks',
    minRatio: 4,
    async run(time: number) {
      const dir = mkdtempSync(join(tmpdir(), 'kiln-gate-arrow-')),
        file = join(dir, 'gate.arrow');
      try {
        writeFileSync(file, tableToIPC(new Table(batches), 'file'));
        const t = await measure(
          { values: () => byValue(tableFromIPC(readFileSync(file)), ['origin', 'destination']), chunks: () => readArrow(file) },
          { time },
        );
        return { baselineMs: t.values.medianMs, contenderMs: t.chunks.medianMs };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
