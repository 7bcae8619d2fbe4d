#pragma once
#include <napi.h>

namespace kiln::binding {
// sgemm(transA, transB, m, n, k, alpha, a, b, beta, c): Promise<void>, writes into c.
Napi::Value Sgemm(const Napi::CallbackInfo& info);
// The same, run on the calling thread (small problems, latency-critical paths).
Napi::Value SgemmSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
