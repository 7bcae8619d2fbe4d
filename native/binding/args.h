// Argument conversion and checks for the binding. Every TypedArray length is
// checked against the shape the caller states before any kernel sees a pointer.
// Errors carry the stable KilnError codes; the TS layer turns them into KilnErrors.
//
// One set of checks reads every argument: the *_value functions check one JS value, named
// in their messages; the *_arg functions apply them to positional arguments (info[index]),
// and ObjectArgs to the properties of an options object.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../runtime/rows.h"

namespace kiln::binding {

// Throws a JS Error whose `code` property is `code` (e.g. "E_SHAPE").
[[noreturn]] void throw_coded(Napi::Env env, const char* code, const std::string& message);

// rows * cols with an overflow check against the addressable size.
std::size_t checked_product(Napi::Env env, std::size_t rows, std::size_t cols, const char* name);

// The TypedArray type whose elements are T (float: Float32Array, int32_t: Int32Array, ...).
template <typename T>
struct TypedArrayOf;
template <>
struct TypedArrayOf<float> {
  static constexpr napi_typedarray_type type = napi_float32_array;
};
template <>
struct TypedArrayOf<double> {
  static constexpr napi_typedarray_type type = napi_float64_array;
};
template <>
struct TypedArrayOf<int8_t> {
  static constexpr napi_typedarray_type type = napi_int8_array;
};
template <>
struct TypedArrayOf<uint8_t> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
};
template <>
struct TypedArrayOf<int32_t> {
  static constexpr napi_typedarray_type type = napi_int32_array;
};
template <>
struct TypedArrayOf<uint32_t> {
  static constexpr napi_typedarray_type type = napi_uint32_array;
};

// ---- One value -------------------------------------------------------------------------------

// A number (E_PARAM), finite (E_NONFINITE).
double number_value(Napi::Env env, const Napi::Value& v, const char* name);
// A number that is an integer in [0, 2^31 - 1] (E_PARAM, NaN and infinities included).
std::size_t dim_value(Napi::Env env, const Napi::Value& v, const char* name);
// An object (E_PARAM).
Napi::Object object_value(Napi::Env env, const Napi::Value& v, const char* name);
// A TypedArray of the given element type (E_DTYPE) whose length must equal `length` (E_LENGTH;
// E_PARAM when the length is off because its buffer was detached).
Napi::TypedArray typed_array_value(Napi::Env env, const Napi::Value& v, const char* name, napi_typedarray_type type,
                                   std::size_t length);
// The same, of any length.
Napi::TypedArray typed_array_value(Napi::Env env, const Napi::Value& v, const char* name, napi_typedarray_type type);

// ---- Positional arguments (a missing argument reads as undefined) ----------------------------

// A non-negative integer argument no larger than 2^31 - 1 per dimension.
std::size_t dim_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);
bool bool_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);
// A finite number, at full f64 precision or rounded to f32.
double number_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);
float float_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name);

// A TypedArray of the given element type whose length must equal `length` (or of any length).
Napi::TypedArray typed_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                 napi_typedarray_type type, std::size_t length);
Napi::TypedArray typed_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                 napi_typedarray_type type);

// A T array of exactly `length` elements (input or output), kept alive in `held`.
template <typename T>
T* array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t length,
             std::vector<Napi::Value>& held) {
  Napi::TypedArray a = typed_array_arg(info, index, name, TypedArrayOf<T>::type, length);
  held.push_back(a);
  return a.As<Napi::TypedArrayOf<T>>().Data();
}

// A Float64Array of exactly `len` elements (input or output), kept alive in `held`.
inline double* f64_out(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t len,
                       std::vector<Napi::Value>& held) {
  return array_arg<double>(info, index, name, len, held);
}

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

// A rows x cols matrix of f32 or f64 values (a Float32Array or Float64Array), kept alive in `held`.
runtime::Rows rows_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t rows,
                       std::size_t cols, std::vector<Napi::Value>& held);

// Whether argument `index` is missing, null or undefined (an optional array left out).
bool absent(const Napi::CallbackInfo& info, std::size_t index);

// ---- Properties of an options object ---------------------------------------------------------

// Reads the properties of one object with the checks above, each named by its key; the arrays
// it returns are kept alive in `held`.
class ObjectArgs {
 public:
  ObjectArgs(Napi::Env env, Napi::Object object, std::vector<Napi::Value>& held)
      : env_(env), object_(object), held_(held) {}

  // Whether the property is there (neither null nor undefined).
  bool present(const char* key) const;
  // A finite number.
  double number(const char* key) const;
  // A finite number that is an integer in [0, 2^31 - 1].
  std::size_t dim(const char* key) const;
  // A nested options object, read the same way.
  ObjectArgs object(const char* key) const;
  // The length of a TypedArray property (any element type; E_DTYPE when it is not one).
  std::size_t length(const char* key) const;
  // A T array of exactly `length` elements; optional_array: or null when the property is absent.
  template <typename T>
  T* array(const char* key, std::size_t length) const {
    Napi::TypedArray a = typed_array_value(env_, get(key), key, TypedArrayOf<T>::type, length);
    held_.push_back(a);
    return a.As<Napi::TypedArrayOf<T>>().Data();
  }
  template <typename T>
  T* optional_array(const char* key, std::size_t length) const {
    return present(key) ? array<T>(key, length) : nullptr;
  }

 private:
  Napi::Value get(const char* key) const { return object_.Get(key); }

  Napi::Env env_;
  Napi::Object object_;
  std::vector<Napi::Value>& held_;
};

}  // namespace kiln::binding
