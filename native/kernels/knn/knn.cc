#include "knn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../../runtime/aligned.h"
#include "../../runtime/thread_pool.h"
#include "../gemm/microkernels.h"

#include "../../runtime/simd_clones.h"

namespace kiln::knn {

namespace {

constexpr double kU32 = 1.0 / 16777216.0;       // f32 unit roundoff
constexpr std::size_t kQueryBatch = 8192;       // queries whose packed copy and lists live at once
constexpr std::size_t kBlockBytes = 512 << 10;  // base points swept per query panel pass (L2)

bool uses_gemm(Metric m) { return m != Metric::Manhattan; }
bool normalised(Metric m) { return m == Metric::Cosine; }

// A bounded list kept sorted by ascending (key, index); the last entry is the worst.
template <typename K>
struct TopList {
  K* key;
  int32_t* idx;
  std::size_t size = 0, cap = 0;
  K worst() const { return size < cap ? std::numeric_limits<K>::infinity() : key[size - 1]; }
  // Points arrive in ascending index order, so an equal key never displaces an entry.
  void offer(K kv, int32_t iv) {
    if (!(kv < worst())) return;
    std::size_t pos = size < cap ? size++ : cap - 1;
    while (pos > 0 && key[pos - 1] > kv) {
      key[pos] = key[pos - 1];
      idx[pos] = idx[pos - 1];
      --pos;
    }
    key[pos] = kv;
    idx[pos] = iv;
  }
};
using Candidates = TopList<float>;

template <typename T>
double norm_of(const T* x, std::size_t d) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t c = 0; c < d; ++c) s += static_cast<double>(x[c]) * static_cast<double>(x[c]);
  return std::sqrt(s);
}

double row_norm(const Rows& m, std::size_t r) {
  return m.f32 != nullptr ? norm_of(m.f32 + r * m.cols, m.cols) : norm_of(m.f64 + r * m.cols, m.cols);
}

// One NR-point panel of the base, transposed to [feature][point] as the micro-kernel
// reads B, scaled (cosine) and zero-padded; also the f32 squared norm of each point
// (+inf for padding, so padded slots never look near).
template <typename T>
void pack_panel(const T* base, std::size_t n, std::size_t d, std::size_t j0, std::size_t NR, const double* scale,
                float* dst, float* sqnorm) {
  for (std::size_t jj = 0; jj < NR; ++jj) {
    const std::size_t j = j0 + jj;
    if (j >= n) {
      for (std::size_t c = 0; c < d; ++c) dst[c * NR + jj] = 0.0f;
      sqnorm[jj] = std::numeric_limits<float>::infinity();
      continue;
    }
    const T* x = base + j * d;
    const double sc = scale != nullptr ? scale[j] : 1.0;
    double s = 0;
    for (std::size_t c = 0; c < d; ++c) {
      const float v = static_cast<float>(static_cast<double>(x[c]) * sc);
      dst[c * NR + jj] = v;
      s += static_cast<double>(v) * v;
    }
    sqnorm[jj] = static_cast<float>(s);
  }
}

// Exact key in f64, ordered like the approximate one (smaller = nearer).
double exact_key(const SearchArgs& a, std::size_t q, std::size_t j, double qnorm, const double* bnorm) {
  const Rows &Q = a.queries, &B = a.base;
  const std::size_t d = Q.cols;
  double s = 0;
  switch (a.metric) {
    case Metric::SqEuclidean:
    case Metric::Euclidean:
      for (std::size_t c = 0; c < d; ++c) {
        const double t = Q.at(q, c) - B.at(j, c);
        s += t * t;
      }
      return s;
    case Metric::Manhattan:
      for (std::size_t c = 0; c < d; ++c) s += std::abs(Q.at(q, c) - B.at(j, c));
      return s;
    case Metric::InnerProduct:
      for (std::size_t c = 0; c < d; ++c) s += Q.at(q, c) * B.at(j, c);
      return -s;
    case Metric::Cosine: {
      if (qnorm == 0 || bnorm[j] == 0) return 0;  // cosine similarity 0: distance 1
      for (std::size_t c = 0; c < d; ++c) s += Q.at(q, c) * B.at(j, c);
      return -s / (qnorm * bnorm[j]);
    }
  }
  return s;
}

double key_to_distance(Metric m, double key) {
  switch (m) {
    case Metric::Euclidean: return std::sqrt(std::max(0.0, key));
    case Metric::InnerProduct: return -key;
    case Metric::Cosine: return 1.0 + key;
    default: return key;
  }
}

// Exact top-k of one query by a full f64 scan (the fallback when the bound cannot
// prove the candidates complete). Writes k distances and indices.
void brute_force(const SearchArgs& a, std::size_t q, double qnorm, const double* bnorm) {
  std::vector<double> keys(a.k);
  std::vector<int32_t> idx(a.k);
  TopList<double> top{keys.data(), idx.data(), 0, a.k};
  for (std::size_t j = 0; j < a.base.rows; ++j)
    if (!(a.exclude_self && j == q)) top.offer(exact_key(a, q, j, qnorm, bnorm), static_cast<int32_t>(j));
  for (std::size_t t = 0; t < a.k; ++t) {
    a.distances[q * a.k + t] = key_to_distance(a.metric, keys[t]);
    a.indices[q * a.k + t] = idx[t];
  }
}

// key = tile + xn (||x||^2 for L2, 0 otherwise); true when some key beats `worst`.
KILN_CLONES bool finish_keys(float* row, const float* xn, std::size_t nr, float worst) {
  bool any = false;
#pragma omp simd reduction(| : any)
  for (std::size_t j = 0; j < nr; ++j) {
    row[j] += xn[j];
    any |= row[j] < worst;
  }
  return any;
}

// Sum of |q - x| in f64 (the query is held in f64 so an f32 base loses nothing).
KILN_CLONES double manhattan(const double* q, const float* x, std::size_t d) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t c = 0; c < d; ++c) s += std::abs(q[c] - static_cast<double>(x[c]));
  return s;
}

KILN_CLONES double manhattan(const double* q, const double* x, std::size_t d) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t c = 0; c < d; ++c) s += std::abs(q[c] - x[c]);
  return s;
}

// Manhattan has no GEMM form: a direct, exact f64 scan per query.
void search_manhattan(const SearchArgs& a) {
  const std::size_t d = a.base.cols, k = a.k;
  runtime::parallel_for(a.queries.rows, 4, [&](std::size_t q0, std::size_t q1) {
    std::vector<double> qrow(d);
    for (std::size_t q = q0; q < q1; ++q) {
      for (std::size_t c = 0; c < d; ++c) qrow[c] = a.queries.at(q, c);
      TopList<double> top{a.distances + q * k, a.indices + q * k, 0, k};
      for (std::size_t j = 0; j < a.base.rows; ++j) {
        if (a.exclude_self && j == q) continue;
        // A branch per row written out, not base.visit(): this keeps the instructions GCC 12 generated
        // before runtime::Rows (the lambda changed this loop's code; see runtime/rows.h).
        top.offer(a.base.f32 != nullptr ? manhattan(qrow.data(), a.base.f32 + j * d, d)
                                        : manhattan(qrow.data(), a.base.f64 + j * d, d),
                  static_cast<int32_t>(j));
      }
    }
  });
}

}  // namespace

std::size_t padded_points(std::size_t n) {
  const std::size_t nr = gemm::microkernel_for_cpu().nr;
  return (n + nr - 1) / nr * nr;
}

std::size_t packed_floats(std::size_t n, std::size_t d) { return padded_points(n) * d; }

namespace {

void compute_norms(const Rows& base, double* norms) {
  runtime::parallel_for(base.rows, 1024, [&](std::size_t j0, std::size_t j1) {
    for (std::size_t j = j0; j < j1; ++j) norms[j] = row_norm(base, j);
  });
}

void inverse_norms(const double* norms, std::size_t n, std::vector<double>& out) {
  out.resize(n);
  for (std::size_t j = 0; j < n; ++j) out[j] = norms[j] > 0 ? 1.0 / norms[j] : 1.0;
}

// Packs panels [p0, p1) of the base into dst / sqnorm (panel-relative).
void pack_panels(const Rows& base, std::size_t p0, std::size_t p1, const double* inv_norm, float* dst, float* sqnorm) {
  const std::size_t NR = gemm::microkernel_for_cpu().nr, d = base.cols, n = base.rows;
  runtime::parallel_for(p1 - p0, 16, [&](std::size_t a0, std::size_t a1) {
    for (std::size_t pi = a0; pi < a1; ++pi) {
      float* out = dst + pi * NR * d;
      const std::size_t j0 = (p0 + pi) * NR;
      base.visit([&](auto* x) { pack_panel(x, n, d, j0, NR, inv_norm, out, sqnorm + pi * NR); });
    }
  });
}

}  // namespace

void prepare(const Rows& base, Metric metric, float* packed, float* sqnorm, double* norms) {
  compute_norms(base, norms);
  std::vector<double> inv;
  if (normalised(metric)) inverse_norms(norms, base.rows, inv);
  const std::size_t NR = gemm::microkernel_for_cpu().nr;
  pack_panels(base, 0, (base.rows + NR - 1) / NR, normalised(metric) ? inv.data() : nullptr, packed, sqnorm);
}

void search(const SearchArgs& a, const Prepared* prepared) {
  if (a.queries.rows == 0 || a.k == 0) return;
  if (!uses_gemm(a.metric)) {
    search_manhattan(a);
    return;
  }
  const gemm::MicroKernelSpec& kern = gemm::microkernel_for_cpu();
  const std::size_t MR = kern.mr, NR = kern.nr, d = a.base.cols, n = a.base.rows;
  const std::size_t eligible = a.exclude_self ? n - 1 : n;
  // Candidates kept per query before the exact re-rank: k plus a margin for near-ties.
  const std::size_t cap = std::min(eligible, a.k + std::max<std::size_t>(8, a.k / 2));

  // Base norms (f64, of the original values) for cosine and the error bound.
  std::vector<double> norm_store;
  if (prepared == nullptr) {
    norm_store.resize(n);
    compute_norms(a.base, norm_store.data());
  }
  const double* bnorm = prepared != nullptr ? prepared->norms : norm_store.data();
  const double max_bnorm = n ? *std::max_element(bnorm, bnorm + n) : 0.0;
  std::vector<double> inv_norm;
  if (normalised(a.metric) && prepared == nullptr) inverse_norms(bnorm, n, inv_norm);

  // Base chunks: packed NR-point panels (+ ||x||^2 per point) within the budget,
  // or the whole base packed at fit.
  const std::size_t panel_floats = d * NR;
  const std::size_t panel_bytes = (panel_floats + NR) * sizeof(float);
  const std::size_t panels_total = (n + NR - 1) / NR;
  const std::size_t chunk_panels = prepared != nullptr
                                       ? panels_total
                                       : std::max<std::size_t>(1, std::min(panels_total, a.budget_bytes / panel_bytes));
  const std::size_t chunks = (panels_total + chunk_panels - 1) / chunk_panels;
  runtime::AlignedBuffer<float> packed_store;
  std::vector<float> sqnorm_store;
  if (prepared == nullptr) {
    packed_store = runtime::aligned_alloc_array<float>(chunk_panels * panel_floats);
    sqnorm_store.resize(chunk_panels * NR);
  }
  const float* packed = prepared != nullptr ? prepared->packed : packed_store.get();
  const float* sqnorm = prepared != nullptr ? prepared->sqnorm : sqnorm_store.data();
  std::size_t packed_chunk = static_cast<std::size_t>(-1);
  const bool l2 = a.metric == Metric::SqEuclidean || a.metric == Metric::Euclidean;
  const float alpha = l2 ? -2.0f : -1.0f;
  const std::vector<float> zeros(NR, 0.0f);

  auto pack_chunk = [&](std::size_t chunk) {
    if (prepared != nullptr || packed_chunk == chunk) return;
    const std::size_t p0 = chunk * chunk_panels, p1 = std::min(panels_total, p0 + chunk_panels);
    pack_panels(a.base, p0, p1, normalised(a.metric) ? inv_norm.data() : nullptr, packed_store.get(),
                sqnorm_store.data());
    packed_chunk = chunk;
  };

  const std::size_t threads = runtime::thread_count();
  std::vector<float> cand_key;
  std::vector<int32_t> cand_idx;
  for (std::size_t b0 = 0; b0 < a.queries.rows; b0 += kQueryBatch) {
    const std::size_t nb = std::min(kQueryBatch, a.queries.rows - b0);
    // Query tasks: a few per thread, each a whole number of MR panels.
    const std::size_t tasks = std::max<std::size_t>(1, std::min((nb + MR - 1) / MR, threads * 2));
    const std::size_t per_task = (((nb + tasks - 1) / tasks) + MR - 1) / MR * MR;
    // Packed queries (MR-row panels, f32, normalised for cosine) and candidate lists.
    const std::size_t qpanels = (nb + MR - 1) / MR;
    auto qpack = runtime::aligned_alloc_array<float>(qpanels * MR * d);
    std::vector<double> qnorm(nb);
    runtime::parallel_for(qpanels, 4, [&](std::size_t s0, std::size_t s1) {
      for (std::size_t pnl = s0; pnl < s1; ++pnl) {
        float* dst = qpack.get() + pnl * MR * d;
        for (std::size_t i = 0; i < MR; ++i) {
          const std::size_t q = pnl * MR + i;
          if (q < nb) qnorm[q] = row_norm(a.queries, b0 + q);
          const double scale = q < nb && normalised(a.metric) && qnorm[q] > 0 ? 1.0 / qnorm[q] : 1.0;
          for (std::size_t c = 0; c < d; ++c)
            dst[c * MR + i] = q < nb ? static_cast<float>(a.queries.at(b0 + q, c) * scale) : 0.0f;
        }
      }
    });
    cand_key.assign(nb * cap, 0.0f);
    cand_idx.assign(nb * cap, 0);
    std::vector<Candidates> lists(nb);
    for (std::size_t q = 0; q < nb; ++q) lists[q] = Candidates{&cand_key[q * cap], &cand_idx[q * cap], 0, cap};

    const std::size_t block_panels = std::max<std::size_t>(1, kBlockBytes / panel_bytes);
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
      pack_chunk(chunk);
      const std::size_t p0 = chunk * chunk_panels, p1 = std::min(panels_total, p0 + chunk_panels);
      runtime::parallel_for(tasks, 1, [&](std::size_t t0, std::size_t t1) {
        alignas(64) float tile[16 * 64];  // MR x NR <= 16 x 64
        float worst[16];
        std::uint64_t masks[16];
        // Offers point j (panel slot jj) to a query's list: only real points, never itself.
        auto offer = [&](Candidates& list, float key, std::size_t j, std::size_t valid, std::size_t self) {
          if (j - (j / NR) * NR < valid && key < list.worst() && !(a.exclude_self && j == self))
            list.offer(key, static_cast<int32_t>(j));
        };
        for (std::size_t t = t0; t < t1; ++t) {
          const std::size_t qa = t * per_task, qb = std::min(nb, qa + per_task);
          for (std::size_t bp = p0; bp < p1; bp += block_panels) {  // L2-sized block of base panels
            const std::size_t bq = std::min(p1, bp + block_panels);
            for (std::size_t q = qa; q < qb; q += MR) {
              const float* apanel = qpack.get() + (q / MR) * MR * d;
              const std::size_t mr = std::min(MR, qb - q);
              for (std::size_t pi = bp; pi < bq; ++pi) {
                const float* bpanel = packed + (pi - p0) * panel_floats;
                const float* xn = l2 ? sqnorm + (pi - p0) * NR : zeros.data();
                const std::size_t j0 = pi * NR, valid = std::min(NR, n - j0);
                if (kern.knn_tile != nullptr) {
                  // Keys and "below the list's worst" masks straight from the register tile.
                  for (std::size_t i = 0; i < mr; ++i) worst[i] = lists[q + i].worst();
                  kern.knn_tile(d, apanel, bpanel, xn, alpha, worst, tile, masks, mr);
                  for (std::size_t i = 0; i < mr; ++i) {
                    for (std::uint64_t m = masks[i]; m != 0; m &= m - 1) {
                      const std::size_t jj = static_cast<std::size_t>(__builtin_ctzll(m));
                      offer(lists[q + i], tile[i * NR + jj], j0 + jj, valid, b0 + q + i);
                    }
                  }
                  continue;
                }
                kern.fn(d, apanel, bpanel, tile, NR, alpha, 0.0f, mr, NR);
                for (std::size_t i = 0; i < mr; ++i) {
                  float* row = tile + i * NR;
                  // Finish the keys and test them against the list's worst in one
                  // vector pass; the scalar pass runs only when something qualifies.
                  if (!finish_keys(row, xn, NR, lists[q + i].worst())) continue;
                  for (std::size_t jj = 0; jj < NR; ++jj) offer(lists[q + i], row[jj], j0 + jj, valid, b0 + q + i);
                }
              }
            }
          }
        }
      });
    }

    // Exact re-rank, then prove that nothing outside the candidates can enter the top k.
    runtime::parallel_for(nb, 16, [&](std::size_t s0, std::size_t s1) {
      std::vector<std::pair<double, int32_t>> ranked;
      for (std::size_t q = s0; q < s1; ++q) {
        const std::size_t gq = b0 + q;
        const Candidates& list = lists[q];
        ranked.clear();
        for (std::size_t t = 0; t < list.size; ++t)
          ranked.emplace_back(exact_key(a, gq, static_cast<std::size_t>(list.idx[t]), qnorm[q], bnorm), list.idx[t]);
        std::sort(ranked.begin(), ranked.end());
        bool proven = list.size == eligible;  // every point was a candidate
        if (!proven && ranked.size() >= a.k) {
          // |f32 key - exact key| <= eps for every point (dot products of length d in
          // f32 from f32-rounded inputs, plus the norm and tile roundings).
          const double qn = normalised(a.metric) ? 1.0 : qnorm[q];
          const double m = normalised(a.metric) ? 1.0 : max_bnorm;
          const double eps = (2.0 * d + 16.0) * kU32 * (qn + m) * (qn + m) * (l2 ? 2.0 : 1.0);
          const double shift = l2 ? qnorm[q] * qnorm[q] : 0.0;  // exact keys hold the full distance
          proven = static_cast<double>(list.worst()) + shift - eps > ranked[a.k - 1].first;
        }
        if (proven) {
          for (std::size_t t = 0; t < a.k; ++t) {
            a.distances[gq * a.k + t] = key_to_distance(a.metric, ranked[t].first);
            a.indices[gq * a.k + t] = ranked[t].second;
          }
        } else {
          brute_force(a, gq, qnorm[q], bnorm);
        }
      }
    });
  }
}

}  // namespace kiln::knn

namespace kiln::knn {

namespace {

// A kd-tree over rows, in the order the radius search packs them: each leaf (at most `leaf` rows,
// split at the median of the widest coordinate, ties by row index) is a contiguous run of `order`,
// and every node keeps the bounding box of its rows (exact, f64).
struct KdTree {
  std::size_t d = 0;
  std::vector<int32_t> order;  // rows, leaf by leaf
  struct Node {
    std::size_t begin, end;  // run of order
    int32_t left = -1, right = -1;
    int32_t leaf = -1;  // leaf number, or -1 (inner node)
  };
  std::vector<Node> nodes;             // nodes[0] is the root
  std::vector<std::size_t> leaf_node;  // node of each leaf
  std::vector<double> lo, hi;          // per node, d each
};

template <typename T>
KdTree build_kd(const T* x, std::size_t n, std::size_t d, std::size_t leaf) {
  KdTree t;
  t.d = d;
  t.order.resize(n);
  for (std::size_t i = 0; i < n; ++i) t.order[i] = static_cast<int32_t>(i);
  t.nodes.push_back({0, n});
  for (std::size_t v = 0; v < t.nodes.size(); ++v) {  // breadth first: children append
    const std::size_t b = t.nodes[v].begin, e = t.nodes[v].end;
    t.lo.resize((v + 1) * d);
    t.hi.resize((v + 1) * d);
    double* lo = t.lo.data() + v * d;
    double* hi = t.hi.data() + v * d;
    for (std::size_t c = 0; c < d; ++c) {
      lo[c] = std::numeric_limits<double>::infinity();
      hi[c] = -std::numeric_limits<double>::infinity();
    }
    for (std::size_t i = b; i < e; ++i) {
      const T* r = x + static_cast<std::size_t>(t.order[i]) * d;
      for (std::size_t c = 0; c < d; ++c) {
        const double z = static_cast<double>(r[c]);
        lo[c] = std::min(lo[c], z);
        hi[c] = std::max(hi[c], z);
      }
    }
    if (e - b <= leaf) {
      t.nodes[v].leaf = static_cast<int32_t>(t.leaf_node.size());
      t.leaf_node.push_back(v);
      continue;
    }
    std::size_t dim = 0;
    for (std::size_t c = 1; c < d; ++c)
      if (hi[c] - lo[c] > hi[dim] - lo[dim]) dim = c;
    const std::size_t mid = b + (e - b) / 2;
    std::nth_element(t.order.begin() + b, t.order.begin() + mid, t.order.begin() + e, [&](int32_t p, int32_t q) {
      const T vp = x[static_cast<std::size_t>(p) * d + dim], vq = x[static_cast<std::size_t>(q) * d + dim];
      return vp < vq || (vp == vq && p < q);
    });
    t.nodes[v].left = static_cast<int32_t>(t.nodes.size());
    t.nodes.push_back({b, mid});
    t.nodes[v].right = static_cast<int32_t>(t.nodes.size());
    t.nodes.push_back({mid, e});
  }
  // Leaves in tree order (left to right), so neighbouring leaves hold nearby rows.
  std::vector<std::size_t> ordered;
  std::vector<std::size_t> stack{0};
  while (!stack.empty()) {
    const std::size_t v = stack.back();
    stack.pop_back();
    if (t.nodes[v].leaf >= 0) {
      t.nodes[v].leaf = static_cast<int32_t>(ordered.size());
      ordered.push_back(v);
      continue;
    }
    stack.push_back(static_cast<std::size_t>(t.nodes[v].right));
    stack.push_back(static_cast<std::size_t>(t.nodes[v].left));
  }
  t.leaf_node = std::move(ordered);
  return t;
}

KdTree build_kd(const Rows& x, std::size_t leaf) {
  return x.visit([&](const auto* p) { return build_kd(p, x.rows, x.cols, leaf); });
}

// Squared gap between two boxes (0 where they overlap).
double box_gap2(const double* alo, const double* ahi, const double* blo, const double* bhi, std::size_t d) {
  double s = 0;
  for (std::size_t c = 0; c < d; ++c) {
    const double g = std::max(0.0, std::max(alo[c] - bhi[c], blo[c] - ahi[c]));
    s += g * g;
  }
  return s;
}

}  // namespace

// The base is packed leaf by leaf of a kd-tree (one NR-point panel per leaf), the queries are
// taken leaf by leaf of theirs (the same tree when they are the base), and a query leaf meets only
// the base leaves whose boxes come within the radius (plus a relative 1e-9, far above the f64
// rounding of the box gaps): a point farther than that from a box is farther from all its points,
// so the lists are those of the full scan. `prepared` (the base in row order) is not read.
void radius_search(const RadiusArgs& a, const Prepared* /*prepared*/) {
  const std::size_t nq = a.queries.rows, n = a.base.rows, d = a.base.cols;
  a.offsets[0] = 0;
  if (nq == 0) {
    *a.needed = 0;
    return;
  }
  const gemm::MicroKernelSpec& kern = gemm::microkernel_for_cpu();
  const std::size_t MR = kern.mr, NR = kern.nr, panel_floats = d * NR;
  const KdTree bt = build_kd(a.base, NR);
  const bool same = a.queries.f32 == a.base.f32 && a.queries.f64 == a.base.f64 && nq == n;
  const KdTree qt_own = same ? KdTree{} : build_kd(a.queries, 8 * MR);
  const KdTree& qt = same ? bt : qt_own;
  const std::size_t leaves = bt.leaf_node.size();
  runtime::AlignedBuffer<float> packed =
      runtime::aligned_alloc_array<float>(std::max<std::size_t>(1, leaves * panel_floats));
  std::vector<float> sqnorm(leaves * NR);
  std::vector<double> bnorm(n);
  compute_norms(a.base, bnorm.data());
  runtime::parallel_for(leaves, 16, [&](std::size_t l0, std::size_t l1) {
    for (std::size_t L = l0; L < l1; ++L) {
      const KdTree::Node& nd = bt.nodes[bt.leaf_node[L]];
      float* dst = packed.get() + L * panel_floats;
      for (std::size_t jj = 0; jj < NR; ++jj) {
        const std::size_t i = nd.begin + jj;
        double s = 0;
        for (std::size_t c = 0; c < d; ++c) {
          const float v = i < nd.end ? static_cast<float>(a.base.at(static_cast<std::size_t>(bt.order[i]), c)) : 0.0f;
          dst[c * NR + jj] = v;
          s += static_cast<double>(v) * v;
        }
        sqnorm[L * NR + jj] = i < nd.end ? static_cast<float>(s) : std::numeric_limits<float>::infinity();
      }
    }
  });
  const double max_bnorm = n ? *std::max_element(bnorm.begin(), bnorm.end()) : 0.0;
  const double r2 = a.metric == Metric::Euclidean ? a.radius * a.radius : a.radius;
  const double reach = r2 * (1.0 + 1e-9);

  std::vector<std::vector<std::pair<double, int32_t>>> hits(nq);
  const std::size_t qleaves = qt.leaf_node.size();
  runtime::parallel_for(qleaves, 1, [&](std::size_t s0, std::size_t s1) {
    std::vector<float> apanel(MR * d);
    alignas(64) float tile[16 * 64];
    double qn[16], plo[64], phi[64];
    float worst[16];
    std::uint64_t masks[16];
    std::vector<std::size_t> cand, stack;
    for (std::size_t QL = s0; QL < s1; ++QL) {
      const std::size_t qv = qt.leaf_node[QL];
      const KdTree::Node& qnode = qt.nodes[qv];
      const double* qlo = qt.lo.data() + qv * d;
      const double* qhi = qt.hi.data() + qv * d;
      // base leaves within reach of this query leaf's box
      cand.clear();
      stack.assign(1, 0);
      while (!stack.empty()) {
        const std::size_t v = stack.back();
        stack.pop_back();
        if (box_gap2(qlo, qhi, bt.lo.data() + v * d, bt.hi.data() + v * d, d) > reach) continue;
        const KdTree::Node& nd = bt.nodes[v];
        if (nd.leaf >= 0) {
          cand.push_back(static_cast<std::size_t>(nd.leaf));
          continue;
        }
        stack.push_back(static_cast<std::size_t>(nd.right));
        stack.push_back(static_cast<std::size_t>(nd.left));
      }
      std::sort(cand.begin(), cand.end());
      for (std::size_t q0 = qnode.begin; q0 < qnode.end; q0 += MR) {
        const std::size_t mr = std::min(MR, qnode.end - q0);
        const bool boxed = d <= 64;
        if (boxed)
          for (std::size_t c = 0; c < d; ++c) {
            plo[c] = std::numeric_limits<double>::infinity();
            phi[c] = -std::numeric_limits<double>::infinity();
          }
        for (std::size_t i = 0; i < MR; ++i) {
          double s = 0;
          for (std::size_t c = 0; c < d; ++c) {
            const double v = i < mr ? a.queries.at(static_cast<std::size_t>(qt.order[q0 + i]), c) : 0.0;
            apanel[c * MR + i] = static_cast<float>(v);
            s += v * v;
            if (boxed && i < mr) {
              plo[c] = std::min(plo[c], v);
              phi[c] = std::max(phi[c], v);
            }
          }
          qn[i] = std::sqrt(s);
        }
        for (const std::size_t L : cand) {
          const std::size_t bv = bt.leaf_node[L];
          if (boxed && box_gap2(plo, phi, bt.lo.data() + bv * d, bt.hi.data() + bv * d, d) > reach) continue;
          const KdTree::Node& bn = bt.nodes[bv];
          const float* xn = sqnorm.data() + L * NR;
          const float* bpanel = packed.get() + L * panel_floats;
          // Candidates: keys below worst, the f32 just above the limit (the tile's keys are
          // dist^2 - ||q||^2 within eps, the bound search() uses); each decided exactly below.
          for (std::size_t i = 0; i < mr; ++i) {
            const double m = qn[i] + max_bnorm;
            const double limit = r2 - qn[i] * qn[i] + (2.0 * d + 16.0) * kU32 * m * m * 2.0;
            worst[i] = std::nextafter(static_cast<float>(limit), std::numeric_limits<float>::infinity());
          }
          if (kern.knn_tile != nullptr) {
            kern.knn_tile(d, apanel.data(), bpanel, xn, -2.0f, worst, tile, masks, mr);
          } else {
            kern.fn(d, apanel.data(), bpanel, tile, NR, -2.0f, 0.0f, mr, NR);
            for (std::size_t i = 0; i < mr; ++i) {
              masks[i] = 0;
              float* row = tile + i * NR;
              if (!finish_keys(row, xn, NR, worst[i])) continue;
              for (std::size_t jj = 0; jj < NR; ++jj)
                if (row[jj] < worst[i]) masks[i] |= std::uint64_t{1} << jj;
            }
          }
          for (std::size_t i = 0; i < mr; ++i) {
            const std::size_t q = static_cast<std::size_t>(qt.order[q0 + i]);
            for (std::uint64_t bits = masks[i]; bits != 0; bits &= bits - 1) {
              const std::size_t jj = static_cast<std::size_t>(__builtin_ctzll(bits));
              const std::size_t j = static_cast<std::size_t>(bt.order[bn.begin + jj]);
              if (a.exclude_self && j == q) continue;
              double s = 0;
              for (std::size_t c = 0; c < d; ++c) {
                const double t = a.queries.at(q, c) - a.base.at(j, c);
                s += t * t;
              }
              const double dist = a.metric == Metric::Euclidean ? std::sqrt(s) : s;
              if (dist <= a.radius) hits[q].emplace_back(dist, static_cast<int32_t>(j));
            }
          }
        }
        for (std::size_t i = 0; i < mr; ++i) {
          auto& h = hits[static_cast<std::size_t>(qt.order[q0 + i])];
          std::sort(h.begin(), h.end());
        }
      }
    }
  });
  std::size_t total = 0;
  for (std::size_t q = 0; q < nq; ++q) {
    total += hits[q].size();
    a.offsets[q + 1] = static_cast<double>(total);
  }
  *a.needed = static_cast<double>(total);
  if (total > a.capacity) return;
  runtime::parallel_for(nq, 256, [&](std::size_t s0, std::size_t s1) {
    for (std::size_t q = s0; q < s1; ++q) {
      std::size_t o = static_cast<std::size_t>(a.offsets[q]);
      for (const auto& h : hits[q]) {
        a.distances[o] = h.first;
        a.indices[o++] = h.second;
      }
    }
  });
}

}  // namespace kiln::knn
