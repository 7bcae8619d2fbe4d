// Packed, cache-blocked SGEMM (the BLIS loop structure, row-major):
//
//   task (rows i0..i1, cols j0..j1 of C), run on the pool
//     pc: K in slices of kc            (beta applies on the first slice only)
//       ic: rows in blocks of MC       -> pack A[MC x kc] into MR-tall panels (L3), once
//         jc: columns in blocks of NC  -> pack B[kc x NC] into NR-wide panels (stays in L2)
//           ir: MR-row panel of A      (stays in L1)
//             jr: NR-column panel of B (streams from L2)
//               micro-kernel: MR x NR tile of C in registers
//
// Each element of C is computed by one task in a fixed order, so results do not
// depend on the thread count.
#include "gemm.h"

#include <algorithm>
#include <cstring>

#include "../../runtime/aligned.h"
#include "../../runtime/cpu_features.h"
#include "../../runtime/thread_pool.h"
#include "microkernels.h"

namespace kiln::gemm {

namespace {

// Tuned on Zen 5 (48 KiB L1d, 1 MiB L2); see bench/README.md.
constexpr std::size_t KC = 256;             // k slice: a 6 x KC panel of A is 6 KiB (L1)
constexpr std::size_t MC = 1536;            // rows of A packed per k slice (L3); a multiple of every MR
constexpr std::size_t NC = 512;             // columns of B packed at once: KC x NC = 512 KiB (L2)
constexpr std::size_t kTasksPerThread = 2;  // some slack for a busy core, little re-packing

}  // namespace

namespace {

// Every register tile the kernels choose from, described once.
const MicroKernelSpec kAvx512{kMrAvx512,          kNrAvx512,
                              microkernel_avx512, microkernel_avx512_direct_a,
                              knn_tile_avx512,    microkernel_avx512_strided,
                              "avx512 6x64"};
const MicroKernelSpec kAvx512Short{kMrAvx512Short,
                                   kNrAvx512,
                                   nullptr,
                                   microkernel_avx512_4x64_direct_a,
                                   nullptr,
                                   microkernel_avx512_4x64_strided,
                                   "avx512 4x64",
                                   microkernel_avx512_4x64_strided_fused,
                                   microkernel_avx512_4x64_direct_a_fused};
const MicroKernelSpec kAvx2{
    kMrAvx2, kNrAvx2, microkernel_avx2, microkernel_avx2_direct_a, nullptr, microkernel_avx2_strided, "avx2 6x16"};
const MicroKernelSpec kScalar{kMrScalar, kNrScalar, microkernel_scalar, nullptr, nullptr, nullptr, "scalar 4x8"};

}  // namespace

const MicroKernelSpec& microkernel_for_cpu() {
  switch (runtime::cpu_features().level) {
    case runtime::SimdLevel::Avx512: return kAvx512;
    case runtime::SimdLevel::Avx2: return kAvx2;
    default: return kScalar;
  }
}

const MicroKernelSpec& in_place_tile_for_cpu() {
  return runtime::cpu_features().level == runtime::SimdLevel::Avx512 ? kAvx512Short : microkernel_for_cpu();
}

const MicroKernelSpec* avx2_tile() {
  const runtime::CpuFeatures& cpu = runtime::cpu_features();
  return cpu.avx2_fma && cpu.level != runtime::SimdLevel::Scalar ? &kAvx2 : nullptr;
}

namespace {

std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

// Pack op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels: panel[p * MR + i], zero-padded.
void pack_a(const SgemmArgs& g, std::size_t mr, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc,
            float* dst) {
  for (std::size_t ir = 0; ir < mc; ir += mr) {
    const std::size_t rows = std::min(mr, mc - ir);
    if (!g.trans_a) {
      for (std::size_t i = 0; i < rows; ++i) {
        const float* src = g.a + (i0 + ir + i) * g.lda + p0;
        for (std::size_t p = 0; p < kc; ++p) dst[p * mr + i] = src[p];
      }
    } else {
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = g.a + (p0 + p) * g.lda + i0 + ir;
        for (std::size_t i = 0; i < rows; ++i) dst[p * mr + i] = src[i];
      }
    }
    for (std::size_t i = rows; i < mr; ++i)
      for (std::size_t p = 0; p < kc; ++p) dst[p * mr + i] = 0.0f;
    dst += mr * kc;
  }
}

// Pack op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels: panel[p * NR + j], zero-padded.
void pack_b(const SgemmArgs& g, std::size_t nr, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc,
            float* dst) {
  for (std::size_t jr = 0; jr < nc; jr += nr) {
    const std::size_t cols = std::min(nr, nc - jr);
    if (!g.trans_b) {
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = g.b + (p0 + p) * g.ldb + j0 + jr;
        float* d = dst + p * nr;
        std::memcpy(d, src, cols * sizeof(float));
        for (std::size_t j = cols; j < nr; ++j) d[j] = 0.0f;
      }
    } else {
      for (std::size_t j = 0; j < cols; ++j) {
        const float* src = g.b + (j0 + jr + j) * g.ldb + p0;
        for (std::size_t p = 0; p < kc; ++p) dst[p * nr + j] = src[p];
      }
      for (std::size_t p = 0; p < kc; ++p)
        for (std::size_t j = cols; j < nr; ++j) dst[p * nr + j] = 0.0f;
    }
    dst += nr * kc;
  }
}

// Per-thread packing buffers, grown on demand and kept for the next call.
struct PackBuffers {
  runtime::AlignedBuffer<float> a, b;
  std::size_t a_size = 0, b_size = 0;
  float* get_a(std::size_t n) {
    if (n > a_size) a = runtime::aligned_alloc_array<float>(a_size = n);
    return a.get();
  }
  float* get_b(std::size_t n) {
    if (n > b_size) b = runtime::aligned_alloc_array<float>(b_size = n);
    return b.get();
  }
};

void run_block(const SgemmArgs& g, const MicroKernelSpec& kern, std::size_t i0, std::size_t i1, std::size_t j0,
               std::size_t j1) {
  thread_local PackBuffers buf;
  const std::size_t mr = kern.mr, nr = kern.nr;
  float* pa = buf.get_a(round_up(MC, mr) * KC);
  float* pb = buf.get_b(round_up(NC, nr) * KC);
  // Equal k slices of at most KC: a short last slice would pay a C-tile load and
  // store for few FMAs (K = 784 runs as 4 x 196, not 3 x 256 + 16).
  const std::size_t slices = (g.k + KC - 1) / KC;
  const std::size_t kc_step = (g.k + slices - 1) / slices;
  for (std::size_t pc = 0; pc < g.k; pc += kc_step) {
    const std::size_t kc = std::min(kc_step, g.k - pc);
    const float beta = pc == 0 ? g.beta : 1.0f;
    for (std::size_t ic = i0; ic < i1; ic += MC) {
      const std::size_t mc = std::min(MC, i1 - ic);
      const bool direct = !g.trans_a && kern.direct_a != nullptr;
      if (!direct) pack_a(g, mr, ic, mc, pc, kc, pa);
      for (std::size_t jc = j0; jc < j1; jc += NC) {
        const std::size_t nc = std::min(NC, j1 - jc);
        pack_b(g, nr, pc, kc, jc, nc, pb);
        for (std::size_t ir = 0; ir < mc; ir += mr) {
          const std::size_t rows = std::min(mr, mc - ir);
          for (std::size_t jr = 0; jr < nc; jr += nr) {
            float* c = g.c + (ic + ir) * g.ldc + jc + jr;
            const std::size_t cols = std::min(nr, nc - jr);
            if (direct) {
              kern.direct_a(kc, g.a + (ic + ir) * g.lda + pc, g.lda, pb + jr * kc, c, g.ldc, g.alpha, beta, rows, cols);
            } else {
              kern.fn(kc, pa + ir * kc, pb + jr * kc, c, g.ldc, g.alpha, beta, rows, cols);
            }
          }
        }
      }
    }
  }
}

// C = beta * C (k == 0 or alpha == 0: no product to add).
void scale_c(const SgemmArgs& g) {
  for (std::size_t i = 0; i < g.m; ++i) {
    float* row = g.c + i * g.ldc;
    for (std::size_t j = 0; j < g.n; ++j) row[j] = g.beta == 0.0f ? 0.0f : g.beta * row[j];
  }
}

}  // namespace

void sgemm_serial(const SgemmArgs& g) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0 || g.alpha == 0.0f) {
    scale_c(g);
    return;
  }
  run_block(g, microkernel_for_cpu(), 0, g.m, 0, g.n);
}

const char* sgemm_kernel_name() { return microkernel_for_cpu().name; }

void sgemm(const SgemmArgs& g) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0 || g.alpha == 0.0f) {
    scale_c(g);
    return;
  }
  const MicroKernelSpec& kern = microkernel_for_cpu();
  const std::size_t threads = runtime::thread_count();
  // Split C into a grid of tasks: rows first (each task re-packs its B blocks, so
  // tall tasks waste least), columns too when there are too few row tasks.
  const std::size_t want = threads == 1 ? 1 : threads * kTasksPerThread;
  const std::size_t min_rows = std::max<std::size_t>(kern.mr, 48);
  std::size_t row_tasks = std::max<std::size_t>(1, std::min(want, g.m / min_rows));
  const std::size_t rows_per = round_up((g.m + row_tasks - 1) / row_tasks, kern.mr);
  row_tasks = (g.m + rows_per - 1) / rows_per;
  std::size_t col_tasks = 1;
  if (row_tasks < want) {
    col_tasks = std::max<std::size_t>(1, std::min((want + row_tasks - 1) / row_tasks, g.n / (kern.nr * 2)));
  }
  const std::size_t cols_per = round_up((g.n + col_tasks - 1) / col_tasks, kern.nr);
  col_tasks = (g.n + cols_per - 1) / cols_per;
  // Tiny products are not worth waking a thread for.
  const double flops = 2.0 * g.m * g.n * g.k;
  const std::size_t grain = flops < 2e6 ? row_tasks * col_tasks : 1;
  runtime::parallel_for(row_tasks * col_tasks, grain, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t i0 = (t / col_tasks) * rows_per, j0 = (t % col_tasks) * cols_per;
      run_block(g, kern, i0, std::min(g.m, i0 + rows_per), j0, std::min(g.n, j0 + cols_per));
    }
  });
}

}  // namespace kiln::gemm
