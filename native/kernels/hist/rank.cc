// LambdaRank gradients and hessians per query (see RankArgs in hist.h). The pair loop follows
// LightGBM's RankingObjective::GetGradientsForOneQuery; src/backend/js/hist-rank.ts is its oracle.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "hist.h"

namespace kiln::hist {

namespace {

double gain(double rel) { return std::exp2(rel) - 1; }
double discount(std::size_t rank) { return 1 / std::log2(2.0 + static_cast<double>(rank)); }

// DCG of the first k labels in the given order.
template <typename Label>
double dcg_at(std::size_t k, std::size_t m, Label label) {
  double d = 0;
  for (std::size_t r = 0; r < std::min(k, m); ++r) d += gain(label(r)) * discount(r);
  return d;
}

// One query: rows [b, b + m). Returns 1 - NDCG@eval_at at the current scores.
double one_query(const RankArgs& a, std::size_t b, std::size_t m, std::vector<std::size_t>& order,
                 std::vector<double>& sorted_labels) {
  const double* y = a.y + b;
  const double* s = a.scores + b;
  double* gh = a.grad_hess + 2 * b;
  for (std::size_t i = 0; i < 2 * m; ++i) gh[i] = 0;
  order.resize(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [s](std::size_t i, std::size_t j) { return s[i] > s[j]; });
  sorted_labels.assign(y, y + m);
  std::sort(sorted_labels.begin(), sorted_labels.end(), std::greater<double>());
  const auto ideal_label = [&](std::size_t r) { return sorted_labels[r]; };
  const auto ranked_label = [&](std::size_t r) { return y[order[r]]; };
  const double ideal_eval = dcg_at(a.eval_at, m, ideal_label);
  const double ndcg = ideal_eval > 0 ? dcg_at(a.eval_at, m, ranked_label) / ideal_eval : 1.0;
  const double ideal = dcg_at(a.truncation, m, ideal_label);
  if (!(ideal > 0) || m < 2) return 1 - ndcg;
  const double inverse_ideal = 1 / ideal;
  const bool scaled = a.norm && s[order[0]] != s[order[m - 1]];
  double sum_lambdas = 0;
  for (std::size_t i = 0; i < std::min(m - 1, a.truncation); ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      if (y[order[i]] == y[order[j]]) continue;
      const bool i_high = y[order[i]] > y[order[j]];
      const std::size_t high_rank = i_high ? i : j, low_rank = i_high ? j : i;
      const std::size_t high = order[high_rank], low = order[low_rank];
      const double delta_score = s[high] - s[low];
      double delta_ndcg =
          (gain(y[high]) - gain(y[low])) * std::abs(discount(high_rank) - discount(low_rank)) * inverse_ideal;
      if (scaled) delta_ndcg /= 0.01 + std::abs(delta_score);
      const double rho = 1 / (1 + std::exp(a.sigma * delta_score));  // P(low outranks high)
      const double lambda = -a.sigma * delta_ndcg * rho;
      const double hessian = a.sigma * a.sigma * delta_ndcg * rho * (1 - rho);
      gh[2 * low] -= lambda;
      gh[2 * low + 1] += hessian;
      gh[2 * high] += lambda;
      gh[2 * high + 1] += hessian;
      sum_lambdas -= 2 * lambda;
    }
  }
  if (a.norm && sum_lambdas > 0) {
    const double factor = std::log2(1 + sum_lambdas) / sum_lambdas;
    for (std::size_t i = 0; i < 2 * m; ++i) gh[i] *= factor;
  }
  return 1 - ndcg;
}

}  // namespace

void lambdarank_gradients(const RankArgs& a) {
  std::vector<double> partial(a.queries, 0.0);
  runtime::parallel_for(a.queries, 16, [&](std::size_t q0, std::size_t q1) {
    std::vector<std::size_t> order;
    std::vector<double> sorted_labels;
    for (std::size_t q = q0; q < q1; ++q) {
      const auto b = static_cast<std::size_t>(a.query_offset[q]);
      const auto e = static_cast<std::size_t>(a.query_offset[q + 1]);
      partial[q] = one_query(a, b, e - b, order, sorted_labels);
    }
  });
  double total = 0;
  for (double v : partial) total += v;  // in query order: the same sum on any thread count
  *a.loss_sum = total;
}

}  // namespace kiln::hist
