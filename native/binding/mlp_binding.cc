#include "mlp_binding.h"

#include <memory>
#include <string>
#include <vector>

#include "../kernels/mlp/mlp.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

// The network description; `sizes` is copied so the Job owns it.
struct NetArgs {
  std::shared_ptr<std::vector<std::size_t>> sizes;
  mlp::Network net;
};

NetArgs net_arg(const Napi::CallbackInfo& info, std::vector<Napi::Value>& held) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throw_coded(env, "E_DTYPE", "sizes must be an Int32Array");
  Napi::TypedArray sizes = typed_array_arg(info, 0, "sizes", napi_int32_array);
  const std::size_t count = sizes.ElementLength();
  if (count < 2) throw_coded(env, "E_PARAM", "a network needs at least an input and an output size");
  NetArgs a;
  a.sizes = std::make_shared<std::vector<std::size_t>>(count);
  const int32_t* s = sizes.As<Napi::Int32Array>().Data();
  for (std::size_t i = 0; i < count; ++i) {
    if (s[i] < 1)
      throw_coded(
          env, "E_PARAM",
          "layer " + std::to_string(i) + " has width " + std::to_string(s[i]) + "; every layer needs at least 1 unit");
    (*a.sizes)[i] = static_cast<std::size_t>(s[i]);
  }
  const std::size_t hidden = dim_arg(info, 1, "hidden"), output = dim_arg(info, 2, "output");
  if (hidden > 3 || output > 1) throw_coded(env, "E_PARAM", "unknown activation or output code");
  a.net.layers = count - 1;
  a.net.sizes = a.sizes->data();
  a.net.hidden = static_cast<mlp::Activation>(hidden);
  a.net.output = static_cast<mlp::Output>(output);
  Napi::TypedArray params = typed_array_arg(info, 3, "params", napi_float32_array, mlp::param_count(a.net));
  held.push_back(params);
  a.net.params = params.As<Napi::Float32Array>().Data();
  return a;
}

// Sample weights at `index` (Float32Array of n, or null/undefined).
void weights_arg(const Napi::CallbackInfo& info, std::size_t index, mlp::Data& d, std::vector<Napi::Value>& held) {
  if (absent(info, index)) return;
  Napi::TypedArray w = typed_array_arg(info, index, "weights", napi_float32_array, d.n);
  held.push_back(w);
  d.weights = w.As<Napi::Float32Array>().Data();
}

mlp::Data data_arg(const Napi::CallbackInfo& info, const mlp::Network& net, std::vector<Napi::Value>& held) {
  Napi::Env env = info.Env();
  mlp::Data d;
  d.n = dim_arg(info, 5, "n");
  Napi::TypedArray x = typed_array_arg(info, 4, "x", napi_float32_array, checked_product(env, d.n, net.sizes[0], "x"));
  held.push_back(x);
  d.x = x.As<Napi::Float32Array>().Data();
  const std::size_t out = net.sizes[net.layers];
  if (net.output == mlp::Output::Softmax) {
    d.labels = index_array_arg(info, 6, "labels", d.n, out, held);
  } else {
    Napi::TypedArray t =
        typed_array_arg(info, 7, "targets", napi_float32_array, checked_product(env, d.n, out, "targets"));
    held.push_back(t);
    d.targets = t.As<Napi::Float32Array>().Data();
  }
  return d;
}

Job parse_MlpEpoch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  NetArgs na = net_arg(info, held);
  mlp::EpochArgs a;
  a.net = na.net;
  a.data = data_arg(info, a.net, held);
  a.order = index_array_arg(info, 8, "order", a.data.n, a.data.n, held);
  a.batch = dim_arg(info, 9, "batch");
  if (a.batch == 0) throw_coded(env, "E_PARAM", "batch must be at least 1");
  a.dropout = float_arg(info, 10, "dropout");
  if (!(a.dropout >= 0 && a.dropout < 1)) throw_coded(env, "E_PARAM", "dropout must be in [0, 1)");
  a.seed = static_cast<uint32_t>(dim_arg(info, 11, "seed"));
  const std::size_t solver = dim_arg(info, 12, "solver");
  if (solver > 1) throw_coded(env, "E_PARAM", "solver code must be 0 (sgd) or 1 (adam)");
  a.opt.solver = static_cast<mlp::Solver>(solver);
  a.opt.lr = float_arg(info, 13, "lr");
  a.opt.alpha = float_arg(info, 14, "alpha");
  a.opt.weight_decay = float_arg(info, 15, "weightDecay");
  a.opt.momentum = float_arg(info, 16, "momentum");
  a.opt.nesterov = bool_arg(info, 17, "nesterov");
  a.opt.beta1 = float_arg(info, 18, "beta1");
  a.opt.beta2 = float_arg(info, 19, "beta2");
  a.opt.eps = float_arg(info, 20, "eps");
  const std::size_t count = mlp::param_count(a.net);
  a.opt.m = array_arg<float>(info, 21, "m", count, held);
  a.opt.v = array_arg<float>(info, 22, "v", count, held);
  a.opt.step = array_arg<double>(info, 23, "step", 1, held);
  a.loss = array_arg<double>(info, 24, "loss", 1, held);
  weights_arg(info, 25, a.data, held);
  auto keep = na.sizes;
  return Job{[a, keep] { mlp::train_epoch(a); }, held};
}

Job parse_MlpForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  NetArgs na = net_arg(info, held);
  const std::size_t n = dim_arg(info, 5, "n");
  Napi::TypedArray x = typed_array_arg(info, 4, "x", napi_float32_array, checked_product(env, n, na.net.sizes[0], "x"));
  held.push_back(x);
  float* out = array_arg<float>(info, 6, "out", checked_product(env, n, na.net.sizes[na.net.layers], "out"), held);
  const float* px = x.As<Napi::Float32Array>().Data();
  mlp::Network net = na.net;
  auto keep = na.sizes;
  return Job{[net, px, n, out, keep] { mlp::forward(net, px, n, out); }, held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(MlpEpoch, "mlpEpoch")
KILN_ASYNC_AND_SYNC(MlpForward, "mlpForward")

Napi::Value MlpLossGradSync(const Napi::CallbackInfo& info) {
  std::vector<Napi::Value> held;
  NetArgs na = net_arg(info, held);
  mlp::Data d = data_arg(info, na.net, held);
  weights_arg(info, 11, d, held);
  const float alpha = float_arg(info, 8, "alpha");
  float* grad = array_arg<float>(info, 9, "grad", mlp::param_count(na.net), held);
  double* loss = array_arg<double>(info, 10, "loss", 1, held);
  *loss = mlp::loss_and_grad(na.net, d, alpha, grad);
  return info.Env().Undefined();
}

}  // namespace kiln::binding
