#include "knn_binding.h"

#include <string>

#include "../kernels/knn/knn.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

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
  std::vector<Napi::Value> held;
  a.base = rows_arg(info, 0, "base", n, d, held);
  a.queries = rows_arg(info, 3, "queries", nq, d, held);
  if (d == 0) throw_coded(env, "E_EMPTY", "points need at least one feature");
  if (a.exclude_self && nq != n) throw_coded(env, "E_SHAPE", "excludeSelf needs the queries to be the base");
  const std::size_t eligible = a.exclude_self ? n - 1 : n;
  if (a.k == 0 || a.k > eligible)
    throw_coded(env, "E_PARAM", "k must be in [1, " + std::to_string(eligible) + "], got " + std::to_string(a.k));
  a.distances = array_arg<double>(info, 9, "outDistances", checked_product(env, nq, a.k, "outDistances"), held);
  a.indices = array_arg<int32_t>(info, 10, "outIndices", checked_product(env, nq, a.k, "outIndices"), held);
  // Optional: the base prepared by knnPrepare (same base, same metric).
  if (!absent(info, 11)) {
    knn::Prepared prep;
    prep.packed = array_arg<float>(info, 11, "packed", knn::packed_floats(n, d), held);
    prep.sqnorm = array_arg<float>(info, 12, "sqnorm", knn::padded_points(n), held);
    prep.norms = array_arg<double>(info, 13, "norms", n, held);
    return Job{[a, prep] { knn::search(a, &prep); }, held};
  }
  return Job{[a] { knn::search(a); }, held};
}

Job parse_KnnPrepare(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d");
  const std::size_t metric = dim_arg(info, 3, "metric");
  if (metric > 4) throw_coded(env, "E_PARAM", "metric must be in [0, 4], got " + std::to_string(metric));
  std::vector<Napi::Value> held;
  const runtime::Rows rows = rows_arg(info, 0, "base", n, d, held);
  float* p = array_arg<float>(info, 4, "packed", knn::packed_floats(n, d), held);
  float* s = array_arg<float>(info, 5, "sqnorm", knn::padded_points(n), held);
  double* nm = array_arg<double>(info, 6, "norms", n, held);
  const auto m = static_cast<knn::Metric>(metric);
  return Job{[rows, m, p, s, nm] { knn::prepare(rows, m, p, s, nm); }, held};
}

// knnRadius(base, n, d, queries, nq, radius, metric, excludeSelf, offsets, indices, distances, needed
// [, packed, sqnorm, norms]): metric 0 sqeuclidean or 1 euclidean.
Job parse_KnnRadius(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  knn::RadiusArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d");
  const std::size_t nq = dim_arg(info, 4, "nq");
  a.radius = number_arg(info, 5, "radius");
  if (!(a.radius >= 0)) throw_coded(env, "E_PARAM", "radius must be >= 0, got " + std::to_string(a.radius));
  const std::size_t metric = dim_arg(info, 6, "metric");
  if (metric > 1)
    throw_coded(env, "E_PARAM",
                "radius queries run metric 0 (sqeuclidean) or 1 (euclidean), got " + std::to_string(metric));
  a.metric = static_cast<knn::Metric>(metric);
  a.exclude_self = bool_arg(info, 7, "excludeSelf");
  std::vector<Napi::Value> held;
  a.base = rows_arg(info, 0, "base", n, d, held);
  a.queries = rows_arg(info, 3, "queries", nq, d, held);
  if (d == 0) throw_coded(env, "E_EMPTY", "points need at least one feature");
  if (a.exclude_self && nq != n) throw_coded(env, "E_SHAPE", "excludeSelf needs the queries to be the base");
  a.offsets = array_arg<double>(info, 8, "offsets", nq + 1, held);
  const Napi::TypedArray idx = typed_array_arg(info, 9, "indices", napi_int32_array);
  a.capacity = idx.ElementLength();
  held.push_back(idx);
  a.indices = idx.As<Napi::TypedArrayOf<int32_t>>().Data();
  a.distances = array_arg<double>(info, 10, "distances", a.capacity, held);
  a.needed = array_arg<double>(info, 11, "needed", 1, held);
  if (!absent(info, 12)) {
    knn::Prepared prep;
    prep.packed = array_arg<float>(info, 12, "packed", knn::packed_floats(n, d), held);
    prep.sqnorm = array_arg<float>(info, 13, "sqnorm", knn::padded_points(n), held);
    prep.norms = array_arg<double>(info, 14, "norms", n, held);
    return Job{[a, prep] { knn::radius_search(a, &prep); }, held};
  }
  return Job{[a] { knn::radius_search(a); }, held};
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
KILN_ASYNC_AND_SYNC(KnnRadius, "knnRadius")

Napi::Value KnnLayoutSync(const Napi::CallbackInfo& info) { return KnnLayout(info); }

}  // namespace kiln::binding
