// Argument conversion and checks for the binding. Every TypedArray length is
// checked against the shape the caller states before any kernel sees a pointer.
// Errors carry the stable KilnError codes; the TS layer turns them into KilnErrors.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::binding {

// Throws a JS Error whose `code` property is `code` (e.g. "E_SHAPE").
[[noreturn]] void throw_coded(Napi::Env env, const char* code, const std::string& message);

// A non-negative integer argument no larger than 2^31 - 1 per dimension.
std::size_t dim_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);
bool bool_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);
float float_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);

// rows * cols with an overflow check against the addressable size.
std::size_t checked_product(Napi::Env env, std::size_t rows, std::size_t cols, const char* name);

// A TypedArray of the given element type whose length must equal `length`.
Napi::TypedArray typed_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                 napi_typedarray_type type, std::size_t length);

// An Int32Array of `length` indices, each in [0, bound) (class codes, row orders); kept alive in `held`.
const std::int32_t* index_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                    std::size_t length, std::size_t bound, std::vector<Napi::Value>& held);

// A Float32Array or Float64Array of exactly `length` elements (kernels take either); one of
// f32 / f64 is set.
struct FloatArrayArg {
  Napi::TypedArray array;
  const float* f32 = nullptr;
  const double* f64 = nullptr;
};
FloatArrayArg float_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t length);

// Whether argument `index` is missing, null or undefined (an optional array left out).
bool absent(const Napi::CallbackInfo& info, std::size_t index);

// A Float64Array of exactly `len` elements (input or output), kept alive in `held`.
double* f64_out(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t len,
                std::vector<Napi::Value>& held);

}  // namespace kiln::binding
