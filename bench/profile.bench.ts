/**
 * The profile of flights-3m (3,000,000 rows: a date, two numbers, two categorical columns):
 * kiln's `profile()` statistics vs pandas' describe + skew/kurt + corr (Pearson, Spearman) +
 * value_counts + isna().sum() + duplicated().sum() on the same arrays in the same run
 * (bench/peers/pandas_profile.py), with each side's peak memory; then the whole report (HTML) timed.
 * kiln's profile does more than pandas' list (histograms, normality tests, Cramér's V, mutual
 * information, PCA, alerts); the ratio is therefore conservative.
 * Run: npm run bench -- profile   (PROFILE_ROWS overrides the rows; results in bench/results/profile.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Frame, getThreads, profile, readParquet } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const ROWS = Number(process.env.PROFILE_ROWS ?? 3_000_000);

export async function benchProfile(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-profile-'));
  let peer: { seconds: number; peakRssMb: number } | undefined;
  let frame: Frame;
  let rows: number;
  let dataMb: number;
  try {
    // The loaded table goes out of scope before the timed profile: like pandas' DataFrame of
    // Categoricals, the Frame holds codes, and 6 M dead strings must not be marked by each GC.
    {
      const t = await readParquet(FLIGHTS, { rowEnd: ROWS });
      rows = t.rows;
      frame = Frame.fromTable(t, { date: 'datetime' });
      for (const n of ['date', 'delay', 'distance']) writeFileSync(join(dir, `${n}.f64`), t.columns[n] as Float64Array);
      for (const n of ['origin', 'destination']) writeFileSync(join(dir, `${n}.txt`), (t.columns[n] as string[]).join('\n'));
      dataMb = Object.values(t.columns).reduce((a, c) => a + (c instanceof Float64Array ? c.byteLength : c.length * 8), 0) / 2 ** 20;
    }
    peer = runPeer('pandas', 'pandas_profile.py', [dir, String(rows)])[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  getThreads(); // loads the native addon before the clock starts, as the peer imports pandas before its clock
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const report = await profile(frame, { target: 'delay' });
  const statsSeconds = (performance.now() - t0) / 1000;
  const rssAfter = process.resourceUsage().maxRSS / 1024;
  const t1 = performance.now();
  const html = await report.toHtml();
  const htmlSeconds = (performance.now() - t1) / 1000;

  const result = {
    rows,
    kilnStatsSeconds: Number(statsSeconds.toFixed(2)),
    pandasSeconds: peer ? Number(peer.seconds.toFixed(2)) : null,
    ratio: peer ? Number((statsSeconds / peer.seconds).toFixed(2)) : null,
    kilnPeakRssMb: Math.round(rssAfter),
    kilnRssBeforeMb: Math.round(rss0 / 2 ** 20),
    pandasPeakRssMb: peer ? Math.round(peer.peakRssMb) : null,
    dataMb: Math.round(dataMb),
    htmlSeconds: Number(htmlSeconds.toFixed(2)),
    htmlMb: Number((html.length / 2 ** 20).toFixed(2)),
    alerts: report.toJSON().alerts.length,
  };
  console.table([result]);
  console.log(`results: ${writeResults('profile', result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProfile();
