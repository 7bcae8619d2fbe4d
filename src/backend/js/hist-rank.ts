/**
 * LambdaRank gradients in plain TypeScript: the oracle of native/kernels/hist/rank.cc, written
 * operation for operation like it (LightGBM's RankingObjective::GetGradientsForOneQuery).
 */
import type { HistRankArgs } from '../contract/hist.js';

const gain = (rel: number) => 2 ** rel - 1;
const discount = (rank: number) => 1 / Math.log2(2 + rank);

function dcgAt(k: number, m: number, label: (r: number) => number): number {
  let d = 0;
  for (let r = 0; r < Math.min(k, m); r++) d += gain(label(r)) * discount(r);
  return d;
}

/** One query, rows [b, b + m): fills its gradients and hessians, returns 1 − NDCG@evalAt. */
function oneQuery(a: HistRankArgs, b: number, m: number): number {
  const { y, scores: s, gradHess: gh, sigma, truncation } = a;
  gh.fill(0, 2 * b, 2 * (b + m));
  // stable: tied scores keep row order, as std::stable_sort
  const order = Array.from({ length: m }, (_, i) => b + i).sort((i, j) => (s[i] > s[j] ? -1 : s[i] < s[j] ? 1 : 0));
  const sorted = y.slice(b, b + m).sort((u, v) => v - u);
  const idealEval = dcgAt(a.evalAt, m, (r) => sorted[r]);
  const ndcg = idealEval > 0 ? dcgAt(a.evalAt, m, (r) => y[order[r]]) / idealEval : 1;
  const ideal = dcgAt(truncation, m, (r) => sorted[r]);
  if (!(ideal > 0) || m < 2) return 1 - ndcg;
  const inverseIdeal = 1 / ideal;
  const scaled = a.norm && s[order[0]] !== s[order[m - 1]];
  let sumLambdas = 0;
  for (let i = 0; i < Math.min(m - 1, truncation); i++) {
    for (let j = i + 1; j < m; j++) {
      if (y[order[i]] === y[order[j]]) continue;
      const iHigh = y[order[i]] > y[order[j]];
      const highRank = iHigh ? i : j,
        lowRank = iHigh ? j : i;
      const high = order[highRank],
        low = order[lowRank];
      const deltaScore = s[high] - s[low];
      let deltaNdcg = (gain(y[high]) - gain(y[low])) * Math.abs(discount(highRank) - discount(lowRank)) * inverseIdeal;
      if (scaled) deltaNdcg /= 0.01 + Math.abs(deltaScore);
      const rho = 1 / (1 + Math.exp(sigma * deltaScore)); // P(low outranks high)
      const lambda = -sigma * deltaNdcg * rho;
      const hessian = sigma * sigma * deltaNdcg * rho * (1 - rho);
      gh[2 * low] -= lambda;
      gh[2 * low + 1] += hessian;
      gh[2 * high] += lambda;
      gh[2 * high + 1] += hessian;
      sumLambdas -= 2 * lambda;
    }
  }
  if (a.norm && sumLambdas > 0) {
    const factor = Math.log2(1 + sumLambdas) / sumLambdas;
    for (let i = 2 * b; i < 2 * (b + m); i++) gh[i] *= factor;
  }
  return 1 - ndcg;
}

export function histRankGradientsRef(a: HistRankArgs): number {
  let total = 0;
  for (let q = 0; q + 1 < a.queryOffset.length; q++) total += oneQuery(a, a.queryOffset[q], a.queryOffset[q + 1] - a.queryOffset[q]);
  return total;
}
