#include "kmeans_binding.h"

#include <string>

#include "../kernels/kmeans/kmeans.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

Job parse_KmeansAssign(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kmeans::AssignArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d");
  a.k = dim_arg(info, 5, "k");
  if (d == 0) throw_coded(env, "E_EMPTY", "rows need at least one feature");
  if (a.k == 0) throw_coded(env, "E_PARAM", "k must be >= 1, got 0");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, d, held);
  if (!absent(info, 3)) a.weights = array_arg<double>(info, 3, "weights", n, held);
  a.centers = array_arg<double>(info, 4, "centers", checked_product(env, a.k, d, "centers"), held);
  a.labels = array_arg<int32_t>(info, 6, "labels", n, held);
  if (!absent(info, 7)) a.dist2 = array_arg<double>(info, 7, "dist2", n, held);
  if (!absent(info, 8)) {
    a.sums = array_arg<double>(info, 8, "sums", checked_product(env, a.k, d, "sums"), held);
    a.weight_sums = array_arg<double>(info, 9, "weightSums", a.k, held);
  }
  if (!absent(info, 10)) a.inertia = array_arg<double>(info, 10, "inertia", 1, held);
  return Job{[a] { kmeans::assign(a); }, held};
}

bool first_call_mismatch(const kmeans::BoundedArgs& a) { return (a.prev_centers == nullptr) != (a.epochs == 0); }

Job parse_KmeansAssignBounded(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kmeans::BoundedArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d");
  a.k = dim_arg(info, 6, "k");
  a.groups = dim_arg(info, 7, "groups");
  if (d == 0) throw_coded(env, "E_EMPTY", "rows need at least one feature");
  if (a.k == 0) throw_coded(env, "E_PARAM", "k must be >= 1, got 0");
  if (a.groups == 0 || 16 % a.groups != 0) throw_coded(env, "E_PARAM", "groups must be 1, 2, 4, 8 or 16");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, d, held);
  const std::size_t kd = checked_product(env, a.k, d, "centers");
  if (!absent(info, 3)) a.weights = array_arg<double>(info, 3, "weights", n, held);
  a.centers = array_arg<double>(info, 4, "centers", kd, held);
  if (!absent(info, 5)) a.prev_centers = array_arg<double>(info, 5, "prevCenters", kd, held);
  a.labels = array_arg<int32_t>(info, 8, "labels", n, held);
  a.epoch = array_arg<int32_t>(info, 9, "epoch", n, held);
  a.upper = array_arg<double>(info, 10, "upper", n, held);
  a.lower = array_arg<float>(info, 11, "lower", checked_product(env, n, a.groups + 1, "lower"), held);
  a.epochs = dim_arg(info, 12, "epochs");
  if (first_call_mismatch(a)) throw_coded(env, "E_PARAM", "prevCenters must be null exactly when epochs is 0");
  a.drift = array_arg<double>(info, 13, "drift", checked_product(env, a.epochs, a.k + a.groups + 1, "drift"), held);
  a.drift_now = array_arg<double>(info, 14, "driftNow", a.k + a.groups + 1, held);
  a.sums = array_arg<double>(info, 15, "sums", kd, held);
  a.weight_sums = array_arg<double>(info, 16, "weightSums", a.k, held);
  a.distances = bool_arg(info, 17, "distances");
  a.dist2 = array_arg<double>(info, 18, "dist2", n, held);
  double* out = array_arg<double>(info, 19, "out", 3, held);
  a.inertia = out;
  a.changed = out + 1;
  a.wrote_dist2 = out + 2;
  return Job{[a] { kmeans::assign_bounded(a); }, held};
}

Job parse_KmeansDistances(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t n = dim_arg(info, 1, "n"), d = dim_arg(info, 2, "d"), k = dim_arg(info, 4, "k");
  if (d == 0) throw_coded(env, "E_EMPTY", "rows need at least one feature");
  std::vector<Napi::Value> held;
  const runtime::Rows x = rows_arg(info, 0, "x", n, d, held);
  const double* c = array_arg<double>(info, 3, "centers", checked_product(env, k, d, "centers"), held);
  double* out = array_arg<double>(info, 5, "out", checked_product(env, n, k, "out"), held);
  return Job{[x, c, k, out] { kmeans::sq_distances(x, c, k, out); }, held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(KmeansAssign, "kmeansAssign")
KILN_ASYNC_AND_SYNC(KmeansAssignBounded, "kmeansAssignBounded")
KILN_ASYNC_AND_SYNC(KmeansDistances, "kmeansDistances")

}  // namespace kiln::binding
