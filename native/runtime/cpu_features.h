// CPU feature detection, done once. KILN_CPU=scalar|avx2|avx512 caps the level
// (to test fallbacks on a machine that has more).
#pragma once
#include <string>

namespace kiln::runtime {

enum class SimdLevel { Scalar = 0, Avx2 = 1, Avx512 = 2 };

struct CpuFeatures {
  bool avx2_fma = false;                // AVX2 + FMA3, with OS support for YMM state
  bool avx512 = false;                  // AVX-512 F + BW + VL, with OS support for ZMM state
  SimdLevel level = SimdLevel::Scalar;  // best usable level after the KILN_CPU cap
};

const CpuFeatures& cpu_features();
const char* simd_level_name(SimdLevel level);

}  // namespace kiln::runtime
