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

bool missing(const Napi::Value& v) { return v.IsNull() || v.IsUndefined(); }
}  // namespace

void throw_coded(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  throw err;
}

std::size_t checked_product(Napi::Env env, std::size_t rows, std::size_t cols, const char* name) {
  if (cols != 0 && rows > std::numeric_limits<std::size_t>::max() / 8 / cols)
    throw_coded(env, "E_SHAPE", std::string(name) + " is too large to address");
  return rows * cols;
}

// ---- One value

double number_value(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw_coded(env, "E_PARAM", std::string(name) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throw_coded(env, "E_NONFINITE", std::string(name) + " must be finite");
  return d;
}

std::size_t dim_value(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw_coded(env, "E_PARAM", std::string(name) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d != std::floor(d) || d > static_cast<double>(std::numeric_limits<int32_t>::max()))
    throw_coded(env, "E_PARAM", std::string(name) + " must be an integer in [0, 2^31-1], got " + std::to_string(d));
  return static_cast<std::size_t>(d);
}

Napi::Object object_value(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsObject()) throw_coded(env, "E_PARAM", std::string(name) + " must be an object");
  return v.As<Napi::Object>();
}

Napi::TypedArray typed_array_value(Napi::Env env, const Napi::Value& v, const char* name, napi_typedarray_type type) {
  if (!v.IsTypedArray()) throw_coded(env, "E_DTYPE", std::string(name) + " must be a " + type_name(type));
  Napi::TypedArray arr = v.As<Napi::TypedArray>();
  if (arr.TypedArrayType() != type)
    throw_coded(env, "E_DTYPE",
                std::string(name) + " must be a " + type_name(type) + ", got " + type_name(arr.TypedArrayType()));
  return arr;
}

Napi::TypedArray typed_array_value(Napi::Env env, const Napi::Value& v, const char* name, napi_typedarray_type type,
                                   std::size_t length) {
  Napi::TypedArray arr = typed_array_value(env, v, name, type);
  if (arr.ElementLength() != length && arr.ArrayBuffer().IsDetached())
    throw_coded(env, "E_PARAM",
                std::string(name) +
                    "'s ArrayBuffer is detached (transferred with postMessage or "
                    "structuredClone); pass an array whose buffer this thread still owns");
  if (arr.ElementLength() != length)
    throw_coded(env, "E_LENGTH",
                std::string(name) + " has " + std::to_string(arr.ElementLength()) + " elements, expected " +
                    std::to_string(length));
  return arr;
}

// ---- Positional arguments (info[index] is undefined past the last one)

std::size_t dim_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  return dim_value(info.Env(), info[index], name);
}

bool bool_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (!info[index].IsBoolean()) throw_coded(info.Env(), "E_PARAM", std::string(name) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

double number_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  return number_value(info.Env(), info[index], name);
}

float float_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  return static_cast<float>(number_arg(info, index, name));
}

Napi::TypedArray typed_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                 napi_typedarray_type type, std::size_t length) {
  return typed_array_value(info.Env(), info[index], name, type, length);
}

Napi::TypedArray typed_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                 napi_typedarray_type type) {
  return typed_array_value(info.Env(), info[index], name, type);
}

const std::int32_t* index_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name,
                                    std::size_t length, std::size_t bound, std::vector<Napi::Value>& held) {
  const std::int32_t* data = array_arg<int32_t>(info, index, name, length, held);
  for (std::size_t i = 0; i < length; ++i)
    if (data[i] < 0 || static_cast<std::size_t>(data[i]) >= bound)
      throw_coded(info.Env(), "E_PARAM",
                  std::string(name) + "[" + std::to_string(i) + "] = " + std::to_string(data[i]) + " is outside [0, " +
                      std::to_string(bound) + ")");
  return data;
}

bool absent(const Napi::CallbackInfo& info, std::size_t index) { return missing(info[index]); }

FloatArrayArg float_array_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t length) {
  const bool is_f64 =
      info[index].IsTypedArray() && info[index].As<Napi::TypedArray>().TypedArrayType() == napi_float64_array;
  FloatArrayArg a;
  a.array = typed_array_arg(info, index, name, is_f64 ? napi_float64_array : napi_float32_array, length);
  if (is_f64) a.f64 = a.array.As<Napi::Float64Array>().Data();
  else a.f32 = a.array.As<Napi::Float32Array>().Data();
  return a;
}

runtime::Rows rows_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name, std::size_t rows,
                       std::size_t cols, std::vector<Napi::Value>& held) {
  const FloatArrayArg x = float_array_arg(info, index, name, checked_product(info.Env(), rows, cols, name));
  held.push_back(x.array);
  runtime::Rows r;
  r.f32 = x.f32;
  r.f64 = x.f64;
  r.rows = rows;
  r.cols = cols;
  return r;
}

// ---- Properties of an options object

bool ObjectArgs::present(const char* key) const { return !missing(get(key)); }

double ObjectArgs::number(const char* key) const { return number_value(env_, get(key), key); }

std::size_t ObjectArgs::dim(const char* key) const {
  const Napi::Value v = get(key);
  number_value(env_, v, key);  // NaN and infinities: E_NONFINITE, as for every number property
  return dim_value(env_, v, key);
}

ObjectArgs ObjectArgs::object(const char* key) const {
  return ObjectArgs(env_, object_value(env_, get(key), key), held_);
}

std::size_t ObjectArgs::length(const char* key) const {
  const Napi::Value v = get(key);
  if (!v.IsTypedArray()) throw_coded(env_, "E_DTYPE", std::string(key) + " must be a TypedArray");
  return v.As<Napi::TypedArray>().ElementLength();
}

}  // namespace kiln::binding
