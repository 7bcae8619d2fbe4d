/**
 * The gate's Parquet check: two row groups of flights-3m (545,454 rows; delay, distance, origin,
 * destination) through readParquet's flat decoder, against hyparquet's general reader with the
 * per-value conversion readParquet used before (and still uses for columns the flat decoder leaves).
 */
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { readParquet } from '../src/index.js';
import { toNumber } from '../src/data/parquet-flat.js';
import { measure } from './lib.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const COLUMNS = ['delay', 'distance', 'origin', 'destination'];
const ROWS = 545_454;

async function general(): Promise<void> {
  const file = await asyncBufferFromFile(FLIGHTS);
  const metadata = await parquetMetadataAsync(file);
  const out: Record<string, Float64Array | (string | null)[]> = {
    delay: new Float64Array(ROWS),
    distance: new Float64Array(ROWS),
    origin: new Array(ROWS).fill(null),
    destination: new Array(ROWS).fill(null),
  };
  await parquetRead({
    file,
    metadata,
    compressors,
    columns: COLUMNS,
    rowEnd: ROWS,
    onChunk({ columnName, columnData, rowStart }) {
      const o = out[columnName];
      for (let r = rowStart; r < Math.min(rowStart + columnData.length, ROWS); r++) {
        const v = columnData[r - rowStart];
        if (Array.isArray(o)) o[r] = v === null || v === undefined ? null : String(v);
        else o[r] = toNumber(v);
      }
    },
  });
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
