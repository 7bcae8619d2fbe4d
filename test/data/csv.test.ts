/** readCsv on vega-datasets' seattle-weather and on crafted messy files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const seattle = fileURLToPath(new URL('../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kiln-csv-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readCsv', () => {
  it('infers number, date and string columns of a real table', async () => {
    const t = await readCsv(seattle);
    expect(t.rows).toBe(1461);
    expect(t.types).toEqual({ date: 'date', precipitation: 'number', temp_max: 'number', temp_min: 'number', wind: 'number', weather: 'string' });
    expect((t.columns.date as Float64Array)[0]).toBe(Date.UTC(2012, 0, 1));
    expect((t.columns.precipitation as Float64Array)[1]).toBe(10.9);
    expect((t.columns.weather as string[]).slice(0, 2)).toEqual(['drizzle', 'rain']);
  });

  it('handles quotes, missing tokens, type overrides and column selection', async () => {
    const p = file('q.csv', 'id,name,score\n1,"Smith, J",3.5\n2,"say ""hi""",NA\n3,,\n');
    const t = await readCsv(p, { types: { id: 'string' } });
    expect(t.types).toEqual({ id: 'string', name: 'string', score: 'number' });
    expect(t.columns.name).toEqual(['Smith, J', 'say "hi"', null]);
    expect(Array.from(t.columns.score as Float64Array)).toEqual([3.5, NaN, NaN]);
    expect(t.columns.id).toEqual(['1', '2', '3']);
    expect(Object.keys((await readCsv(p, { columns: ['score'] })).columns)).toEqual(['score']);
  });

  it('refuses or reports rows with the wrong field count', async () => {
    const p = file('bad.csv', 'a,b\n1,2\n3\n4,5\n');
    await expect(readCsv(p)).rejects.toThrowError(/line 3 has 1 fields/);
    const t = await readCsv(p, { badRows: 'skip' });
    expect(t.rows).toBe(2);
    expect(t.badRows).toEqual([{ line: 3, reason: 'has 1 fields, the header has 2' }]);
  });

  it('refuses a broken quote, a missing file, unknown columns and a wrong type override', async () => {
    await expect(readCsv(file('quote.csv', 'a,b\n"1,2\n3,4\n'))).rejects.toThrowError(code('E_DATA_FORMAT'));
    await expect(readCsv(join(dir, 'none.csv'))).rejects.toThrowError(code('E_PARAM'));
    await expect(readCsv(seattle, { columns: ['rain'] })).rejects.toThrowError(/no column 'rain'/);
    await expect(readCsv(seattle, { types: { weather: 'number' } })).rejects.toThrowError(code('E_DATA_FORMAT'));
  });
});
