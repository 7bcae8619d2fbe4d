#pragma once
#include <napi.h>

namespace kiln::binding {
// knnSearch(base, n, d, queries, nq, k, metric, excludeSelf, budgetBytes, outDistances, outIndices):
// base / queries are Float32Array or Float64Array (n*d, nq*d); metric 0 sqeuclidean,
// 1 euclidean, 2 cosine, 3 inner product, 4 manhattan; outputs are a Float64Array
// and an Int32Array of nq*k.
Napi::Value KnnSearch(const Napi::CallbackInfo& info);
Napi::Value KnnSearchSync(const Napi::CallbackInfo& info);
// ...plus optional (packed, sqnorm, norms) from knnPrepare as arguments 11-13.
// knnPrepare(base, n, d, metric, packed, sqnorm, norms): packs the base once; sizes
// from knnLayout(n, d) -> { packedFloats, paddedPoints } (norms: n).
Napi::Value KnnPrepare(const Napi::CallbackInfo& info);
Napi::Value KnnPrepareSync(const Napi::CallbackInfo& info);
// knnRadius(base, n, d, queries, nq, radius, metric, excludeSelf, offsets, indices, distances, needed
// [, packed, sqnorm, norms]): CSR lists of the points within radius (metric 0 sqeuclidean, 1
// euclidean); offsets Float64Array (nq+1), indices Int32Array and distances Float64Array of one
// capacity; needed Float64Array (1) receives the total (lists are written only when it fits).
Napi::Value KnnRadius(const Napi::CallbackInfo& info);
Napi::Value KnnRadiusSync(const Napi::CallbackInfo& info);
Napi::Value KnnLayoutSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
