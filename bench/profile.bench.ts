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
import { type Frame, getThreads, profile, readParquetFrame } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const ROWS = Number(process.env.PROFILE_ROWS ?? 3_000_000);

/**
 * Loads the flights into a Frame (readParquetFrame: text as codes) and writes the peer's copy of
 * them into `dir`. A function of its own so that the peer's text (6 M strings) dies here: an async
 * function's locals outlive their block, and each GC of the profile would mark them. dataMb is
 * what the Frame holds (codes: 4 bytes a row).
 */
async function loadFlights(dir: string): Promise<{ frame: Frame; rows: number; dataMb: number }> {
  const frame = await readParquetFrame(FLIGHTS, { rowEnd: ROWS, kinds: { date: 'datetime' } });
  let bytes = 0;
  for (const n of frame.columnNames) {
    const c = frame.column(n);
    if (c.kind === 'categorical') {
      writeFileSync(join(dir, `${n}.txt`), Array.from(c.codes, (k) => (k < 0 ? '' : c.labels[k])).join('\n'));
      bytes += c.codes.byteLength;
    } else {
      writeFileSync(join(dir, `${n}.f64`), c.values);
      bytes += c.values.byteLength;
    }
  }
  return { frame, rows: frame.rows, dataMb: bytes / 2 ** 20 };
}

export async function benchProfile(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-profile-'));
  let peer: { seconds: number; peakRssMb: number } | undefined;
  let loaded: Awaited<ReturnType<typeof loadFlights>>;
  try {
    loaded = await loadFlights(dir);
    peer = runPeer('pandas', 'pandas_profile.py', [dir, String(loaded.rows)])[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { frame, rows, dataMb } = loaded;
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
