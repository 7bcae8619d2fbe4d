#include "tsne_binding.h"

#include <string>

#include "../kernels/tsne/tsne.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

Job parse_TsneGradient(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  tsne::GradientArgs a;
  a.n = dim_arg(info, 4, "n");
  std::vector<Napi::Value> held;
  a.indptr = array_arg<int32_t>(info, 0, "indptr", a.n + 1, held);
  // The kernel walks rows by indptr: it must start at 0 and never step back.
  if (a.indptr[0] != 0) throw_coded(env, "E_PARAM", "indptr[0] must be 0, got " + std::to_string(a.indptr[0]));
  for (std::size_t i = 0; i < a.n; ++i)
    if (a.indptr[i + 1] < a.indptr[i])
      throw_coded(env, "E_PARAM", "indptr must be non-decreasing (row " + std::to_string(i) + ")");
  const auto nnz = static_cast<std::size_t>(a.indptr[a.n]);
  a.indices = index_array_arg(info, 1, "indices", nnz, a.n, held);
  a.values = array_arg<double>(info, 2, "values", nnz, held);
  a.y = array_arg<double>(info, 3, "y", checked_product(env, a.n, 2, "y"), held);
  a.angle = number_arg(info, 5, "angle");
  a.exaggeration = number_arg(info, 6, "exaggeration");
  if (!(a.angle >= 0 && a.angle <= 1)) throw_coded(env, "E_PARAM", "angle must be in [0, 1]");
  a.grad = array_arg<double>(info, 7, "grad", checked_product(env, a.n, 2, "grad"), held);
  double* kl = nullptr;
  if (!absent(info, 8)) kl = array_arg<double>(info, 8, "kl", 1, held);
  a.compute_error = kl != nullptr;
  return Job{[a, kl] {
               const double v = tsne::gradient(a);
               if (kl != nullptr) *kl = v;
             },
             held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(TsneGradient, "tsneGradient")

}  // namespace kiln::binding
