/**
 * TomekLinks, EditedNearestNeighbours, SMOTETomek, SMOTEENN (imbalanced-learn 0.10 semantics;
 * imbalanced-learn itself is not installed here): hand-built sets whose links and disagreeing
 * neighbourhoods are worked out in the comments, a brute-force reference on random data, and
 * the combinations equal to their two steps run one after the other.
 */
import { describe, expect, it } from 'vitest';
import { EditedNearestNeighbours, SMOTE, SMOTEENN, SMOTETomek, TomekLinks } from '../../src/index.js';
import { Rng } from '../../src/core/prng.js';

const code = (c: string) => expect.objectContaining({ code: c });

// 1-D rows: nearest neighbours 0→1, 1→0 (tie with 2: smaller index), 2↔3, 4↔5, 6↔7, 8↔9;
// links (different classes, mutual): (2, 3) and (8, 9). A has 6 rows, B 4 (the minority).
const tX = [[0], [1], [2], [2.4], [5], [5.5], [10], [10.3], [7.6], [7.9]];
const tY = ['A', 'A', 'A', 'B', 'B', 'B', 'A', 'A', 'A', 'B'];

describe('TomekLinks', () => {
  it('finds exactly the mutual nearest pairs of different classes', async () => {
    expect(Array.from(await new TomekLinks().links(tX, tY))).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 1, 1]);
  });

  it("'auto' removes the majority's row of each link; 'all' both; rows stay in order", async () => {
    expect(Array.from(await new TomekLinks().keptRows(tX, tY))).toEqual([0, 1, 3, 4, 5, 6, 7, 9]);
    expect(Array.from(await new TomekLinks({ samplingStrategy: 'all' }).keptRows(tX, tY))).toEqual([0, 1, 4, 5, 6, 7]);
    expect(Array.from(await new TomekLinks({ samplingStrategy: ['B'] }).keptRows(tX, tY))).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
    const [X, y] = await new TomekLinks().fitResample(tX, tY);
    expect(X.toArray()).toEqual([[0], [1], [2.4], [5], [5.5], [10], [10.3], [7.9]]);
    expect(y).toEqual(['A', 'A', 'B', 'B', 'B', 'A', 'A', 'B']);
  });

  it('refuses a strategy with counts, an unknown class, too few rows', async () => {
    expect(() => new TomekLinks({ samplingStrategy: { A: 3 } as never })).toThrowError(code('E_PARAM'));
    expect(() => new TomekLinks({ samplingStrategy: 'minority' as never })).toThrowError(code('E_PARAM'));
    await expect(new TomekLinks({ samplingStrategy: ['C'] }).keptRows(tX, tY)).rejects.toThrowError(code('E_PARAM'));
    await expect(new TomekLinks().keptRows([[0]], ['A'])).rejects.toThrowError(code('E_PARAM'));
    expect(() => new TomekLinks({ nNeighbors: 2 } as never)).toThrowError(code('E_PARAM'));
  });
});

// Rows 0..3 are A at 0, 1, 2, 3; B at 3.5, 10, 11, 12 and an intruder at 2.6 (row 8).
// Three nearest neighbours: 0 → 1, 2, 8 (A A B); 1 → 0, 2, 8 (A A B); 2 → 8, 1, 3 (B A A);
// 3 → 8, 4, 2 (B B A); 4 → 3, 8, 2 (A B A); 5, 6, 7 → each other and 4 (B B B); 8 → 3, 2, 4 (A A B).
const eX = [[0], [1], [2], [3], [3.5], [10], [11], [12], [2.6]];
const eY = [0, 0, 0, 0, 1, 1, 1, 1, 1];

describe('EditedNearestNeighbours', () => {
  it("kindSel 'all': a row stays only when all 3 neighbours share its class", async () => {
    expect(Array.from(await new EditedNearestNeighbours({ samplingStrategy: 'all' }).keptRows(eX, eY))).toEqual([5, 6, 7]);
    // 'auto' cleans every class but the minority (class 0, 4 rows): its rows all stay
    expect(Array.from(await new EditedNearestNeighbours().keptRows(eX, eY))).toEqual([0, 1, 2, 3, 5, 6, 7]);
  });

  it("kindSel 'mode': a row stays when the most common neighbour class is its own", async () => {
    expect(Array.from(await new EditedNearestNeighbours({ samplingStrategy: 'all', kindSel: 'mode' }).keptRows(eX, eY))).toEqual([0, 1, 2, 5, 6, 7]);
  });

  it('removes exactly the rows whose neighbours disagree (brute-force reference, random data)', async () => {
    const rng = new Rng(3);
    const X = Array.from({ length: 80 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = X.map((r) => (r[0] + 0.8 * rng.normal() > 0.3 ? 'pos' : r[1] > 0.5 ? 'mid' : 'neg'));
    const d = (a: number[], b: number[]) => a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0);
    for (const k of [1, 3, 5])
      for (const kindSel of ['all', 'mode'] as const) {
        const kept = await new EditedNearestNeighbours({ samplingStrategy: 'all', nNeighbors: k, kindSel }).keptRows(X, y);
        const want: number[] = [];
        for (const cls of ['mid', 'neg', 'pos'])
          X.forEach((r, i) => {
            if (y[i] !== cls) return;
            const nb = X.map((_, j) => j)
              .filter((j) => j !== i)
              .sort((a, b) => d(r, X[a]) - d(r, X[b]) || a - b)
              .slice(0, k)
              .map((j) => y[j]);
            const counts = ['mid', 'neg', 'pos'].map((c) => nb.filter((l) => l === c).length);
            const mode = ['mid', 'neg', 'pos'][counts.indexOf(Math.max(...counts))];
            if (kindSel === 'all' ? nb.every((l) => l === cls) : mode === cls) want.push(i);
          });
        expect(Array.from(kept), `k ${k}, ${kindSel}`).toEqual(want);
      }
  });

  it('refuses bad options', () => {
    expect(() => new EditedNearestNeighbours({ nNeighbors: 0 })).toThrowError(code('E_PARAM'));
    expect(() => new EditedNearestNeighbours({ kindSel: 'most' as never })).toThrowError(code('E_PARAM'));
  });
});

describe('SMOTETomek and SMOTEENN', () => {
  const rng = new Rng(5);
  const X = Array.from({ length: 60 }, (_, i) => [rng.normal() + (i < 12 ? 1.5 : 0), rng.normal()]);
  const y = X.map((_, i) => (i < 12 ? 'rare' : 'common'));

  it('are SMOTE then the cleaner on every class, deterministic by seed', async () => {
    const [Xs, ys] = await new SMOTE({ randomState: 4 }).fitResample(X, y);
    const [Xt, yt] = await new TomekLinks({ samplingStrategy: 'all' }).fitResample(Xs, ys);
    const [Xa, ya] = await new SMOTETomek({ randomState: 4 }).fitResample(X, y);
    expect(Xa.toArray()).toEqual(Xt.toArray());
    expect(ya).toEqual(yt);
    const [Xe, ye] = await new EditedNearestNeighbours({ samplingStrategy: 'all' }).fitResample(Xs, ys);
    const [Xb, yb] = await new SMOTEENN({ randomState: 4 }).fitResample(X, y);
    expect(Xb.toArray()).toEqual(Xe.toArray());
    expect(yb).toEqual(ye);
    const [Xc] = await new SMOTEENN({ randomState: 4 }).fitResample(X, y);
    expect(Xc.toArray()).toEqual(Xb.toArray());
    // SMOTE balanced the classes before cleaning: the cleaned set is at most 96 rows, the SMOTE set 96
    expect(ys.filter((l) => l === 'rare')).toHaveLength(48);
    expect(yb.length).toBeLessThan(96);
  });

  it('take their own steps, and refuse a step of the wrong kind or options meant for the step', async () => {
    const tomek = new TomekLinks({ samplingStrategy: 'auto' });
    const [Xa] = await new SMOTETomek({ smote: new SMOTE({ randomState: 1, kNeighbors: 3 }), tomek }).fitResample(X, y);
    const [Xs, ys] = await new SMOTE({ randomState: 1, kNeighbors: 3 }).fitResample(X, y);
    expect(Xa.toArray()).toEqual((await tomek.fitResample(Xs, ys))[0].toArray());
    expect(() => new SMOTETomek({ tomek: new EditedNearestNeighbours() as never })).toThrowError(code('E_PARAM'));
    expect(() => new SMOTEENN({ smote: new SMOTE(), randomState: 3 })).toThrowError(code('E_PARAM'));
    expect(() => new SMOTEENN({ kNeighbors: 3 } as never)).toThrowError(code('E_PARAM'));
  });
});
