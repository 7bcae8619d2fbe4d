#pragma once
#include <napi.h>

namespace kiln::binding {
// kmeansAssign(x, n, d, weights | null, centers, k, labels, dist2 | null, sums | null, weightSums | null,
// inertia | null): x is a Float32Array or Float64Array (n*d), weights a Float64Array (n), centers a
// Float64Array (k*d); outputs: labels Int32Array (n), dist2 Float64Array (n), sums Float64Array
// (k*d) with weightSums Float64Array (k), inertia Float64Array (1).
Napi::Value KmeansAssign(const Napi::CallbackInfo& info);
Napi::Value KmeansAssignSync(const Napi::CallbackInfo& info);
// kmeansAssignBounded(x, n, d, weights | null, centers, prevCenters | null, k, groups, labels, epoch,
// upper, lower, epochs, drift, driftNow, sums, weightSums, distances, dist2, out): one assignment
// with bounds (kmeans.h assign_bounded). labels, epoch (Int32Array n), upper (Float64Array n), lower
// (Float32Array n * (groups + 1)) and sums (Float64Array k * d) are state kept between calls; drift
// (Float64Array epochs * (k + groups + 1)) the rows driftNow (Float64Array k + groups + 1) returned so far;
// prevCenters the previous call's centres (null exactly when epochs is 0); out Float64Array (3):
// [inertia, rows whose label changed, 1 when dist2 and inertia were written].
Napi::Value KmeansAssignBounded(const Napi::CallbackInfo& info);
Napi::Value KmeansAssignBoundedSync(const Napi::CallbackInfo& info);
// kmeansDistances(x, n, d, centers, k, out): out Float64Array (n*k) of squared distances.
Napi::Value KmeansDistances(const Napi::CallbackInfo& info);
Napi::Value KmeansDistancesSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
