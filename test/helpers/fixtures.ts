/**
 * scikit-learn parity fixtures (test/fixtures/sklearn, schema in its README):
 * loading, and comparison by the fixture's own rules (allclose / exact, skipped
 * rows and cells).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const fixtureDir = fileURLToPath(new URL('../fixtures/sklearn/', import.meta.url));

export interface Fixture {
  dataset: string;
  op: string;
  params: Record<string, unknown>;
  input: Record<string, any>;
  expected: Record<string, any>;
  tolerance: { rtol: number; atol: number; per_key?: Record<string, { rtol: number; atol: number }> };
  compare?: Record<string, string>;
  skip?: Record<string, { rows?: number[]; cells?: [number, number][] }>;
  notes: string;
}

/** A missing fixture is a failure, never a skip: the fixtures ship with the repository. */
export function loadFixture(dataset: string, op: string): Fixture {
  const file = `${fixtureDir}${dataset}.${op}.json`;
  if (!existsSync(file)) throw new Error(`parity fixture ${file} is missing: the test cannot run without it (restore test/fixtures/sklearn from git)`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** JSON nulls (missing values) as NaN. */
export function withNaN(rows: (number | null)[][]): number[][] {
  return rows.map((r) => r.map((v) => (v === null ? NaN : v)));
}

/** Nested arrays or typed arrays as rows (a flat array of `cols` columns is split). */
function asRows(x: any, cols?: number): any[][] {
  if (Array.isArray(x) && Array.isArray(x[0])) return x;
  const flat = Array.from(x as ArrayLike<any>);
  if (!cols) return flat.map((v) => [v]);
  const out: any[][] = [];
  for (let i = 0; i < flat.length; i += cols) out.push(flat.slice(i, i + cols));
  return out;
}

/** Compares `actual` with expected[key] under the fixture's rules; returns how many values were compared. */
export function expectParity(f: Fixture, key: string, actual: any, cols?: number): number {
  const raw = f.expected[key];
  const want = Array.isArray(raw) ? raw : [raw]; // scalars (an intercept, epsilon_) as one value
  const mode = f.compare?.[key] ?? 'allclose';
  const tol = f.tolerance.per_key?.[key] ?? f.tolerance;
  const skip = f.skip?.[key];
  const skipRows = new Set(skip?.rows ?? []);
  const skipCells = new Set((skip?.cells ?? []).map(([r, c]) => `${r},${c}`));
  const oneD = !Array.isArray(want[0]);
  let w = oneD ? want.map((v: any) => [v]) : want;
  let a = oneD ? asRows(actual) : asRows(actual, cols ?? w[0].length);
  if (mode === 'centered' || mode === 'centered_rows') {
    // defined up to an additive constant (per vector, or per row): compare after centring
    const centre = (rows: number[][], byRow: boolean) => {
      if (byRow)
        return rows.map((r) => {
          const m = r.reduce((x, y) => x + y, 0) / r.length;
          return r.map((v) => v - m);
        });
      const flat = rows.flat();
      const m = flat.reduce((x, y) => x + y, 0) / flat.length;
      return rows.map((r) => r.map((v) => v - m));
    };
    w = centre(w, mode === 'centered_rows');
    a = centre(
      a.map((r) => r.map(Number)),
      mode === 'centered_rows',
    );
  }
  expect(a.length, `${f.dataset}.${f.op} ${key}: row count`).toBe(w.length);
  let compared = 0;
  for (let r = 0; r < w.length; r++) {
    if (skipRows.has(r)) continue;
    expect(a[r].length, `${key} row ${r}: column count`).toBe(w[r].length);
    for (let c = 0; c < w[r].length; c++) {
      if (skipCells.has(`${r},${c}`)) continue;
      const e = w[r][c],
        got = a[r][c];
      const where = `${f.dataset}.${f.op} ${key}[${r}]${oneD ? '' : `[${c}]`}`;
      if (mode === 'ignore') continue;
      if (mode === 'exact' || typeof e !== 'number') {
        expect(got, where).toEqual(e);
      } else if (e === null) {
        expect(Number.isNaN(got), where).toBe(true);
      } else {
        expect(Math.abs(got - e), `${where}: got ${got}, expected ${e}`).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(e));
      }
      compared++;
    }
  }
  return compared;
}
