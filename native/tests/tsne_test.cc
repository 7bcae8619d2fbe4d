// Barnes-Hut t-SNE's gradient against a brute-force O(n^2) one (angle 0 opens every cell down to
// single points: equal up to summation order), the quadtree's invariants (root mass and centre,
// points in tree order a permutation), duplicates under the depth cap, and results independent
// of the thread count, bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "../kernels/tsne/quadtree.h"
#include "../kernels/tsne/tsne.h"
#include "../runtime/thread_pool.h"

namespace {

using kiln::tsne::GradientArgs;

// k random neighbours per point with random weights, P + P^T normalised, as CSR.
struct Csr {
  std::vector<int32_t> indptr, indices;
  std::vector<double> values;
};

Csr random_p(std::size_t n, std::size_t k, std::mt19937_64& rng) {
  std::vector<std::vector<double>> dense(n, std::vector<double>(n, 0.0));
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::uniform_real_distribution<double> u(0.1, 1.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < k; ++t) {
      std::size_t j = pick(rng);
      if (j == i) j = (i + 1) % n;
      const double v = u(rng);
      dense[i][j] += v;
      dense[j][i] += v;
    }
  Csr p;
  p.indptr.push_back(0);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j)
      if (dense[i][j] > 0) {
        p.indices.push_back(static_cast<int32_t>(j));
        p.values.push_back(dense[i][j]);
        total += dense[i][j];
      }
    p.indptr.push_back(static_cast<int32_t>(p.indices.size()));
  }
  for (double& v : p.values) v /= total;
  return p;
}

GradientArgs args(const Csr& p, const std::vector<double>& y, std::vector<double>& grad, double angle) {
  GradientArgs a;
  a.n = y.size() / 2;
  a.indptr = p.indptr.data();
  a.indices = p.indices.data();
  a.values = p.values.data();
  a.y = y.data();
  a.angle = angle;
  a.exaggeration = 12;
  a.grad = grad.data();
  a.compute_error = true;
  return a;
}

std::vector<double> embedding(std::size_t n, double scale, std::mt19937_64& rng) {
  std::normal_distribution<double> g(0, scale);
  std::vector<double> y(2 * n);
  for (double& v : y) v = g(rng);
  return y;
}

TEST(TsneGradient, AngleZeroEqualsBruteForce) {
  std::mt19937_64 rng(5);
  for (const std::size_t n : {2, 3, 50, 400}) {
    const Csr p = random_p(n, std::min<std::size_t>(n - 1, 10), rng);
    const std::vector<double> y = embedding(n, 3, rng);
    std::vector<double> bh(2 * n), exact(2 * n);
    const double kl_bh = kiln::tsne::gradient(args(p, y, bh, 0));
    const double kl_exact = kiln::tsne::exact_gradient(args(p, y, exact, 0));
    double scale = 0;
    for (const double v : exact) scale = std::max(scale, std::abs(v));
    for (std::size_t t = 0; t < 2 * n; ++t) EXPECT_NEAR(bh[t], exact[t], 1e-12 * scale) << "n=" << n << " t=" << t;
    EXPECT_NEAR(kl_bh, kl_exact, 1e-12 * std::abs(kl_exact));
  }
}

TEST(TsneGradient, BarnesHutApproximatesTheExactGradient) {
  // angle 0.5: a close approximation (the repulsion's error is small against the gradient's size)
  std::mt19937_64 rng(9);
  const std::size_t n = 2000;
  const Csr p = random_p(n, 15, rng);
  const std::vector<double> y = embedding(n, 10, rng);
  std::vector<double> bh(2 * n), exact(2 * n);
  kiln::tsne::gradient(args(p, y, bh, 0.5));
  kiln::tsne::exact_gradient(args(p, y, exact, 0));
  double err = 0, norm = 0;
  for (std::size_t t = 0; t < 2 * n; ++t) {
    err += (bh[t] - exact[t]) * (bh[t] - exact[t]);
    norm += exact[t] * exact[t];
  }
  EXPECT_LT(std::sqrt(err / norm), 0.05);
  EXPECT_GT(std::sqrt(err / norm), 0.0);  // it did approximate: cells were summarised
}

TEST(TsneGradient, SameResultForAnyThreadCount) {
  std::mt19937_64 rng(11);
  const std::size_t n = 3000;
  const Csr p = random_p(n, 20, rng);
  const std::vector<double> y = embedding(n, 5, rng);
  const std::size_t before = kiln::runtime::thread_count();
  std::vector<double> one(2 * n), many(2 * n);
  kiln::runtime::set_thread_count(1);
  const double kl1 = kiln::tsne::gradient(args(p, y, one, 0.5));
  kiln::runtime::set_thread_count(std::max<std::size_t>(before, 4));
  const double kl2 = kiln::tsne::gradient(args(p, y, many, 0.5));
  kiln::runtime::set_thread_count(before);
  EXPECT_EQ(one, many);
  EXPECT_EQ(kl1, kl2);
}

TEST(QuadTree, RootHoldsEveryPointAndTreeOrderIsAPermutation) {
  std::mt19937_64 rng(3);
  const std::size_t n = 1000;
  std::vector<double> y = embedding(n, 2, rng);
  // duplicates: they end under the depth cap as one heavier body
  for (std::size_t i = 1; i < 5; ++i) {
    y[2 * i] = y[0];
    y[2 * i + 1] = y[1];
  }
  const kiln::tsne::QuadTree tree(y.data(), n);
  const kiln::tsne::Node& root = tree.nodes()[0];
  EXPECT_EQ(root.mass, static_cast<double>(n));
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += y[2 * i];
    my += y[2 * i + 1];
  }
  EXPECT_NEAR(root.cx, mx / n, 1e-12);
  EXPECT_NEAR(root.cy, my / n, 1e-12);
  std::vector<int32_t> order = tree.order();
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(order[i], static_cast<int32_t>(i));
  // renumbered in walk order: every child comes after its parent
  for (std::size_t c = 0; c < tree.nodes().size(); ++c)
    for (const int32_t ch : tree.nodes()[c].child)
      if (ch >= 0) {
        EXPECT_GT(static_cast<std::size_t>(ch), c);
      }
  // the five duplicates share one leaf of mass 5
  const bool found = std::any_of(tree.nodes().begin(), tree.nodes().end(), [](const kiln::tsne::Node& c) {
    return c.mass == 5 && c.child[0] < 0 && c.child[1] < 0 && c.child[2] < 0 && c.child[3] < 0;
  });
  EXPECT_TRUE(found);
  // a point's own repulsion never counts itself: a lone pair at distance 1 gives q = 1/2
  const std::vector<double> pair = {0, 0, 1, 0};
  const kiln::tsne::QuadTree two(pair.data(), 2);
  double fx = 0, fy = 0;
  EXPECT_EQ(two.repulse(0, 0.25, fx, fy), 0.5);
  EXPECT_EQ(fx, -0.25);  // w^2 dx with w = 1/2, dx = -1
  EXPECT_EQ(fy, 0.0);
}

}  // namespace
