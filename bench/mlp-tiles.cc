// GFLOP/s of AVX-512 register tiles of several shapes on the MLP bench's per-part products (64-row
// parts, operands in L1): the figures behind the MLP's 4 x 64 tile (gemm::in_place_tile_for_cpu).
// M x K times K x N, A read row-major or, with TA set, transposed (the weight gradients act' * delta);
// B read in place; best of three runs of 20,000 products each.
// Run: g++ -O2 -std=c++17 -mavx512f -mavx512bw -mavx512vl -mfma -mavx2 -o /tmp/mlp-tiles bench/mlp-tiles.cc
//      for s in "64 128 128" "64 64 128" "128 64 128 1" "64 64 128 1"; do set -- $s; M=$1 K=$2 N=$3 TA=$4 /tmp/mlp-tiles; done
#include "../native/kernels/gemm/microkernel_avx512.cc"  // its tile template, at any shape

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using kiln::gemm::kernel;
using kiln::gemm::Src;

std::size_t env(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoul(v, nullptr, 10) : fallback;
}

}  // namespace

int main() {
  const std::size_t M = env("M", 64), K = env("K", 128), N = env("N", 128);
  const bool ta = env("TA", 0) != 0;
  std::vector<float> A(M * K), B(K * N), C(M * N);
  for (std::size_t i = 0; i < A.size(); ++i) A[i] = static_cast<float>(i % 97) / 97.0f;
  for (std::size_t i = 0; i < B.size(); ++i) B[i] = static_cast<float>(i % 89) / 89.0f;
  const auto time_tile = [&](const char* name, auto mr_c, auto nv_c) {
    constexpr int MR = decltype(mr_c)::value, NV = decltype(nv_c)::value;
    constexpr std::size_t NR = 16 * NV;
    const auto product = [&] {
      for (std::size_t jr = 0; jr < N; jr += NR)
        for (std::size_t ir = 0; ir < M; ir += MR) {
          const std::size_t m = std::min<std::size_t>(MR, M - ir);
          if (ta)
            kernel<MR, NV, Src::Strided>(K, A.data() + ir, 1, M, B.data() + jr, N, C.data() + ir * N + jr, N, 1.0f,
                                         0.0f, m, NR);
          else
            kernel<MR, NV, Src::Strided>(K, A.data() + ir * K, K, 1, B.data() + jr, N, C.data() + ir * N + jr, N, 1.0f,
                                         0.0f, m, NR);
        }
    };
    constexpr int kProducts = 20000;
    double best = 0;
    for (int run = 0; run < 3; ++run) {
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < kProducts; ++i) product();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best = std::max(best, 2.0 * M * N * K * kProducts / s / 1e9);
    }
    std::printf("%s %.1f  ", name, best);
  };
  std::printf("M=%zu K=%zu N=%zu%s  ", M, K, N, ta ? " (A transposed)" : "");
  using std::integral_constant;
  time_tile("6x64", integral_constant<int, 6>{}, integral_constant<int, 4>{});
  time_tile("4x64", integral_constant<int, 4>{}, integral_constant<int, 4>{});
  time_tile("8x32", integral_constant<int, 8>{}, integral_constant<int, 2>{});
  time_tile("3x64", integral_constant<int, 3>{}, integral_constant<int, 4>{});
  time_tile("2x64", integral_constant<int, 2>{}, integral_constant<int, 4>{});
  std::printf("C[0]=%g\n", static_cast<double>(C[0]));  // keeps the products
  return 0;
}
