// The binary logistic loss, gradient and Hessian in one pass (Newton-Cholesky's
// evaluation). Rows go through in blocks transposed to feature-major, so the
// scores, the gradient and the Hessian are all contiguous loops over rows; the
// Hessian's upper triangle is summed in 4 x 4 tiles (16 accumulators per 8 loads).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "../../runtime/simd_clones.h"
#include "chunked_sum.h"
#include "linear.h"
#include "logistic_math.h"

namespace kiln::linear {

namespace {

constexpr std::size_t kRows = 512;  // rows per block: 32 features x 512 rows x 8 B = 128 KiB, in L2
// Row stride of the transposed block: 512 doubles (4 KiB) would put every feature's row in the
// same cache sets (the transposing stores and the tile loads then evict each other; measured:
// a pass 190 -> 88 ms).
constexpr std::size_t kLd = kRows + 8;
constexpr std::size_t kTile = 4;

// out[4 x 4] += u[a][:m] . v[b][:m] for the tile's four rows a of u and b of v (row stride ld).
KILN_CLONES void hess_tile(const double* u, const double* v, std::size_t ld, std::size_t m, double* out) {
  const double *u0 = u, *u1 = u + ld, *u2 = u + 2 * ld, *u3 = u + 3 * ld;
  const double *v0 = v, *v1 = v + ld, *v2 = v + 2 * ld, *v3 = v + 3 * ld;
  double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
#pragma omp simd reduction(+ : s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33)
  for (std::size_t i = 0; i < m; ++i) {
    const double a0 = u0[i], a1 = u1[i], a2 = u2[i], a3 = u3[i];
    const double b0 = v0[i], b1 = v1[i], b2 = v2[i], b3 = v3[i];
    s00 += a0 * b0, s01 += a0 * b1, s02 += a0 * b2, s03 += a0 * b3;
    s10 += a1 * b0, s11 += a1 * b1, s12 += a1 * b2, s13 += a1 * b3;
    s20 += a2 * b0, s21 += a2 * b1, s22 += a2 * b2, s23 += a2 * b3;
    s30 += a3 * b0, s31 += a3 * b1, s32 += a3 * b2, s33 += a3 * b3;
  }
  const double s[16] = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
  for (std::size_t k = 0; k < 16; ++k) out[k] += s[k];
}

// z[:m] += alpha * x[:m]
KILN_CLONES void axpy_rows(double alpha, const double* x, double* z, std::size_t m) {
#pragma omp simd
  for (std::size_t i = 0; i < m; ++i) z[i] += alpha * x[i];
}

typedef double V4 __attribute__((vector_size(32)));
typedef long long V4i __attribute__((vector_size(32)));

// xt[c * ld + i] = x[i * p + c] for i < m, c < p (f64 rows): 4 x 4 tiles through registers
// (two rounds of shuffles), the edges one by one. Element by element this was the pass's
// largest cost.
KILN_CLONES void transpose_rows(const double* x, std::size_t p, std::size_t m, double* xt, std::size_t ld) {
  const std::size_t m4 = m / 4 * 4, p4 = p / 4 * 4;
  for (std::size_t i = 0; i < m4; i += 4) {
    const double* r = x + i * p;
    for (std::size_t c = 0; c < p4; c += 4) {
      V4 r0, r1, r2, r3;
      std::memcpy(&r0, r + c, 32);
      std::memcpy(&r1, r + p + c, 32);
      std::memcpy(&r2, r + 2 * p + c, 32);
      std::memcpy(&r3, r + 3 * p + c, 32);
      const V4 t0 = __builtin_shuffle(r0, r1, V4i{0, 4, 2, 6}), t1 = __builtin_shuffle(r0, r1, V4i{1, 5, 3, 7});
      const V4 t2 = __builtin_shuffle(r2, r3, V4i{0, 4, 2, 6}), t3 = __builtin_shuffle(r2, r3, V4i{1, 5, 3, 7});
      const V4 c0 = __builtin_shuffle(t0, t2, V4i{0, 1, 4, 5}), c1 = __builtin_shuffle(t1, t3, V4i{0, 1, 4, 5});
      const V4 c2 = __builtin_shuffle(t0, t2, V4i{2, 3, 6, 7}), c3 = __builtin_shuffle(t1, t3, V4i{2, 3, 6, 7});
      std::memcpy(xt + c * ld + i, &c0, 32);
      std::memcpy(xt + (c + 1) * ld + i, &c1, 32);
      std::memcpy(xt + (c + 2) * ld + i, &c2, 32);
      std::memcpy(xt + (c + 3) * ld + i, &c3, 32);
    }
    for (std::size_t c = p4; c < p; ++c)
      for (std::size_t k = 0; k < 4; ++k) xt[c * ld + i + k] = r[k * p + c];
  }
  for (std::size_t i = m4; i < m; ++i)
    for (std::size_t c = 0; c < p; ++c) xt[c * ld + i] = x[i * p + c];
}

// For one feature's row x of the block: gradient += r . x, intercept Hessian += d . x, u = d * x.
KILN_CLONES void feature_sums(const double* x, const double* r, const double* d, double* u, std::size_t m, double* grad,
                              double* hint) {
  double g = 0, h = 0;
#pragma omp simd reduction(+ : g, h)
  for (std::size_t i = 0; i < m; ++i) {
    g += r[i] * x[i];
    h += d[i] * x[i];
    u[i] = d[i] * x[i];
  }
  *grad += g;
  *hint += h;
}

// The s layout per chunk: the q x q feature Hessian's upper tiles, the intercept's row
// (sum d x_c, then sum d), the gradient (p + 1), the loss.
struct Layout {
  std::size_t p, q;
  std::size_t hint() const { return q * q; }
  std::size_t grad() const { return q * q + p + 1; }
  std::size_t loss() const { return q * q + 2 * (p + 1); }
  std::size_t width() const { return loss() + 1; }
};

// Rows [r0, r1) into s (see Layout).
template <typename T>
void newton_rows(const LogisticArgs& a, const T* x, std::size_t r0, std::size_t r1, const Layout& L, double* s) {
  const std::size_t p = L.p, q = L.q;
  // Feature-major block: rows 0..p-1 the features, rows p..q-1 zero padding.
  std::vector<double> xt(q * kLd, 0.0), ut(q * kLd, 0.0), z(kLd), d(kLd);
  double tile[16];
  const double b = a.fit_intercept ? a.coef[p] : 0.0;
  const bool want_hess = a.hess != nullptr;
  for (std::size_t b0 = r0; b0 < r1; b0 += kRows) {
    const std::size_t m = std::min(kRows, r1 - b0);
    if constexpr (std::is_same_v<T, double>) {
      transpose_rows(x + b0 * p, p, m, xt.data(), kLd);
    } else {
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t c = 0; c < p; ++c) xt[c * kLd + i] = static_cast<double>(x[(b0 + i) * p + c]);
    }
    std::fill(z.begin(), z.begin() + m, b);
    for (std::size_t c = 0; c < p; ++c) axpy_rows(a.coef[c], &xt[c * kLd], z.data(), m);
    s[L.loss()] += logistic_binary_hess_block(z.data(), d.data(), a.y + b0, a.w != nullptr ? a.w + b0 : nullptr, m);
    double rsum = 0, dsum = 0;
    for (std::size_t i = 0; i < m; ++i) rsum += z[i], dsum += d[i];
    s[L.grad() + p] += rsum;
    s[L.hint() + p] += dsum;
    for (std::size_t c = 0; c < p; ++c)
      feature_sums(&xt[c * kLd], z.data(), d.data(), &ut[c * kLd], m, &s[L.grad() + c], &s[L.hint() + c]);
    if (!want_hess) continue;
    for (std::size_t ti = 0; ti < q; ti += kTile) {
      for (std::size_t tj = ti; tj < q; tj += kTile) {
        std::fill(tile, tile + 16, 0.0);
        hess_tile(&ut[ti * kLd], &xt[tj * kLd], kLd, m, tile);
        for (std::size_t u = 0; u < kTile; ++u)
          for (std::size_t v = 0; v < kTile; ++v) s[(ti + u) * q + tj + v] += tile[u * kTile + v];
      }
    }
  }
}

}  // namespace

void logistic_loss_grad_hess(const LogisticArgs& a) {
  const std::size_t p = a.x.cols, stride = p + 1;
  const Layout L{p, (p + kTile - 1) / kTile * kTile};  // features padded to whole tiles
  std::vector<double> total = chunked_sum(a.x.rows, L.width(), [&](std::size_t r0, std::size_t r1, double* s) {
    a.x.visit([&](auto* x) { newton_rows(a, x, r0, r1, L, s); });
  });
  std::copy(total.begin() + L.grad(), total.begin() + L.grad() + stride, a.grad);
  if (!a.fit_intercept) a.grad[p] = 0.0;
  *a.loss = total[L.loss()];
  if (a.hess == nullptr) return;
  // Upper tiles hold (i, j) with j >= i (and some below the diagonal inside diagonal tiles).
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = 0; j < p; ++j) a.hess[i * stride + j] = j >= i ? total[i * L.q + j] : total[j * L.q + i];
  for (std::size_t c = 0; c < stride; ++c) {
    a.hess[p * stride + c] = total[L.hint() + c];
    a.hess[c * stride + p] = total[L.hint() + c];
  }
}

}  // namespace kiln::linear
