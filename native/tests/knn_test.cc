// Exact k-NN against brute force in f64, for every metric, with and without a prepared base,
// and with a budget small enough to force several base chunks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "../kernels/knn/knn.h"

namespace {

using kiln::knn::Metric;

double distance(const std::vector<float>& a, std::size_t i, const std::vector<float>& b, std::size_t j, std::size_t d,
                Metric m) {
  double dot = 0, na = 0, nb = 0, l1 = 0, l2 = 0;
  for (std::size_t c = 0; c < d; ++c) {
    const double x = a[i * d + c], y = b[j * d + c];
    dot += x * y;
    na += x * x;
    nb += y * y;
    l1 += std::abs(x - y);
    l2 += (x - y) * (x - y);
  }
  switch (m) {
    case Metric::SqEuclidean: return l2;
    case Metric::Euclidean: return std::sqrt(l2);
    case Metric::Cosine: return 1 - dot / (std::sqrt(na) * std::sqrt(nb));
    case Metric::InnerProduct: return -dot;  // larger inner product ranks first
    case Metric::Manhattan: return l1;
  }
  return 0;
}

void check(Metric metric, bool prepared, std::size_t budget) {
  const std::size_t n = 300, nq = 20, d = 9, k = 5;
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> base(n * d), q(nq * d);
  for (auto& v : base) v = u(rng);
  for (auto& v : q) v = u(rng);
  std::vector<double> dist(nq * k);
  std::vector<int32_t> idx(nq * k);
  kiln::knn::SearchArgs a;
  a.base = {base.data(), nullptr, n, d};
  a.queries = {q.data(), nullptr, nq, d};
  a.k = k;
  a.metric = metric;
  a.budget_bytes = budget;
  a.distances = dist.data();
  a.indices = idx.data();
  std::vector<float> packed, sq;
  std::vector<double> norms;
  kiln::knn::Prepared prep;
  if (prepared) {
    packed.resize(kiln::knn::packed_floats(n, d));
    sq.resize(kiln::knn::padded_points(n));
    norms.resize(n);
    kiln::knn::prepare(a.base, metric, packed.data(), sq.data(), norms.data());
    prep = {packed.data(), sq.data(), norms.data()};
  }
  kiln::knn::search(a, prepared ? &prep : nullptr);
  for (std::size_t i = 0; i < nq; ++i) {
    std::vector<int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> key(n);
    for (std::size_t j = 0; j < n; ++j) key[j] = distance(q, i, base, j, d, metric);
    std::stable_sort(order.begin(), order.end(), [&](int32_t x, int32_t y) { return key[x] < key[y]; });
    for (std::size_t r = 0; r < k; ++r) {
      EXPECT_EQ(idx[i * k + r], order[r]) << "query " << i << " rank " << r << " metric " << int(metric);
      const double want = metric == Metric::InnerProduct ? -key[order[r]] : key[order[r]];
      EXPECT_NEAR(dist[i * k + r], want, 1e-9);
    }
  }
}

TEST(Knn, ExactAgainstBruteForceForEveryMetric) {
  for (Metric m : {Metric::SqEuclidean, Metric::Euclidean, Metric::Cosine, Metric::InnerProduct, Metric::Manhattan}) {
    check(m, false, std::size_t(64) << 20);
    check(m, false, 4096);  // several base chunks
    if (m != Metric::Manhattan) check(m, true, std::size_t(64) << 20);
  }
}

}  // namespace

// Radius lists against a brute-force f64 scan: same members, sorted by (distance, index), and the
// capacity protocol (too small: offsets and the needed total only).
TEST(KnnRadius, MatchesBruteForce) {
  const std::size_t n = 400, nq = 50, d = 5;
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  std::vector<float> base(n * d), qs(nq * d);
  for (auto& v : base) v = g(rng);
  for (auto& v : qs) v = g(rng);
  for (const auto metric : {Metric::Euclidean, Metric::SqEuclidean}) {
    const double radius = metric == Metric::Euclidean ? 1.3 : 1.69;
    std::vector<std::vector<std::pair<double, int32_t>>> want(nq);
    std::size_t total = 0;
    for (std::size_t q = 0; q < nq; ++q) {
      for (std::size_t j = 0; j < n; ++j) {
        const double dist = distance(qs, q, base, j, d, metric);
        if (dist <= radius) want[q].emplace_back(dist, static_cast<int32_t>(j));
      }
      std::sort(want[q].begin(), want[q].end());
      total += want[q].size();
    }
    ASSERT_GT(total, 0u);
    kiln::knn::RadiusArgs a;
    a.base = {base.data(), nullptr, n, d};
    a.queries = {qs.data(), nullptr, nq, d};
    a.radius = radius;
    a.metric = metric;
    std::vector<double> offsets(nq + 1), needed(1), dist(total);
    std::vector<int32_t> idx(total);
    a.offsets = offsets.data();
    a.needed = needed.data();
    a.capacity = 0;  // too small: only the total comes back
    kiln::knn::radius_search(a);
    ASSERT_EQ(needed[0], static_cast<double>(total));
    a.capacity = total;
    a.indices = idx.data();
    a.distances = dist.data();
    kiln::knn::radius_search(a);
    for (std::size_t q = 0; q < nq; ++q) {
      ASSERT_EQ(offsets[q + 1] - offsets[q], static_cast<double>(want[q].size())) << "query " << q;
      for (std::size_t t = 0; t < want[q].size(); ++t) {
        const std::size_t o = static_cast<std::size_t>(offsets[q]) + t;
        EXPECT_EQ(idx[o], want[q][t].second);
        EXPECT_NEAR(dist[o], want[q][t].first, 1e-9);
      }
    }
  }
}
