/**
 * dcgScore / ndcgScore against scikit-learn 1.2 (test/fixtures-scripts/gen_ranking_metrics.py):
 * tied and untied scores, k, query weights, ignoreTies, another log base; a hand-computed case;
 * bad input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dcgScore, ndcgScore } from '../../src/index.js';

const F = JSON.parse(readFileSync(new URL('../fixtures/sklearn/ranking_metrics.json', import.meta.url), 'utf8'));
interface Case {
  scores: 'tied' | 'free';
  k: number | null;
  weighted: boolean;
  ignoreTies: boolean;
  ndcg: number;
  dcg: number;
}
const cases: [string, Case][] = (F.cases as Case[]).map((c) => [`${c.scores} k=${c.k} weighted=${c.weighted} ignoreTies=${c.ignoreTies}`, c]);
const code = (c: string) => expect.objectContaining({ code: c });

describe('dcgScore and ndcgScore', () => {
  it.each(cases)('equal scikit-learn: %s', (_name, c) => {
    const opts = { ...(c.k === null ? {} : { k: c.k }), ...(c.weighted ? { sampleWeight: F.weights } : {}), ignoreTies: c.ignoreTies };
    expect(ndcgScore(F.yTrue, F[c.scores], opts)).toBeCloseTo(c.ndcg, 12);
    expect(dcgScore(F.yTrue, F[c.scores], opts)).toBeCloseTo(c.dcg, 12);
  });

  it('takes another log base for DCG', () => {
    for (const c of F.logBase) expect(dcgScore(F.yTrue, F.tied, { ...(c.k === null ? {} : { k: c.k }), logBase: 10 })).toBeCloseTo(c.dcg, 12);
  });

  it('matches a hand computation, ties averaged', () => {
    // relevance 3, 2, 0 scored 0.9, 0.5, 0.5: rank 1 gains 3, ranks 2–3 share (2 + 0) / 2
    const dcg = 3 + 1 * (1 / Math.log2(3) + 1 / Math.log2(4));
    const ideal = 3 + 2 / Math.log2(3);
    expect(dcgScore([[3, 2, 0]], [[0.9, 0.5, 0.5]])).toBeCloseTo(dcg, 14);
    expect(ndcgScore([[3, 2, 0]], [[0.9, 0.5, 0.5]])).toBeCloseTo(dcg / ideal, 14);
    // a perfect order scores 1, a query with no relevant item 0
    expect(ndcgScore([[3, 2, 0]], [[3, 2, 1]])).toBe(1);
    expect(ndcgScore([[0, 0, 0]], [[3, 2, 1]])).toBe(0);
  });

  it('refuses bad input', () => {
    expect(() => ndcgScore([[1, 2]], [[1, 2, 3]])).toThrow(code('E_SHAPE'));
    expect(() => ndcgScore([[1], [2]], [[1], [2]])).toThrow(code('E_SHAPE'));
    expect(() => ndcgScore([[1, -1]], [[1, 2]])).toThrow(code('E_PARAM'));
    expect(() => ndcgScore([[1, 2]], [[1, 2]], { k: 0 })).toThrow(code('E_PARAM'));
    expect(() => ndcgScore([[1, 2]], [[Number.NaN, 2]])).toThrow(code('E_NONFINITE'));
    expect(() => dcgScore([[1, 2]], [[1, 2]], { logBase: 1 })).toThrow(code('E_PARAM'));
    expect(() => ndcgScore([[1, 2]], [[1, 2]], { sampleWeight: [1, 2] })).toThrow(code('E_LENGTH'));
    expect(() => ndcgScore([[1, 2]], [[1, 2]], { nope: 1 } as never)).toThrow(code('E_PARAM'));
  });
});
