#include "args.h"

#include <cmath>
#include <limits>

namespace kiln::binding {

namespace {
const char* type_name(napi_typedarray_type type) {
  switch (type) {
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    default: return "a TypedArray of another type";
  }
}
}  // namespace

void throw_coded(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  throw err;
}

std::size_t dim_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || !info[index].IsNumber())
    throw_coded(env, "E_PARAM", std::string(name) + " must be a number");
  const double v = info[index].As<Napi::Number>().DoubleValue();
  if (!(v >= 0) || v != std::floor(v) || v > static_cast<double>(std::numeric_limits<int32_t>::max()))
    throw_coded(env, "E_PARAM", std::string(name) + " must be an integer in [0, 2^31-1], got " + std::to_string(v));
  return static_cast<std::size_t>(v);
}

bool bool_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsBoolean())
    throw_coded(info.Env(), "E_PARAM", std::string(name) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

float float_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsNumber())
    throw_coded(info.Env(), "E_PARAM", std::string(name) + " must be a number");
  const double v = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v)) throw_coded(info.Env(), "E_NONFINITE", std::string(name) + " must be finite");
  return static_cast<float>(v);
}

std::size_t checked_product(Napi::Env env, std::size_t rows, std::size_t cols, const char* name) {
  if (cols != 0 && rows > std::numeric_limits<std::size_t>::max() / 8 / cols)
    throw_coded(env, "E_SHAPE", std::string(name) + " is too large to address");
  return rows * cols;
}

Napi::TypedArray typed_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                 napi_typedarray_type type, std::size_t length) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || !info[index].IsTypedArray())
    throw_coded(env, "E_DTYPE", std::string(name) + " must be a " + type_name(type));
  Napi::TypedArray arr = info[index].As<Napi::TypedArray>();
  if (arr.TypedArrayType() != type)
    throw_coded(env, "E_DTYPE", std::string(name) + " must be a " + type_name(type) + ", got " +
                                    type_name(arr.TypedArrayType()));
  if (arr.ElementLength() != length && arr.ArrayBuffer().IsDetached())
    throw_coded(env, "E_PARAM", std::string(name) + "'s ArrayBuffer is detached (transferred with postMessage or "
                                "structuredClone); pass an array whose buffer this thread still owns");
  if (arr.ElementLength() != length)
    throw_coded(env, "E_LENGTH", std::string(name) + " has " + std::to_string(arr.ElementLength()) +
                                     " elements, expected " + std::to_string(length));
  return arr;
}

const std::int32_t* index_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                    std::size_t length, std::size_t bound, std::vector<Napi::Value>& held) {
  Napi::TypedArray arr = typed_array_arg(info, index, name, napi_int32_array, length);
  held.push_back(arr);
  const std::int32_t* data = arr.As<Napi::Int32Array>().Data();
  for (std::size_t i = 0; i < length; ++i)
    if (data[i] < 0 || static_cast<std::size_t>(data[i]) >= bound)
      throw_coded(info.Env(), "E_PARAM", std::string(name) + "[" + std::to_string(i) + "] = " + std::to_string(data[i]) +
                                             " is outside [0, " + std::to_string(bound) + ")");
  return data;
}

bool absent(const Napi::CallbackInfo& info, std::size_t index) {
  return info.Length() <= index || info[index].IsNull() || info[index].IsUndefined();
}

double* f64_out(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t len,
                std::vector<Napi::Value>& held) {
  Napi::TypedArray a = typed_array_arg(info, index, name, napi_float64_array, len);
  held.push_back(a);
  return a.As<Napi::Float64Array>().Data();
}

FloatArrayArg float_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t length) {
  const bool is_f64 = info.Length() > index && info[index].IsTypedArray() &&
                      info[index].As<Napi::TypedArray>().TypedArrayType() == napi_float64_array;
  FloatArrayArg a;
  a.array = typed_array_arg(info, index, name, is_f64 ? napi_float64_array : napi_float32_array, length);
  if (is_f64) a.f64 = a.array.As<Napi::Float64Array>().Data(); else a.f32 = a.array.As<Napi::Float32Array>().Data();
  return a;
}

}  // namespace kiln::binding
