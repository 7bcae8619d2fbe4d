#include "knn_binding.h"

#include <string>

#include "../kernels/knn/knn.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

knn::Rows rows_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t rows,
                   std::size_t cols, Napi::TypedArray& held) {
  const FloatArrayArg x = float_array_arg(info, index, name, checked_product(info.Env(), rows, cols, name));
  held = x.array;
  knn::Rows r;
  r.rows = rows;
  r.cols = cols;
  r.f32 = x.f32;
  r.f64 = x.f64;
  return r;
}

Job parse_KnnSearch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  knn::SearchArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d");
  const std::size_t nq = dim_arg(info, 4, "nq");
  a.k = dim_arg(info, 5, "k");
  const std::size_t metric = dim_arg(info, 6, "metric");
  if (metric > 4) throw_coded(env, "E_PARAM", "metric must be in [0, 4], got " + std::to_string(metric));
  a.metric = static_cast<knn::Metric>(metric);
  a.exclude_self = bool_arg(info, 7, "excludeSelf");
  const std::size_t budget = dim_arg(info, 8, "budgetBytes");
  a.budget_bytes = budget;
  Napi::TypedArray base, queries, dist, idx;
  a.base = rows_arg(info, 0, "base", n, d, base);
  a.queries = rows_arg(info, 3, "queries", nq, d, queries);
  if (d == 0) throw_coded(env, "E_EMPTY", "points need at least one feature");
  if (a.exclude_self && nq != n) throw_coded(env, "E_SHAPE", "excludeSelf needs the queries to be the base");
  const std::size_t eligible = a.exclude_self ? n - 1 : n;
  if (a.k == 0 || a.k > eligible)
    throw_coded(env, "E_PARAM", "k must be in [1, " + std::to_string(eligible) + "], got " + std::to_string(a.k));
  dist = typed_array_arg(info, 9, "outDistances", napi_float64_array, checked_product(env, nq, a.k, "outDistances"));
  idx = typed_array_arg(info, 10, "outIndices", napi_int32_array, checked_product(env, nq, a.k, "outIndices"));
  a.distances = dist.As<Napi::Float64Array>().Data();
  a.indices = idx.As<Napi::Int32Array>().Data();
  // Optional: the base prepared by knnPrepare (same base, same metric).
  if (!absent(info, 11)) {
    Napi::TypedArray packed = typed_array_arg(info, 11, "packed", napi_float32_array, knn::packed_floats(n, d));
    Napi::TypedArray sqnorm = typed_array_arg(info, 12, "sqnorm", napi_float32_array, knn::padded_points(n));
    Napi::TypedArray norms = typed_array_arg(info, 13, "norms", napi_float64_array, n);
    knn::Prepared prep{packed.As<Napi::Float32Array>().Data(), sqnorm.As<Napi::Float32Array>().Data(),
                       norms.As<Napi::Float64Array>().Data()};
    return Job{[a, prep] { knn::search(a, &prep); }, {base, queries, dist, idx, packed, sqnorm, norms}};
  }
  return Job{[a] { knn::search(a); }, {base, queries, dist, idx}};
}

Job parse_KnnPrepare(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d");
  const std::size_t metric = dim_arg(info, 3, "metric");
  if (metric > 4) throw_coded(env, "E_PARAM", "metric must be in [0, 4], got " + std::to_string(metric));
  Napi::TypedArray base, packed, sqnorm, norms;
  const knn::Rows rows = rows_arg(info, 0, "base", n, d, base);
  packed = typed_array_arg(info, 4, "packed", napi_float32_array, knn::packed_floats(n, d));
  sqnorm = typed_array_arg(info, 5, "sqnorm", napi_float32_array, knn::padded_points(n));
  norms = typed_array_arg(info, 6, "norms", napi_float64_array, n);
  float* p = packed.As<Napi::Float32Array>().Data();
  float* s = sqnorm.As<Napi::Float32Array>().Data();
  double* nm = norms.As<Napi::Float64Array>().Data();
  const auto m = static_cast<knn::Metric>(metric);
  return Job{[rows, m, p, s, nm] { knn::prepare(rows, m, p, s, nm); }, {base, packed, sqnorm, norms}};
}

Napi::Value KnnLayout(const Napi::CallbackInfo& info) {
  const std::size_t n = dim_arg(info, 0, "n"), d = dim_arg(info, 1, "d");
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("packedFloats", static_cast<double>(knn::packed_floats(n, d)));
  o.Set("paddedPoints", static_cast<double>(knn::padded_points(n)));
  return o;
}

}  // namespace

KILN_ASYNC_AND_SYNC(KnnSearch, "knnSearch")
KILN_ASYNC_AND_SYNC(KnnPrepare, "knnPrepare")

Napi::Value KnnLayoutSync(const Napi::CallbackInfo& info) { return KnnLayout(info); }

}  // namespace kiln::binding
