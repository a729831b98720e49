// Reading and checking the JavaScript arguments of a native export. The kernels index raw pointers,
// so every export checks here, once per call, that each argument has the right type, that sizes
// are non-negative integers that fit an int, that products of sizes do not overflow, and that every
// buffer holds at least what its shape needs. A failed check throws an Error shaped like the engine
// room's EngineError (name "EngineError", pedigree: true, code ENGINE_INVALID_ARGUMENT), and the
// export returns without touching memory.
#pragma once
#include <node_api.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
  const char* name = "";
  bool present = false;  // false for a null or undefined optional buffer
};

class Args {
 public:
  napi_env env;
  napi_value argv[16];
  size_t argc = 16;
  bool ok = true;

  Args(napi_env e, napi_callback_info info, const char* function) : env(e), function_(function) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) fail("cannot read the arguments");
  }

  View<float> floats(size_t i, const char* name, bool nullable = false) {
    return typed<float>(i, name, napi_float32_array, "a Float32Array", nullable);
  }
  View<double> doubles(size_t i, const char* name) { return typed<double>(i, name, napi_float64_array, "a Float64Array", false); }
  View<int32_t> ints(size_t i, const char* name, bool nullable = false) {
    return typed<int32_t>(i, name, napi_int32_array, "an Int32Array", nullable);
  }
  View<uint8_t> bytes(size_t i, const char* name) { return typed<uint8_t>(i, name, napi_uint8_array, "a Uint8Array", false); }

  // A finite number (learning rates, epsilons, temperatures).
  double number(size_t i, const char* name) {
    double value = 0;
    if (!ok) return 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &value) != napi_ok) {
      fail(std::string(name) + " must be a number");
      return 0;
    }
    if (!std::isfinite(value)) {
      fail(std::string(name) + " must be finite, got " + describe(value));
      return 0;
    }
    return value;
  }

  // An integer in [min, max]; fractions, NaN and infinities are refused rather than truncated.
  int64_t integer(size_t i, const char* name, int64_t min, int64_t max) {
    double value = 0;
    if (!ok) return 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &value) != napi_ok) {
      fail(std::string(name) + " must be a number");
      return 0;
    }
    if (!(value == std::floor(value)) || value < static_cast<double>(min) || value > static_cast<double>(max)) {
      fail(std::string(name) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got " + describe(value));
      return 0;
    }
    return static_cast<int64_t>(value);
  }

  // A size or count: a non-negative integer that fits the kernels' int.
  int size(size_t i, const char* name) { return static_cast<int>(integer(i, name, 0, INT_MAX)); }
  int positive(size_t i, const char* name) { return static_cast<int>(integer(i, name, 1, INT_MAX)); }

  // A stride or element count: a non-negative integer (up to 2^48, so that sums of products stay exact).
  int64_t stride(size_t i, const char* name) { return integer(i, name, 0, int64_t{1} << 48); }

  // Elements from the first to one past the last that (count, stride) pairs reach: 1 + Σ (count − 1)·stride,
  // or 0 when any count is 0 (nothing is touched).
  uint64_t span(std::initializer_list<std::pair<int64_t, int64_t>> extents) {
    uint64_t last = 0;
    for (const auto& [count, step] : extents) {
      if (count <= 0) return 0;
      uint64_t reach;
      if (__builtin_mul_overflow(static_cast<uint64_t>(count - 1), static_cast<uint64_t>(step), &reach) || __builtin_add_overflow(last, reach, &last)) {
        fail("the sizes and strides reach past 2^64");
        return UINT64_MAX;
      }
    }
    return last + 1;
  }

  // The product of sizes, or a failure when it overflows 64 bits (the buffer checks then fail too).
  uint64_t product(std::initializer_list<int64_t> factors) {
    uint64_t result = 1;
    for (const int64_t f : factors) {
      if (f < 0 || __builtin_mul_overflow(result, static_cast<uint64_t>(f), &result)) {
        fail("the sizes multiply past 2^64");
        return UINT64_MAX;
      }
    }
    return result;
  }

  // Requires that a present buffer holds at least `need` elements; `shape` says where need comes from.
  template <typename T>
  void holds(const View<T>& view, uint64_t need, const char* shape) {
    if (!ok || !view.present || view.length >= need) return;
    fail(std::string(view.name) + " holds " + std::to_string(view.length) + " elements but " + shape + " needs " + std::to_string(need) +
         "; pass a buffer that fits the shape");
  }

  // Requires that a product used as an int inside the kernels fits one.
  void fitsInt(uint64_t value, const char* what) {
    if (ok && value > static_cast<uint64_t>(INT_MAX)) fail(std::string(what) + " is too large for the kernels (" + std::to_string(value) + ")");
  }

  std::nullptr_t fail(const std::string& message);

 private:
  const char* function_;

  static std::string describe(double value) {
    if (std::isnan(value)) return "NaN";
    if (value == std::floor(value) && std::fabs(value) < 1e18) return std::to_string(static_cast<long long>(value));
    return std::to_string(value);
  }

  template <typename T>
  View<T> typed(size_t i, const char* name, napi_typedarray_type expected, const char* kind, bool nullable) {
    View<T> view;
    view.name = name;
    if (!ok) return view;
    napi_typedarray_type type;
    void* data = nullptr;
    // One N-API call on the common path; the kind of a refused value is looked up only then.
    if (i >= argc || napi_get_typedarray_info(env, argv[i], &type, &view.length, &data, nullptr, nullptr) != napi_ok || type != expected) {
      napi_valuetype valueType = napi_undefined;
      if (i < argc) napi_typeof(env, argv[i], &valueType);
      view.length = 0;
      if (nullable && (valueType == napi_null || valueType == napi_undefined)) return view;
      fail(std::string(name) + " must be " + kind + (nullable ? " or null" : ""));
      return view;
    }
    view.data = static_cast<T*>(data);
    view.present = true;
    return view;
  }
};

inline std::nullptr_t Args::fail(const std::string& message) {
  if (!ok) return nullptr;
  ok = false;
  const std::string text = std::string(function_) + ": " + message;
  napi_value code, msg, error, flag, name;
  napi_create_string_utf8(env, "ENGINE_INVALID_ARGUMENT", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, text.c_str(), text.size(), &msg);
  napi_create_error(env, code, msg, &error);
  napi_get_boolean(env, true, &flag);
  napi_set_named_property(env, error, "pedigree", flag);
  napi_create_string_utf8(env, "EngineError", NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, error, "name", name);
  napi_throw(env, error);
  return nullptr;
}
