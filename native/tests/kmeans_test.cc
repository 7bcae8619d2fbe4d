// k-means assignment against an exact f64 argmin (labels, distances, sums, inertia), with near-tied
// centres that force the exact re-check, f32 and f64 rows, and sample weights; exact distances.
// The bounded assignment over a Lloyd run against the same oracle at every iteration.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../kernels/kmeans/kmeans.h"

namespace {

struct Oracle {
  std::vector<int32_t> labels;
  std::vector<double> dist2, sums, wsums;
  double inertia = 0;
};

Oracle exact(const std::vector<double>& x, std::size_t n, std::size_t d, const std::vector<double>& c, std::size_t k,
             const std::vector<double>& w) {
  Oracle o;
  o.labels.resize(n);
  o.dist2.resize(n);
  o.sums.assign(k * d, 0);
  o.wsums.assign(k, 0);
  for (std::size_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    int32_t arg = 0;
    for (std::size_t j = 0; j < k; ++j) {
      double s = 0;
      for (std::size_t f = 0; f < d; ++f) s += (x[i * d + f] - c[j * d + f]) * (x[i * d + f] - c[j * d + f]);
      if (s < best) {
        best = s;
        arg = static_cast<int32_t>(j);
      }
    }
    o.labels[i] = arg;
    o.dist2[i] = best;
    o.inertia += w[i] * best;
    o.wsums[arg] += w[i];
    for (std::size_t f = 0; f < d; ++f) o.sums[arg * d + f] += w[i] * x[i * d + f];
  }
  return o;
}

void check(std::size_t n, std::size_t d, std::size_t k, bool f32) {
  std::mt19937 rng(7);
  std::normal_distribution<double> g;
  std::vector<double> x(n * d), c(k * d), w(n);
  std::vector<float> xf(n * d);
  for (std::size_t i = 0; i < n * d; ++i) {
    x[i] = g(rng);
    if (f32) x[i] = static_cast<float>(x[i]);
    xf[i] = static_cast<float>(x[i]);
  }
  for (std::size_t i = 0; i < n; ++i) w[i] = 0.5 + (i % 3);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t f = 0; f < d; ++f) c[j * d + f] = x[(j * 7 % n) * d + f];
  // Centre 1 a hair from centre 0: rows near them need the exact re-check.
  if (k > 1)
    for (std::size_t f = 0; f < d; ++f) c[d + f] = c[f] + 1e-9;
  const Oracle o = exact(x, n, d, c, k, w);

  std::vector<int32_t> labels(n);
  std::vector<double> dist2(n), sums(k * d), wsums(k), inertia(1);
  kiln::kmeans::AssignArgs a;
  if (f32) a.x = {xf.data(), nullptr, n, d};
  else a.x = {nullptr, x.data(), n, d};
  a.weights = w.data();
  a.centers = c.data();
  a.k = k;
  a.labels = labels.data();
  a.dist2 = dist2.data();
  a.sums = sums.data();
  a.weight_sums = wsums.data();
  a.inertia = inertia.data();
  kiln::kmeans::assign(a);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(labels[i], o.labels[i]) << "row " << i;
    ASSERT_NEAR(dist2[i], o.dist2[i], 1e-12 * (1 + o.dist2[i]));
  }
  for (std::size_t i = 0; i < k * d; ++i) ASSERT_NEAR(sums[i], o.sums[i], 1e-9 * (1 + std::abs(o.sums[i])));
  for (std::size_t j = 0; j < k; ++j) ASSERT_DOUBLE_EQ(wsums[j], o.wsums[j]);
  EXPECT_NEAR(inertia[0], o.inertia, 1e-9 * o.inertia);

  std::vector<double> dd(n * k);
  kiln::kmeans::sq_distances(a.x, c.data(), k, dd.data());
  for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(dd[i * k + o.labels[i]], o.dist2[i], 1e-12 * (1 + o.dist2[i]));
}

// A Lloyd run on clustered rows through assign_bounded, each iteration checked against the exact
// oracle on the same centres (labels, weight sums, running sums; distances at the end).
void check_bounded(std::size_t n, std::size_t d, std::size_t k, std::size_t groups, bool f32) {
  std::mt19937 rng(11);
  std::normal_distribution<double> g;
  std::vector<double> blob(2 * k * d), x(n * d), w(n);
  for (double& v : blob) v = 3 * g(rng);
  std::vector<float> xf(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t b = rng() % (2 * k);
    for (std::size_t f = 0; f < d; ++f) {
      x[i * d + f] = blob[b * d + f] + g(rng);
      if (f32) x[i * d + f] = static_cast<float>(x[i * d + f]);
      xf[i * d + f] = static_cast<float>(x[i * d + f]);
    }
    w[i] = 0.5 + (i % 3);
  }
  std::vector<double> c(k * d), prev;
  for (std::size_t j = 0; j < k * d; ++j) c[j] = x[j];
  for (std::size_t f = 0; f < d; ++f) c[d + f] = c[f] + 1e-9;  // a near tie for the exact path
  std::vector<int32_t> labels(n), epoch(n);
  std::vector<double> upper(n), dist2(n), sums(k * d), wsums(k), out(3), drift, drift_now(k + groups + 1);
  std::vector<float> lower(n * (groups + 1));
  std::size_t skipped = 0;
  for (std::size_t it = 0; it < 10; ++it) {
    const Oracle o = exact(x, n, d, c, k, w);
    kiln::kmeans::BoundedArgs a;
    if (f32) a.x = {xf.data(), nullptr, n, d};
    else a.x = {nullptr, x.data(), n, d};
    a.weights = w.data();
    a.centers = c.data();
    a.prev_centers = it == 0 ? nullptr : prev.data();
    a.k = k;
    a.groups = groups;
    a.labels = labels.data();
    a.epoch = epoch.data();
    a.upper = upper.data();
    a.lower = lower.data();
    a.epochs = it;
    a.drift = drift.data();
    a.drift_now = drift_now.data();
    a.sums = sums.data();
    a.weight_sums = wsums.data();
    a.distances = it == 9;
    a.dist2 = dist2.data();
    a.inertia = out.data();
    a.changed = out.data() + 1;
    a.wrote_dist2 = out.data() + 2;
    kiln::kmeans::assign_bounded(a);
    if (it > 0) skipped += n - static_cast<std::size_t>(out[1]);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(labels[i], o.labels[i]) << "iteration " << it << " row " << i;
    for (std::size_t j = 0; j < k; ++j) ASSERT_EQ(wsums[j], o.wsums[j]);
    for (std::size_t i = 0; i < k * d; ++i) ASSERT_NEAR(sums[i], o.sums[i], 1e-9 * (1 + std::abs(o.sums[i])));
    if (it == 9) {
      ASSERT_EQ(out[2], 1.0);
      for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(dist2[i], o.dist2[i], 1e-12 * (1 + o.dist2[i]));
      EXPECT_NEAR(out[0], o.inertia, 1e-9 * o.inertia);
    }
    drift.insert(drift.end(), drift_now.begin(), drift_now.end());
    prev = c;
    for (std::size_t j = 0; j < k; ++j)
      if (o.wsums[j] > 0)
        for (std::size_t f = 0; f < d; ++f) c[j * d + f] = o.sums[j * d + f] / o.wsums[j];
  }
  EXPECT_GT(skipped, n);  // the bounds did skip rows
}

TEST(Kmeans, BoundedRunMatchesExactF64) { check_bounded(3000, 7, 40, 4, false); }
TEST(Kmeans, BoundedRunMatchesExactF32Rows) { check_bounded(2000, 32, 100, 8, true); }
TEST(Kmeans, BoundedRunOneGroup) { check_bounded(500, 3, 5, 1, false); }

TEST(Kmeans, AssignMatchesExactF64) { check(1000, 13, 37, false); }
TEST(Kmeans, AssignMatchesExactF32Rows) { check(777, 32, 100, true); }
TEST(Kmeans, OneCentreAndTinyInput) {
  check(5, 1, 1, false);
  check(3, 70, 2, false);
}

}  // namespace
