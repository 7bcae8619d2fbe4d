// exp-based activations, in their own file: it is compiled with -ffast-math where
// glibc's vector math library (libmvec) is available, so exp and tanh vectorise.
// Inputs must be finite (the TS layer checks); results are within a few ulp of libm.
#pragma once
#include <cstddef>

#include "elementwise.h"

#include "../../runtime/simd_clones.h"

namespace kiln::elementwise {

// Elements per pool task: below this, waking a thread costs more than it saves.
constexpr std::size_t kGrain = 1 << 15;

// out[i] = sigmoid(x[i]) or tanh(x[i]) for i < n, on the calling thread.
void activation(UnaryOp op, const float* x, float* out, std::size_t n);

}  // namespace kiln::elementwise
