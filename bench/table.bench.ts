/**
 * Table operations on flights-3m.parquet (vega-datasets, 3,000,000 rows): mean and count of
 * delay by origin (groupBy.agg) and a left join of a 229-row airport table on origin (built from
 * the distinct origins with a synthetic attribute, the same table on both sides) — kiln's Frame
 * vs pandas in the same run (bench/peers/pandas_table.py, origin as object strings and as a
 * Categorical). Results are checked to agree (groups, Σ means, Σ counts, joined rows, Σ attribute).
 * Run: npm run bench -- table   (results in bench/results/table.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Frame, readParquet } from '../src/index.js';
import { measure, runPeer, writeResults } from './lib.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));

export async function benchTable(rows = Number(process.env.KILN_BENCH_TABLE_ROWS ?? 3_000_000)): Promise<void> {
  const table = await readParquet(FLIGHTS, { columns: ['delay', 'origin'], rowEnd: rows });
  const t0 = performance.now();
  const flights = Frame.fromTable(table);
  const frameMs = performance.now() - t0;
  const origins = (flights.column('origin') as { labels: string[] }).labels; // sorted distinct origins
  const elevation = Float64Array.from(origins, (_, i) => (i * 37) % 1000);
  const airports = new Frame({
    origin: { kind: 'categorical', labels: origins, codes: Int32Array.from(origins, (_, i) => i) },
    elevation: { kind: 'numeric', values: elevation },
  });

  const groupBy = () => flights.groupBy('origin').agg({ delay: ['mean', 'count'] });
  const joinLeft = () => flights.join(airports, { on: 'origin', how: 'left' });
  const timing = await measure({ groupBy, joinLeft }, { time: 2000, iterations: 10, warmupIterations: 2 });

  const g = groupBy(),
    j = joinLeft();
  const sum = (f: Frame, c: string) => (f.column(c) as { values: Float64Array }).values.reduce((a, b) => a + b, 0);
  const kiln = { groups: g.rows, meanSum: sum(g, 'delay_mean'), countSum: sum(g, 'delay_count'), joinRows: j.rows, joinAttrSum: sum(j, 'elevation') };

  const dir = mkdtempSync(join(tmpdir(), 'kiln-table-'));
  let peers: any[] = [];
  try {
    writeFileSync(join(dir, 'delay.f64'), table.columns.delay as Float64Array);
    writeFileSync(join(dir, 'origin.txt'), (table.columns.origin as string[]).join('\n'));
    writeFileSync(join(dir, 'airports.txt'), origins.map((o, i) => `${o},${elevation[i]}`).join('\n'));
    peers = runPeer('pandas', 'pandas_table.py', [join(dir, 'delay.f64'), join(dir, 'origin.txt'), join(dir, 'airports.txt'), '7']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result = [
    {
      engine: 'kiln',
      rows: table.rows,
      groupByMs: +timing.groupBy.medianMs.toFixed(1),
      joinMs: +timing.joinLeft.medianMs.toFixed(1),
      ...kiln,
      note: `origin categorical (Frame.fromTable: ${Math.round(frameMs)} ms, not timed above)`,
    },
    ...peers.map((p) => ({
      engine: `pandas (${p.repr})`,
      rows: table.rows,
      groupByMs: +p.groupByMs.toFixed(1),
      joinMs: +p.joinMs.toFixed(1),
      groups: p.groups,
      meanSum: p.meanSum,
      countSum: p.countSum,
      joinRows: p.joinRows,
      joinAttrSum: p.joinAttrSum,
      groupBySpeedup: +(p.groupByMs / timing.groupBy.medianMs).toFixed(2),
      joinSpeedup: +(p.joinMs / timing.joinLeft.medianMs).toFixed(2),
      agrees:
        p.groups === kiln.groups &&
        p.countSum === kiln.countSum &&
        p.joinRows === kiln.joinRows &&
        Math.abs(p.meanSum - kiln.meanSum) <= 1e-9 * Math.abs(kiln.meanSum) &&
        Math.abs(p.joinAttrSum - kiln.joinAttrSum) <= 1e-9 * Math.abs(kiln.joinAttrSum),
    })),
  ];
  console.table(result);
  console.log(`results: ${writeResults('table', result)}`);
}
