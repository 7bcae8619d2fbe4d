#pragma once
#include <napi.h>

namespace kiln::binding {
// binary(op, a, aRows, aCols, b, bRows, bCols, out): op 0 add, 1 sub, 2 mul, 3 div;
// shapes broadcast numpy-style; out is the broadcast shape.
Napi::Value Binary(const Napi::CallbackInfo& info);
Napi::Value BinarySync(const Napi::CallbackInfo& info);
// unary(op, x, out, p0, p1): op 0 scale (by p0), 1 clamp [p0, p1], 2 relu, 3 sigmoid, 4 tanh.
Napi::Value Unary(const Napi::CallbackInfo& info);
Napi::Value UnarySync(const Napi::CallbackInfo& info);
// softmaxRows(x, rows, cols, out) and argmaxRows(x, rows, cols, out: Int32Array).
Napi::Value SoftmaxRows(const Napi::CallbackInfo& info);
Napi::Value SoftmaxRowsSync(const Napi::CallbackInfo& info);
Napi::Value ArgmaxRows(const Napi::CallbackInfo& info);
Napi::Value ArgmaxRowsSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
