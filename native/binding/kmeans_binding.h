#pragma once
#include <napi.h>

namespace kiln::binding {
// kmeansAssign(x, n, d, weights | null, centers, k, labels, dist2 | null, sums | null, weightSums | null,
// inertia | null): x is a Float32Array or Float64Array (n*d), weights a Float64Array (n), centers a
// Float64Array (k*d); outputs: labels Int32Array (n), dist2 Float64Array (n), sums Float64Array
// (k*d) with weightSums Float64Array (k), inertia Float64Array (1).
Napi::Value KmeansAssign(const Napi::CallbackInfo& info);
Napi::Value KmeansAssignSync(const Napi::CallbackInfo& info);
// kmeansDistances(x, n, d, centers, k, out): out Float64Array (n*k) of squared distances.
Napi::Value KmeansDistances(const Napi::CallbackInfo& info);
Napi::Value KmeansDistancesSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
