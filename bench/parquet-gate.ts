/**
 * The gate's Parquet check: two row groups of flights-3m (545,454 rows; delay, distance, origin,
 * destination) through readParquet's flat decoder, against readParquet's general path
 * (hyparquet's reader with per-value conversion: what readParquet did for every column before,
 * and still does for columns the flat decoder leaves).
 */
import { fileURLToPath } from 'node:url';
import { compressors } from 'hyparquet-compressors';
import { readParquet } from '../src/index.js';
import { readGeneralColumns, readParquetFooter } from '../src/data/parquet.js';
import { measure } from './lib.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const COLUMNS = ['delay', 'distance', 'origin', 'destination'];
const ROWS = 545_454;

async function general(): Promise<void> {
  const footer = await readParquetFooter(FLIGHTS);
  const columns = {
    delay: new Float64Array(ROWS),
    distance: new Float64Array(ROWS),
    origin: new Array<string | null>(ROWS).fill(null),
    destination: new Array<string | null>(ROWS).fill(null),
  };
  await readGeneralColumns(footer, compressors, COLUMNS, 0, ROWS, columns);
}

export function parquetGeneralVersusFlat() {
  return {
    name: `readParquet flights ${ROWS} rows × 4 columns`,
    baseline: 'hyparquet general',
    contender: 'flat decoder',
    minRatio: 2,
    async run(time: number) {
      const t = await measure({ general, flat: () => readParquet(FLIGHTS, { columns: COLUMNS, rowEnd: ROWS }) }, { time });
      return { baselineMs: t.general.medianMs, contenderMs: t.flat.medianMs };
    },
  };
}
