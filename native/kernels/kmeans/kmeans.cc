#include "kmeans.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <type_traits>
#include <vector>

#include "../../runtime/aligned.h"
#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"
#include "../gemm/microkernels.h"

namespace kiln::kmeans {

namespace {

constexpr double kU32 = 1.0 / 16777216.0;  // f32 unit roundoff
// Bound tests keep this relative slack (of the distances' scale) over f64 rounding, which stays
// below 1e-12 of it: a row skipped by its bounds is strictly nearest its centre.
constexpr double kSlack = 1e-9;

// The hot loops below are compiled per ISA (KILN_CLONES): the file's baseline is SSE2.
template <typename T>
double sq_dist_body(const T* x, const double* c, std::size_t d) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t j = 0; j < d; ++j) {
    const double t = static_cast<double>(x[j]) - c[j];
    s += t * t;
  }
  return s;
}
KILN_CLONES double sq_dist(const float* x, const double* c, std::size_t d) { return sq_dist_body(x, c, d); }
KILN_CLONES double sq_dist(const double* x, const double* c, std::size_t d) { return sq_dist_body(x, c, d); }

template <typename T>
double sq_norm_body(const T* x, std::size_t d) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t j = 0; j < d; ++j) s += static_cast<double>(x[j]) * static_cast<double>(x[j]);
  return s;
}
KILN_CLONES double sq_norm(const float* x, std::size_t d) { return sq_norm_body(x, d); }
KILN_CLONES double sq_norm(const double* x, std::size_t d) { return sq_norm_body(x, d); }

// s += w * row (one cluster's sums).
template <typename T>
void add_row_body(double* s, const T* row, double w, std::size_t d) {
#pragma omp simd
  for (std::size_t f = 0; f < d; ++f) s[f] += w * static_cast<double>(row[f]);
}
KILN_CLONES void add_row(double* s, const float* row, double w, std::size_t d) { add_row_body(s, row, w, d); }
KILN_CLONES void add_row(double* s, const double* row, double w, std::size_t d) { add_row_body(s, row, w, d); }

// Best and second-best of a row's w keys (w a multiple of 16) after adding cn to them, in 32
// lanes of (best, its index, second) with selects, then folded 32 -> 16 -> ... -> 1 element-wise
// (all of it vectorises; a min reduction does not without -ffast-math). Lane l sees the centres
// j = l mod 32 (two vectors: two independent chains). arg is the first index of the best key; b and s2 keep the lanes.
constexpr std::size_t kLanes = 32;
struct Top2 {
  float b[kLanes], s2[kLanes];
  float best, second;
  std::size_t arg;
};
// Lanes [H, 2H) merged into [0, H): the better best (ties: smaller index), the loser into second.
template <std::size_t H>
inline __attribute__((always_inline)) void fold(float* b, float* s2, int32_t* ix) {
  for (std::size_t l = 0; l < H; ++l) {
    const float b1 = b[l], b2 = b[l + H], m = s2[l] < s2[l + H] ? s2[l] : s2[l + H];
    const bool lt = b2 < b1 || (b2 == b1 && ix[l + H] < ix[l]);
    const float lose = lt ? b1 : b2;
    b[l] = lt ? b2 : b1;
    ix[l] = lt ? ix[l + H] : ix[l];
    s2[l] = lose < m ? lose : m;
  }
}

KILN_CLONES void top2_keys(const float* keys, const float* cn, std::size_t w, Top2& t) {
  float b[kLanes], s2[kLanes];
  int32_t ix[kLanes];
  for (std::size_t l = 0; l < kLanes; ++l) {
    b[l] = s2[l] = std::numeric_limits<float>::infinity();
    ix[l] = static_cast<int32_t>(l);
  }
  for (std::size_t j = 0; j < w; j += kLanes)
    for (std::size_t l = 0; l < kLanes; ++l) {
      // second = min(second, max(best, v)); best = min(best, v): min/max, no branches
      const float v = keys[j + l] + cn[j + l], bo = b[l];
      const float hi = bo < v ? v : bo;
      ix[l] = v < bo ? static_cast<int32_t>(j + l) : ix[l];
      s2[l] = hi < s2[l] ? hi : s2[l];
      b[l] = v < bo ? v : bo;
    }
  for (std::size_t l = 0; l < kLanes; ++l) {
    t.b[l] = b[l];
    t.s2[l] = s2[l];
  }
  fold<kLanes / 2>(b, s2, ix);
  fold<kLanes / 4>(b, s2, ix);
  fold<kLanes / 8>(b, s2, ix);
  fold<kLanes / 16>(b, s2, ix);
  fold<kLanes / 32>(b, s2, ix);
  static_assert(kLanes == 32, "five folds");
  t.best = b[0];
  t.second = s2[0];
  t.arg = static_cast<std::size_t>(ix[0]);
}

// Per group g < G (G divides 16: lanes l = g mod G) the smallest key other than the best's.
KILN_CLONES void group_mins(const Top2& t, std::size_t G, float* out) {
  float e[kLanes];
  const std::size_t at = t.arg % kLanes;
  for (std::size_t l = 0; l < kLanes; ++l) e[l] = l == at ? t.s2[l] : t.b[l];
  for (std::size_t l = 0; l < kLanes / 2; ++l) e[l] = e[l + kLanes / 2] < e[l] ? e[l + kLanes / 2] : e[l];
  for (std::size_t half = kLanes / 4; half >= G; half /= 2)
    for (std::size_t l = 0; l < half; ++l) e[l] = e[l + half] < e[l] ? e[l + half] : e[l];
  for (std::size_t g = 0; g < G; ++g) out[g] = e[g];
}

double row_sq_dist(const Rows& x, std::size_t r, const double* c) {
  return x.f32 != nullptr ? sq_dist(x.f32 + r * x.cols, c, x.cols) : sq_dist(x.f64 + r * x.cols, c, x.cols);
}

// Centres packed as the micro-kernel reads B: NR-centre panels [feature][centre], f32, with
// ||c||^2 per slot (+inf for padding so a padded slot never wins).
struct PackedCenters {
  runtime::AlignedBuffer<float> panels;
  std::vector<float> sqnorm;
  std::size_t count = 0;  // panels
  std::size_t width = 0;  // count * NR: keys per row
  double max_norm = 0;    // largest ||c|| (f64), for the rounding bound
};

PackedCenters pack_centers(const double* c, std::size_t k, std::size_t d, std::size_t NR) {
  PackedCenters p;
  p.count = (k + NR - 1) / NR;
  p.width = (p.count * NR + kLanes - 1) / kLanes * kLanes;  // top2_keys reads whole lane groups
  p.panels = runtime::aligned_alloc_array<float>(p.count * NR * d);
  p.sqnorm.assign(p.width, std::numeric_limits<float>::infinity());
  for (std::size_t pi = 0; pi < p.count; ++pi) {
    float* dst = p.panels.get() + pi * NR * d;
    for (std::size_t jj = 0; jj < NR; ++jj) {
      const std::size_t j = pi * NR + jj;
      double s = 0, s64 = 0;
      for (std::size_t f = 0; f < d; ++f) {
        const float v = j < k ? static_cast<float>(c[j * d + f]) : 0.0f;
        dst[f * NR + jj] = v;
        s += static_cast<double>(v) * v;
        if (j < k) s64 += c[j * d + f] * c[j * d + f];
      }
      if (j < k) {
        p.sqnorm[pi * NR + jj] = static_cast<float>(s);
        p.max_norm = std::max(p.max_norm, std::sqrt(s64));
      }
    }
  }
  return p;
}

// Exact argmin over every centre (ties to the smaller index): sets best (its squared distance)
// Centre groups for the bounds: centre j is in group j mod G (G divides 16, so a group is a set of
// top2_keys's lanes and its minimum comes free with the scan).

// An f32 no larger than v (a lower bound stays one once stored): v less 2^-23 of |v|, more than
// the half f32 ulp that rounding to nearest may add back.
float round_down(double v) { return static_cast<float>(v - std::abs(v) * 0x1p-23); }

// Exact argmin over every centre (ties to the smaller index): sets best (its squared distance)
// and, with lower, per group the distance (not squared) to its nearest centre other than the
// argmin (+inf for a group with no other centre).
template <typename T>
int32_t exact_nearest(const T* x, const double* centers, std::size_t k, std::size_t d, double& best, float* lower,
                      std::size_t G, double* scratch) {
  best = std::numeric_limits<double>::infinity();
  int32_t arg = 0;
  for (std::size_t j = 0; j < k; ++j) {
    const double v = scratch[j] = sq_dist(x, centers + j * d, d);
    if (v < best) {
      best = v;
      arg = static_cast<int32_t>(j);
    }
  }
  if (lower != nullptr)
    for (std::size_t g = 0; g < G; ++g) {
      double m = std::numeric_limits<double>::infinity();
      for (std::size_t j = g; j < k; j += G)
        if (j != static_cast<std::size_t>(arg)) m = std::min(m, scratch[j]);
      lower[g] = round_down(std::sqrt(m));
    }
  return arg;
}

// Per-thread scratch of the GEMM scan: one MR-row A panel, its MR x width keys, k exact distances.
struct Scratch {
  std::vector<float> apanel;
  runtime::AlignedBuffer<float> keys;
  std::vector<double> exact;
  Scratch(std::size_t MR, std::size_t d, std::size_t width, std::size_t k)
      : apanel(MR * d), keys(runtime::aligned_alloc_array<float>(MR * width)), exact(k) {
    std::fill(keys.get(), keys.get() + MR * width, 0.0f);  // slots past the panels: +inf norms
  }
};

// Nearest centre of up to MR rows (ids[0..m)) through f32 GEMM keys -2 x.c + ||c||^2: the f32 argmin
// when the second-best key is more than twice the keys' rounding bound above it, else an exact
// f64 scan; so labels are an exact f64 argmin. Writes the label, the exact squared distance to
// it (with lower: an upper bound on it), and (lower: G per row, optional) per centre group a lower bound on the distance to its
// centres other than the label.
template <typename T>
void scan_rows(const T* x, std::size_t d, const std::size_t* ids, std::size_t m, const PackedCenters& pc,
               const double* centers, std::size_t k, const gemm::MicroKernelSpec& kern, Scratch& s, int32_t* label,
               double* d2, float* lower, std::size_t G) {
  const std::size_t MR = kern.mr, NR = kern.nr, W = pc.width;
  double xnorm2[16];
  for (std::size_t i = 0; i < m; ++i) xnorm2[i] = sq_norm(x + ids[i] * d, d);
  float* keys = s.keys.get();
  if (kern.direct_a != nullptr) {
    // A read in place, row-major: the rows themselves when they are f32 and consecutive, else
    // an f32 copy of them.
    const float* a = nullptr;
    if constexpr (std::is_same_v<T, float>) {
      if (ids[m - 1] == ids[0] + (m - 1)) a = x + ids[0] * d;
    }
    if (a == nullptr) {
      float* buf = s.apanel.data();
      for (std::size_t i = 0; i < m; ++i) {
        const T* row = x + ids[i] * d;
        for (std::size_t f = 0; f < d; ++f) buf[i * d + f] = static_cast<float>(row[f]);
      }
      a = buf;
    }
    for (std::size_t pi = 0; pi < pc.count; ++pi)
      kern.direct_a(d, a, d, pc.panels.get() + pi * NR * d, keys + pi * NR, W, -2.0f, 0.0f, m, NR);
  } else {
    float* ap = s.apanel.data();
    for (std::size_t i = 0; i < MR; ++i)
      for (std::size_t f = 0; f < d; ++f) ap[f * MR + i] = i < m ? static_cast<float>(x[ids[i] * d + f]) : 0.0f;
    for (std::size_t pi = 0; pi < pc.count; ++pi)
      kern.fn(d, ap, pc.panels.get() + pi * NR * d, keys + pi * NR, W, -2.0f, 0.0f, m, NR);
  }
  const float* cn = pc.sqnorm.data();
  for (std::size_t i = 0; i < m; ++i) {
    Top2 top;
    top2_keys(keys + i * W, cn, W, top);
    float gmin[kLanes];
    const float best = top.best, next = top.second;
    const std::size_t arg = top.arg;
    // |f32 key - exact key| <= eps for every centre (as in the k-NN engine's bound); two keys
    // closer than 2 eps may be in the wrong order: decide those rows exactly.
    const double mn = std::sqrt(xnorm2[i]) + pc.max_norm;
    const double eps = (2.0 * d + 16.0) * kU32 * mn * mn * 2.0;
    const T* row = x + ids[i] * d;
    float* lo = lower != nullptr ? lower + i * (G + 1) : nullptr;
    if (static_cast<double>(next) - static_cast<double>(best) > 2.0 * eps) {
      label[i] = static_cast<int32_t>(arg);
      // bounds only need an upper bound on it: the f32 key's, without the exact f64 pass
      d2[i] = lower != nullptr ? static_cast<double>(best) + xnorm2[i] + eps : sq_dist(row, centers + arg * d, d);
      if (lo != nullptr) group_mins(top, G, gmin);
      if (lo != nullptr)
        for (std::size_t g = 0; g < G; ++g) {
          const float gm = gmin[g];
          lo[g] = round_down(std::sqrt(std::max(0.0, static_cast<double>(gm) + xnorm2[i] - eps)));
        }
    } else {
      double b;
      label[i] = exact_nearest(row, centers, k, d, b, lo, G, s.exact.data());
      d2[i] = b;
    }
    if (lo != nullptr) lo[G] = *std::min_element(lo, lo + G);
  }
}

// Row blocks of whole MR panels, a few per thread; per-block partial sums are added in block order
// (same thread count, same result, bit for bit).
struct Blocks {
  std::size_t count, rows;  // blocks, rows per block
};

// Row blocks fixed by the shape, never by the thread count: their partial sums are added in block
// order, so the centres come out the same bits on any machine (with the count taken from the
// threads, 1 and 2 threads gave different centres). Blocks of at least 4 panels, up to 16 blocks,
// fewer where the partial sums (k x d doubles a block) would pass 64 MB (runtime::fixed_block_count).
Blocks blocks_for(std::size_t n, std::size_t MR, std::size_t partial_bytes) {
  const std::size_t panels = (n + MR - 1) / MR;
  const std::size_t tasks = runtime::fixed_block_count(panels, 4, 16, partial_bytes);
  return {tasks, (panels + tasks - 1) / tasks * MR};
}

struct Partial {
  std::vector<double> sums, weight_sums;
  double inertia = 0;
  std::size_t changed = 0;
};

void reduce_partials(const std::vector<Partial>& parts, std::size_t k, std::size_t d, double* sums, double* weight_sums,
                     double* inertia) {
  double total = 0;
  if (sums != nullptr) {
    std::fill(sums, sums + k * d, 0.0);
    std::fill(weight_sums, weight_sums + k, 0.0);
  }
  for (const Partial& part : parts) {
    total += part.inertia;
    if (sums == nullptr || part.sums.empty()) continue;
    for (std::size_t i = 0; i < k * d; ++i) sums[i] += part.sums[i];
    for (std::size_t j = 0; j < k; ++j) weight_sums[j] += part.weight_sums[j];
  }
  if (inertia != nullptr) *inertia = total;
}

template <typename T>
void assign_typed(const T* x, const AssignArgs& a) {
  const std::size_t n = a.x.rows, d = a.x.cols, k = a.k;
  const gemm::MicroKernelSpec& kern = gemm::microkernel_for_cpu();
  const std::size_t MR = kern.mr;
  const PackedCenters pc = pack_centers(a.centers, k, d, kern.nr);
  const bool accumulate = a.sums != nullptr;
  const Blocks b = blocks_for(n, MR, accumulate ? (k * d + k) * sizeof(double) : 0);
  std::vector<Partial> parts(b.count);
  runtime::parallel_for(b.count, 1, [&](std::size_t t0, std::size_t t1) {
    Scratch s(MR, d, pc.width, k);
    std::size_t ids[16];
    int32_t lab[16];
    double d2[16];
    for (std::size_t t = t0; t < t1; ++t) {
      Partial& part = parts[t];
      if (accumulate) {
        part.sums.assign(k * d, 0.0);
        part.weight_sums.assign(k, 0.0);
      }
      const std::size_t r0 = t * b.rows, r1 = std::min(n, r0 + b.rows);
      for (std::size_t q = r0; q < r1; q += MR) {
        const std::size_t m = std::min(MR, r1 - q);
        for (std::size_t i = 0; i < m; ++i) ids[i] = q + i;
        scan_rows(x, d, ids, m, pc, a.centers, k, kern, s, lab, d2, nullptr, 1);
        for (std::size_t i = 0; i < m; ++i) {
          const std::size_t r = q + i;
          const std::size_t l = static_cast<std::size_t>(lab[i]);
          a.labels[r] = lab[i];
          if (a.dist2 != nullptr) a.dist2[r] = d2[i];
          const double w = a.weights != nullptr ? a.weights[r] : 1.0;
          part.inertia += w * d2[i];
          if (!accumulate) continue;
          add_row(part.sums.data() + l * d, x + r * d, w, d);
          part.weight_sums[l] += w;
        }
      }
    }
  });
  reduce_partials(parts, k, d, a.sums, a.weight_sums, a.inertia);
}

// Centre geometry for the bounds: half the distance from each centre to its nearest other centre,
// each centre's shift since prev (when given) and the largest shift per group.
struct Geometry {
  std::vector<double> half_gap, shift, group_shift;
  double max_shift = 0;
  double scale = 0;  // the largest centre norm, old or new
};

Geometry geometry(const double* c, const double* prev, std::size_t k, std::size_t d, std::size_t G) {
  Geometry g;
  g.half_gap.assign(k, std::numeric_limits<double>::infinity());
  g.shift.assign(k, 0.0);
  g.group_shift.assign(G, 0.0);
  runtime::parallel_for(k, 8, [&](std::size_t j0, std::size_t j1) {
    for (std::size_t j = j0; j < j1; ++j) {
      double m = std::numeric_limits<double>::infinity();
      for (std::size_t o = 0; o < k; ++o)
        if (o != j) m = std::min(m, sq_dist(c + j * d, c + o * d, d));
      g.half_gap[j] = std::sqrt(m) / 2;
    }
  });
  const std::vector<double> origin(d, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    g.scale = std::max(g.scale, std::sqrt(sq_dist(c + j * d, origin.data(), d)));
    if (prev == nullptr) continue;
    g.scale = std::max(g.scale, std::sqrt(sq_dist(prev + j * d, origin.data(), d)));
    g.shift[j] = std::sqrt(sq_dist(c + j * d, prev + j * d, d));
    g.group_shift[j % G] = std::max(g.group_shift[j % G], g.shift[j]);
    g.max_shift = std::max(g.max_shift, g.shift[j]);
  }
  return g;
}

template <typename T>
void assign_bounded_typed(const T* x, const BoundedArgs& a) {
  const std::size_t n = a.x.rows, d = a.x.cols, k = a.k, G = a.groups, L = G + 1, H = k + G + 1, T_now = a.epochs;
  const gemm::MicroKernelSpec& kern = gemm::microkernel_for_cpu();
  const std::size_t MR = kern.mr;
  const PackedCenters pc = pack_centers(a.centers, k, d, kern.nr);
  const Geometry g = geometry(a.centers, a.prev_centers, k, d, G);
  const bool first = a.prev_centers == nullptr;
  // Cumulative drift per epoch: k centre shifts then G group maxima (this call's row is T_now).
  std::vector<double> drift(a.drift, a.drift + T_now * H);
  drift.resize((T_now + 1) * H, 0.0);
  if (T_now > 0)
    for (std::size_t h = 0; h < H; ++h)
      drift[T_now * H + h] = drift[(T_now - 1) * H + h] + (h < k       ? g.shift[h]
                                                           : h < k + G ? g.group_shift[h - k]
                                                                       : g.max_shift);
  std::copy(drift.begin() + T_now * H, drift.end(), a.drift_now);
  const double* now = drift.data() + T_now * H;
  const Blocks b = blocks_for(n, MR, (k * d + k) * sizeof(double));
  std::vector<Partial> parts(b.count);
  runtime::parallel_for(b.count, 1, [&](std::size_t t0, std::size_t t1) {
    Scratch s(MR, d, pc.width, k);
    std::vector<std::size_t> rescan;
    std::vector<float> low(MR * L);
    int32_t lab[16];
    double d2[16];
    for (std::size_t t = t0; t < t1; ++t) {
      Partial& part = parts[t];
      part.sums.assign(k * d, 0.0);  // this block's change to the sums
      part.weight_sums.assign(k, 0.0);
      const std::size_t r0 = t * b.rows, r1 = std::min(n, r0 + b.rows);
      rescan.clear();
      for (std::size_t r = r0; r < r1; ++r) {
        if (first) {
          rescan.push_back(r);
          continue;
        }
        // Bounds stored at epoch e move by the drift since e; a row that passes is not written.
        const std::size_t c = static_cast<std::size_t>(a.labels[r]);
        const double* then = drift.data() + static_cast<std::size_t>(a.epoch[r]) * H;
        double u = a.upper[r] + (now[c] - then[c]);
        float* lo = a.lower + r * L;
        const double slack = kSlack * (u + 2.0 * g.scale);
        // first the row's smallest lower bound moved by the largest drift, then group by group
        if (u + slack < std::max(static_cast<double>(lo[G]) - (now[k + G] - then[k + G]), g.half_gap[c])) continue;
        double z = std::numeric_limits<double>::infinity();
        for (std::size_t grp = 0; grp < G; ++grp)
          z = std::min(z, static_cast<double>(lo[grp]) - (now[k + grp] - then[k + grp]));
        z = std::max(z, g.half_gap[c]);
        if (u + slack < z) continue;
        u = std::sqrt(sq_dist(x + r * d, a.centers + c * d, d));
        for (std::size_t grp = 0; grp < G; ++grp)
          lo[grp] = round_down(static_cast<double>(lo[grp]) - (now[k + grp] - then[k + grp]));
        lo[G] = *std::min_element(lo, lo + G);
        a.upper[r] = u;
        a.epoch[r] = static_cast<int32_t>(T_now);
        if (!(u + slack < z)) rescan.push_back(r);
      }
      for (std::size_t q = 0; q < rescan.size(); q += MR) {
        const std::size_t m = std::min(MR, rescan.size() - q);
        scan_rows(x, d, rescan.data() + q, m, pc, a.centers, k, kern, s, lab, d2, low.data(), G);
        for (std::size_t i = 0; i < m; ++i) {
          const std::size_t r = rescan[q + i];
          a.upper[r] = std::sqrt(d2[i]);
          a.epoch[r] = static_cast<int32_t>(T_now);
          std::copy(low.begin() + i * L, low.begin() + (i + 1) * L, a.lower + r * L);
          const int32_t old = first ? -1 : a.labels[r];
          if (old == lab[i]) continue;
          ++part.changed;
          const double w = a.weights != nullptr ? a.weights[r] : 1.0;
          if (old >= 0) add_row(part.sums.data() + static_cast<std::size_t>(old) * d, x + r * d, -w, d);
          add_row(part.sums.data() + static_cast<std::size_t>(lab[i]) * d, x + r * d, w, d);
          a.labels[r] = lab[i];
        }
      }
      for (std::size_t r = r0; r < r1; ++r)
        part.weight_sums[static_cast<std::size_t>(a.labels[r])] += a.weights != nullptr ? a.weights[r] : 1.0;
    }
  });
  // The running sums take every block's change in block order; the weight sums are recounted
  // (as assign() adds them), so an emptied cluster has exactly zero.
  if (first) std::fill(a.sums, a.sums + k * d, 0.0);
  std::fill(a.weight_sums, a.weight_sums + k, 0.0);
  std::size_t changed = 0;
  for (const Partial& p : parts) {
    changed += p.changed;
    for (std::size_t i = 0; i < k * d; ++i) a.sums[i] += p.sums[i];
    for (std::size_t j = 0; j < k; ++j) a.weight_sums[j] += p.weight_sums[j];
  }
  bool empty = false;
  for (std::size_t j = 0; j < k; ++j)
    if (a.weight_sums[j] == 0) {
      empty = true;
      std::fill(a.sums + j * d, a.sums + (j + 1) * d, 0.0);
    }
  if (a.changed != nullptr) *a.changed = static_cast<double>(changed);
  if (a.dist2 == nullptr || !(a.distances || empty)) return;
  std::vector<double> inertia(b.count, 0.0);
  runtime::parallel_for(b.count, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t r0 = t * b.rows, r1 = std::min(n, r0 + b.rows);
      for (std::size_t r = r0; r < r1; ++r) {
        const double v = sq_dist(x + r * d, a.centers + static_cast<std::size_t>(a.labels[r]) * d, d);
        a.dist2[r] = v;
        inertia[t] += (a.weights != nullptr ? a.weights[r] : 1.0) * v;
      }
    }
  });
  double total = 0;
  for (const double v : inertia) total += v;
  if (a.inertia != nullptr) *a.inertia = total;
  if (a.wrote_dist2 != nullptr) *a.wrote_dist2 = 1;
}

}  // namespace

void assign(const AssignArgs& a) {
  if (a.x.rows == 0 || a.k == 0) return;
  a.x.visit([&](const auto* x) { assign_typed(x, a); });
}

void assign_bounded(const BoundedArgs& a) {
  if (a.x.rows == 0 || a.k == 0) return;
  a.x.visit([&](const auto* x) { assign_bounded_typed(x, a); });
}

void sq_distances(const Rows& x, const double* centers, std::size_t k, double* out) {
  runtime::parallel_for(x.rows, 64, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r)
      for (std::size_t j = 0; j < k; ++j) out[r * k + j] = row_sq_dist(x, r, centers + j * x.cols);
  });
}

}  // namespace kiln::kmeans
