/** readParquet on vega-datasets' flights-3m (ZSTD, INT64, TIMESTAMP, UTF8) and on bad files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParquet } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const flights = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));

describe('readParquet', () => {
  it('reads typed columns of a row range', async () => {
    const t = await readParquet(flights, { columns: ['delay', 'distance', 'origin', 'destination', 'date'], rowEnd: 1000 });
    expect(t.rows).toBe(1000);
    expect(Object.keys(t.columns)).toEqual(['delay', 'distance', 'origin', 'destination', 'date']);
    expect(Array.from((t.columns.delay as Float64Array).subarray(0, 3))).toEqual([33, 19, 14]);
    expect(Array.from((t.columns.distance as Float64Array).subarray(0, 3))).toEqual([2176, 215, 405]);
    expect((t.columns.origin as string[]).slice(0, 3)).toEqual(['LAS', 'ATL', 'MCI']);
    expect((t.columns.destination as string[]).slice(0, 3)).toEqual(['PHL', 'SAV', 'MDW']);
    const date = t.columns.date as Float64Array;
    expect(date[0]).toBe(Date.UTC(2001, 0, 1, 0, 1));
    expect(date).toBeInstanceOf(Float64Array);
    // timestamps as epoch milliseconds within the data set's year (2001)
    for (const d of date) expect(new Date(d).getUTCFullYear()).toBe(2001);
    const mid = await readParquet(flights, { columns: ['delay'], rowStart: 1, rowEnd: 3 });
    expect(Array.from(mid.columns.delay as Float64Array)).toEqual([19, 14]);
  });

  it('refuses files that are not Parquet, missing paths and unknown columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-pq-'));
    const fake = join(dir, 'fake.parquet');
    writeFileSync(fake, 'a,b\n1,2\n');
    await expect(readParquet(fake)).rejects.toThrowError(code('E_DATA_FORMAT'));
    await expect(readParquet(join(dir, 'nope.parquet'))).rejects.toThrowError(code('E_PARAM'));
    await expect(readParquet(flights, { columns: ['delay', 'tailnum'] })).rejects.toThrowError(/no column 'tailnum'.*it has date, delay/);
    await expect(readParquet(flights, { rowStart: 5, rowEnd: 2 })).rejects.toThrowError(code('E_PARAM'));
  });
});
