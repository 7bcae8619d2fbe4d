#include "elementwise_binding.h"

#include <string>

#include "../kernels/elementwise/elementwise.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

int op_arg(const Napi::CallbackInfo& info, std::size_t index, int max_op) {
  const std::size_t op = dim_arg(info, index, "op");
  if (op > static_cast<std::size_t>(max_op))
    throw_coded(info.Env(), "E_PARAM", "op must be in [0, " + std::to_string(max_op) + "], got " + std::to_string(op));
  return static_cast<int>(op);
}

float* f32(Napi::TypedArray a) { return a.As<Napi::Float32Array>().Data(); }

Job parse_Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto op = static_cast<elementwise::BinaryOp>(op_arg(info, 0, 3));
  const elementwise::Shape as{dim_arg(info, 2, "aRows"), dim_arg(info, 3, "aCols")};
  const elementwise::Shape bs{dim_arg(info, 5, "bRows"), dim_arg(info, 6, "bCols")};
  auto fits = [](std::size_t x, std::size_t y) { return x == y || x == 1 || y == 1; };
  if (!fits(as.rows, bs.rows) || !fits(as.cols, bs.cols) || as.rows * as.cols == 0 || bs.rows * bs.cols == 0)
    throw_coded(env, "E_SHAPE",
                "shapes " + std::to_string(as.rows) + "x" + std::to_string(as.cols) + " and " +
                    std::to_string(bs.rows) + "x" + std::to_string(bs.cols) + " do not broadcast");
  const std::size_t rows = std::max(as.rows, bs.rows), cols = std::max(as.cols, bs.cols);
  Napi::TypedArray a = typed_array_arg(info, 1, "a", napi_float32_array, checked_product(env, as.rows, as.cols, "a"));
  Napi::TypedArray b = typed_array_arg(info, 4, "b", napi_float32_array, checked_product(env, bs.rows, bs.cols, "b"));
  Napi::TypedArray out = typed_array_arg(info, 7, "out", napi_float32_array, checked_product(env, rows, cols, "out"));
  const float *pa = f32(a), *pb = f32(b);
  float* po = f32(out);
  return Job{[=] { elementwise::binary(op, pa, as, pb, bs, po); }, {a, b, out}};
}

Job parse_Unary(const Napi::CallbackInfo& info) {
  const auto op = static_cast<elementwise::UnaryOp>(op_arg(info, 0, 4));
  Napi::TypedArray x = typed_array_arg(info, 1, "x", napi_float32_array);
  const std::size_t n = x.ElementLength();
  Napi::TypedArray out = typed_array_arg(info, 2, "out", napi_float32_array, n);
  const float p0 = float_arg(info, 3, "p0"), p1 = float_arg(info, 4, "p1");
  const float* px = f32(x);
  float* po = f32(out);
  return Job{[=] { elementwise::unary(op, px, n, p0, p1, po); }, {x, out}};
}

Job parse_SoftmaxRows(const Napi::CallbackInfo& info) {
  const std::size_t rows = dim_arg(info, 1, "rows"), cols = dim_arg(info, 2, "cols");
  const std::size_t n = checked_product(info.Env(), rows, cols, "x");
  if (cols == 0) throw_coded(info.Env(), "E_EMPTY", "softmax needs at least one column");
  Napi::TypedArray x = typed_array_arg(info, 0, "x", napi_float32_array, n);
  Napi::TypedArray out = typed_array_arg(info, 3, "out", napi_float32_array, n);
  const float* px = f32(x);
  float* po = f32(out);
  return Job{[=] { elementwise::softmax_rows(px, rows, cols, po); }, {x, out}};
}

Job parse_ArgmaxRows(const Napi::CallbackInfo& info) {
  const std::size_t rows = dim_arg(info, 1, "rows"), cols = dim_arg(info, 2, "cols");
  if (cols == 0) throw_coded(info.Env(), "E_EMPTY", "argmax needs at least one column");
  Napi::TypedArray x = typed_array_arg(info, 0, "x", napi_float32_array, checked_product(info.Env(), rows, cols, "x"));
  Napi::TypedArray out = typed_array_arg(info, 3, "out", napi_int32_array, rows);
  const float* px = f32(x);
  int32_t* po = out.As<Napi::Int32Array>().Data();
  return Job{[=] { elementwise::argmax_rows(px, rows, cols, po); }, {x, out}};
}

}  // namespace

KILN_ASYNC_AND_SYNC(Binary, "binary")
KILN_ASYNC_AND_SYNC(Unary, "unary")
KILN_ASYNC_AND_SYNC(SoftmaxRows, "softmaxRows")
KILN_ASYNC_AND_SYNC(ArgmaxRows, "argmaxRows")

}  // namespace kiln::binding
