/** Arrow interop: vega-datasets' flights-200k.arrow, Frame ↔ Arrow round trips, zero-copy f64, bad files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { Frame, frameFromArrow, frameToArrow, readArrow } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const flights = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-200k.arrow', import.meta.url));

describe('Arrow interop', () => {
  it('reads an IPC file into numeric columns', async () => {
    const f = await readArrow(flights);
    expect(f.rows).toBe(200_000);
    expect(f.columnNames).toEqual(['delay', 'distance', 'time']);
    const values = (name: string) => Array.from((f.column(name) as { values: Float64Array }).values.subarray(0, 3));
    expect(values('delay')).toEqual([0, 171, 177]); // Int16 widened to f64
    expect(values('distance')).toEqual([1452, 2227, 491]);
    expect(f.column('time').kind).toBe('numeric');
  });

  it('shares a null-free float64 column, widens others with nulls as NaN, and round-trips', async () => {
    const mass = Float64Array.of(1.5, 2.5, 3.5);
    const t = tableFromArrays({ mass, n: Int32Array.of(1, 2, 3), name: ['a', 'b', 'a'] });
    const f = await frameFromArrow(t);
    expect((f.column('mass') as { values: Float64Array }).values.buffer).toBe((t.getChild('mass')!.toArray() as Float64Array).buffer);
    expect(f.row(2)).toEqual({ mass: 3.5, n: 3, name: 'a' });
    const withGaps = new Frame({
      x: { kind: 'numeric', values: Float64Array.of(1, NaN) },
      c: { kind: 'categorical', labels: ['p', 'q'], codes: Int32Array.of(1, -1) },
    });
    const back = await frameFromArrow(await frameToArrow(withGaps));
    expect(back.row(0)).toEqual({ x: 1, c: 'q' });
    expect(back.row(1)).toEqual({ x: null, c: null });
  });

  it('refuses files that are not Arrow and missing paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-arrow-'));
    const fake = join(dir, 'x.arrow');
    writeFileSync(fake, 'not arrow at all');
    await expect(readArrow(fake)).rejects.toThrowError(code('E_DATA_FORMAT'));
    await expect(readArrow(join(dir, 'none.arrow'))).rejects.toThrowError(code('E_PARAM'));
  });
});
