// Packed, cache-blocked DGEMM, the sgemm's loop structure (native/kernels/gemm/gemm.cc) in f64:
//
//   task (rows i0..i1, cols j0..j1 of C, k slice p0..p1), run on the pool
//     pc: the slice in steps of at most KC  (beta applies on the first step only)
//       ic: rows in blocks of MC            -> pack A[MC x kc] into MR-tall panels
//         jc: columns in blocks of NC       -> pack B[kc x NC] into NR-wide panels
//           ir / jr: the MR x NR micro-kernel tile, in registers
//
// A product with few tiles of C and a long k (the Gram matrices of the mixture's M step, the
// range finder's Xᵀ T) has too few tasks to share: k is then cut into slices whose number
// depends on the shape only, each slice summed into its own buffer, the buffers added in
// order. Each element of C is computed in a fixed order, whatever the thread count.
#include "dgemm.h"

#include <algorithm>
#include <vector>

#include "../../runtime/aligned.h"
#include "../../runtime/cpu_features.h"
#include "../../runtime/thread_pool.h"
#include "dgemm_kernels.h"

namespace kiln::linalg {

namespace {

constexpr std::size_t KC = 256;             // an 8 x KC panel of A is 16 KiB (L1)
constexpr std::size_t MC = 768;             // rows of A packed per k step; a multiple of every MR (8, 6, 4)
constexpr std::size_t NC = 256;             // KC x NC of B is 512 KiB (L2)
constexpr std::size_t kTasksPerThread = 2;  // some slack for a busy core
constexpr std::size_t kSliceRows = 8192;    // k per slice at least, when k is sliced
constexpr std::size_t kMaxSlices = 16;
constexpr std::size_t kSmallC = 128 * 128;  // C this small (or smaller) may be sliced along k

void dgemm_kernel_scalar(std::size_t kc, const double* a, const double* b, double* c, std::size_t ldc, double alpha,
                         double beta, std::size_t mr, std::size_t nr) {
  constexpr std::size_t MR = kDMrScalar, NR = kDNrScalar;
  double acc[MR][NR] = {};
  for (std::size_t p = 0; p < kc; ++p) {
    for (std::size_t i = 0; i < MR; ++i)
      for (std::size_t j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    a += MR;
    b += NR;
  }
  for (std::size_t i = 0; i < mr; ++i) {
    double* row = c + i * ldc;
    for (std::size_t j = 0; j < nr; ++j) row[j] = alpha * acc[i][j] + (beta != 0.0 ? beta * row[j] : 0.0);
  }
}

struct KernelSpec {
  std::size_t mr, nr;
  DgemmKernel fn;
  const char* name;
};

const KernelSpec& kernel_for_cpu() {
  static const KernelSpec avx512{kDMrAvx512, kDNrAvx512, dgemm_kernel_avx512, "avx512 8x16"};
  static const KernelSpec avx2{kDMrAvx2, kDNrAvx2, dgemm_kernel_avx2, "avx2 6x8"};
  static const KernelSpec scalar{kDMrScalar, kDNrScalar, dgemm_kernel_scalar, "scalar 4x4"};
  switch (runtime::cpu_features().level) {
    case runtime::SimdLevel::Avx512: return avx512;
    case runtime::SimdLevel::Avx2: return avx2;
    default: return scalar;
  }
}

std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

// Pack op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels: panel[p * MR + i], zero-padded, widened to f64.
template <typename T>
void pack_a(const T* a, std::size_t lda, bool trans, std::size_t mr, std::size_t i0, std::size_t mc, std::size_t p0,
            std::size_t kc, double* dst) {
  for (std::size_t ir = 0; ir < mc; ir += mr) {
    const std::size_t rows = std::min(mr, mc - ir);
    if (!trans) {
      for (std::size_t i = 0; i < rows; ++i) {
        const T* src = a + (i0 + ir + i) * lda + p0;
        for (std::size_t p = 0; p < kc; ++p) dst[p * mr + i] = static_cast<double>(src[p]);
      }
    } else {
      for (std::size_t p = 0; p < kc; ++p) {
        const T* src = a + (p0 + p) * lda + i0 + ir;
        for (std::size_t i = 0; i < rows; ++i) dst[p * mr + i] = static_cast<double>(src[i]);
      }
    }
    for (std::size_t i = rows; i < mr; ++i)
      for (std::size_t p = 0; p < kc; ++p) dst[p * mr + i] = 0.0;
    dst += mr * kc;
  }
}

// Pack op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels: panel[p * NR + j], zero-padded, widened to f64.
template <typename T>
void pack_b(const T* b, std::size_t ldb, bool trans, std::size_t nr, std::size_t p0, std::size_t kc, std::size_t j0,
            std::size_t nc, double* dst) {
  for (std::size_t jr = 0; jr < nc; jr += nr) {
    const std::size_t cols = std::min(nr, nc - jr);
    if (!trans) {
      for (std::size_t p = 0; p < kc; ++p) {
        const T* src = b + (p0 + p) * ldb + j0 + jr;
        double* d = dst + p * nr;
        for (std::size_t j = 0; j < cols; ++j) d[j] = static_cast<double>(src[j]);
        for (std::size_t j = cols; j < nr; ++j) d[j] = 0.0;
      }
    } else {
      for (std::size_t j = 0; j < cols; ++j) {
        const T* src = b + (j0 + jr + j) * ldb + p0;
        for (std::size_t p = 0; p < kc; ++p) dst[p * nr + j] = static_cast<double>(src[p]);
      }
      for (std::size_t p = 0; p < kc; ++p)
        for (std::size_t j = cols; j < nr; ++j) dst[p * nr + j] = 0.0;
    }
    dst += nr * kc;
  }
}

void pack_a_any(const DgemmArgs& g, std::size_t mr, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc,
                double* dst) {
  if (g.a32 != nullptr) pack_a(g.a32, g.lda, g.trans_a, mr, i0, mc, p0, kc, dst);
  else pack_a(g.a, g.lda, g.trans_a, mr, i0, mc, p0, kc, dst);
}

void pack_b_any(const DgemmArgs& g, std::size_t nr, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc,
                double* dst) {
  if (g.b32 != nullptr) pack_b(g.b32, g.ldb, g.trans_b, nr, p0, kc, j0, nc, dst);
  else pack_b(g.b, g.ldb, g.trans_b, nr, p0, kc, j0, nc, dst);
}

// Per-thread packing buffers, grown on demand and kept for the next call.
struct PackBuffers {
  runtime::AlignedBuffer<double> a, b;
  std::size_t a_size = 0, b_size = 0;
  double* get_a(std::size_t n) {
    if (n > a_size) a = runtime::aligned_alloc_array<double>(a_size = n);
    return a.get();
  }
  double* get_b(std::size_t n) {
    if (n > b_size) b = runtime::aligned_alloc_array<double>(b_size = n);
    return b.get();
  }
};

// A Gram matrix AᵀA (the same array on both sides, C overwritten): only tiles touching the upper
// triangle are computed, then mirrored — half the work. Products commute and each sum runs in
// the same order, so the computed tiles are symmetric bit for bit anyway.
bool is_gram(const DgemmArgs& g) {
  const bool same = g.a32 != nullptr ? g.a32 == g.b32 : (g.a != nullptr && g.a == g.b);
  return same && g.trans_a && !g.trans_b && g.m == g.n && g.lda == g.ldb && g.beta == 0.0;
}

// c[i0:i1, j0:j1] = alpha * op(A)[i0:i1, p0:p1] * op(B)[p0:p1, j0:j1] + beta * c (c indexed like C).
// upper: tiles wholly below the diagonal are skipped (left unwritten).
void run_block(const DgemmArgs& g, const KernelSpec& kern, std::size_t i0, std::size_t i1, std::size_t j0,
               std::size_t j1, std::size_t p0, std::size_t p1, double* c, std::size_t ldc, double beta, bool upper) {
  thread_local PackBuffers buf;
  const std::size_t mr = kern.mr, nr = kern.nr;
  double* pa = buf.get_a(round_up(MC, mr) * KC);
  double* pb = buf.get_b(round_up(NC, nr) * KC);
  const std::size_t len = p1 - p0;
  const std::size_t steps = (len + KC - 1) / KC;
  const std::size_t kc_step = (len + steps - 1) / steps;  // equal steps: no short last one
  for (std::size_t pc = p0; pc < p1; pc += kc_step) {
    const std::size_t kc = std::min(kc_step, p1 - pc);
    const double b_now = pc == p0 ? beta : 1.0;
    for (std::size_t ic = i0; ic < i1; ic += MC) {
      const std::size_t mc = std::min(MC, i1 - ic);
      pack_a_any(g, mr, ic, mc, pc, kc, pa);
      for (std::size_t jc = j0; jc < j1; jc += NC) {
        const std::size_t nc = std::min(NC, j1 - jc);
        if (upper && jc + nc <= ic) continue;  // the whole block is below the diagonal
        pack_b_any(g, nr, pc, kc, jc, nc, pb);
        for (std::size_t ir = 0; ir < mc; ir += mr) {
          const std::size_t rows = std::min(mr, mc - ir);
          for (std::size_t jr = 0; jr < nc; jr += nr) {
            if (upper && jc + jr + std::min(nr, nc - jr) <= ic + ir) continue;
            kern.fn(kc, pa + ir * kc, pb + jr * kc, c + (ic + ir) * ldc + jc + jr, ldc, g.alpha, b_now, rows,
                    std::min(nr, nc - jr));
          }
        }
      }
    }
  }
}

// C = beta * C (k == 0 or alpha == 0: no product to add).
void scale_c(const DgemmArgs& g) {
  for (std::size_t i = 0; i < g.m; ++i) {
    double* row = g.c + i * g.ldc;
    for (std::size_t j = 0; j < g.n; ++j) row[j] = g.beta == 0.0 ? 0.0 : g.beta * row[j];
  }
}

}  // namespace

const char* dgemm_kernel_name() { return kernel_for_cpu().name; }

void dgemm(const DgemmArgs& g) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0 || g.alpha == 0.0) {
    scale_c(g);
    return;
  }
  const KernelSpec& kern = kernel_for_cpu();
  const bool gram = is_gram(g);
  // k slices: a function of the shape only (never of the thread count).
  const std::size_t slices =
      g.m * g.n <= kSmallC ? std::max<std::size_t>(1, std::min(kMaxSlices, g.k / kSliceRows)) : 1;
  const std::size_t slice_len = (g.k + slices - 1) / slices;
  const std::size_t threads = runtime::thread_count();
  const std::size_t want = threads == 1 ? 1 : threads * kTasksPerThread;
  const std::size_t tile_want = std::max<std::size_t>(1, (want + slices - 1) / slices);
  // Split C into a grid: rows first (each task re-packs its B blocks), columns when rows are few.
  const std::size_t min_rows = std::max<std::size_t>(kern.mr, 48);
  std::size_t row_tasks = std::max<std::size_t>(1, std::min(tile_want, g.m / min_rows));
  const std::size_t rows_per = round_up((g.m + row_tasks - 1) / row_tasks, kern.mr);
  row_tasks = (g.m + rows_per - 1) / rows_per;
  std::size_t col_tasks = 1;
  if (row_tasks < tile_want)
    col_tasks = std::max<std::size_t>(1, std::min((tile_want + row_tasks - 1) / row_tasks, g.n / (kern.nr * 2)));
  const std::size_t cols_per = round_up((g.n + col_tasks - 1) / col_tasks, kern.nr);
  col_tasks = (g.n + cols_per - 1) / cols_per;
  const std::size_t tiles = row_tasks * col_tasks;
  // Sliced: each slice's product into its own m x n buffer (ldc = n).
  std::vector<double> partial(slices > 1 ? slices * g.m * g.n : 0);
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
  const std::size_t total = slices * tiles;
  const std::size_t grain = flops < 2e6 ? total : 1;  // tiny products are not worth waking a thread for
  runtime::parallel_for(total, grain, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t s = t / tiles, tile = t % tiles;
      const std::size_t i0 = (tile / col_tasks) * rows_per, j0 = (tile % col_tasks) * cols_per;
      const std::size_t i1 = std::min(g.m, i0 + rows_per), j1 = std::min(g.n, j0 + cols_per);
      const std::size_t p0 = s * slice_len, p1 = std::min(g.k, p0 + slice_len);
      if (slices == 1) run_block(g, kern, i0, i1, j0, j1, 0, g.k, g.c, g.ldc, g.beta, gram);
      else if (p1 > p0) run_block(g, kern, i0, i1, j0, j1, p0, p1, partial.data() + s * g.m * g.n, g.n, 0.0, gram);
      else {
        for (std::size_t i = i0; i < i1; ++i)
          for (std::size_t j = j0; j < j1; ++j) partial[s * g.m * g.n + i * g.n + j] = 0.0;
      }
    }
  });
  if (slices > 1) {
    for (std::size_t i = 0; i < g.m; ++i) {
      double* row = g.c + i * g.ldc;
      for (std::size_t j = gram ? i : 0; j < g.n; ++j) {
        double sum = 0.0;
        for (std::size_t s = 0; s < slices; ++s) sum += partial[s * g.m * g.n + i * g.n + j];
        row[j] = g.beta == 0.0 ? sum : sum + g.beta * row[j];
      }
    }
  }
  if (gram)
    for (std::size_t i = 1; i < g.m; ++i)
      for (std::size_t j = 0; j < i; ++j) g.c[i * g.ldc + j] = g.c[j * g.ldc + i];
}

}  // namespace kiln::linalg
