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
Napi::Value KnnLayoutSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
