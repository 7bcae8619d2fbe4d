#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace kiln::runtime {

namespace {

SimdLevel cap_from_env(SimdLevel detected) {
  const char* cap = std::getenv("KILN_CPU");
  if (cap == nullptr) return detected;
  SimdLevel wanted = detected;
  if (std::strcmp(cap, "scalar") == 0) wanted = SimdLevel::Scalar;
  else if (std::strcmp(cap, "avx2") == 0) wanted = SimdLevel::Avx2;
  else if (std::strcmp(cap, "avx512") == 0) wanted = SimdLevel::Avx512;
  return static_cast<int>(wanted) < static_cast<int>(detected) ? wanted : detected;
}

CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  // libgcc's __builtin_cpu_supports checks both CPUID bits and the OS-enabled
  // register state (XGETBV), so a kernel that hides ZMM state reports no AVX-512.
  __builtin_cpu_init();
  f.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  f.avx512 = f.avx2_fma && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl");
#endif
  SimdLevel detected = f.avx512 ? SimdLevel::Avx512 : f.avx2_fma ? SimdLevel::Avx2 : SimdLevel::Scalar;
  f.level = cap_from_env(detected);
  return f;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::Avx512: return "avx512";
    case SimdLevel::Avx2: return "avx2";
    default: return "scalar";
  }
}

}  // namespace kiln::runtime
