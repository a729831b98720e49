// N-API bindings of the engine's native kernels. Every function takes Float32Array views and plain
// integers and returns undefined; shapes are checked on the TypeScript side (src/engine/kernels/).
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "attention.h"
#include "decoder.h"
#include "distillation.h"
#include "elementwise.h"
#include "gemm.h"
#include "thread-pool.h"

ThreadPool& pool() {
  static ThreadPool instance(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  return instance;
}

namespace {

struct Args {
  napi_env env;
  napi_value argv[16];
  size_t argc = 16;
  bool ok = true;

  Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr); }

  void* typed(size_t i, napi_typedarray_type expected, const char* message, bool nullable = false) {
    if (!ok || i >= argc) return fail(message);
    napi_valuetype kind;
    napi_typeof(env, argv[i], &kind);
    if (nullable && (kind == napi_null || kind == napi_undefined)) return nullptr;
    napi_typedarray_type type;
    size_t length;
    void* data;
    if (napi_get_typedarray_info(env, argv[i], &type, &length, &data, nullptr, nullptr) != napi_ok || type != expected)
      return fail(message);
    return data;
  }

  float* floats(size_t i, bool nullable = false) {
    return static_cast<float*>(typed(i, napi_float32_array, "expected a Float32Array", nullable));
  }

  double number(size_t i) {
    double value = 0;
    if (!ok || i >= argc || napi_get_value_double(env, argv[i], &value) != napi_ok) fail("expected a number");
    return value;
  }

  int64_t integer(size_t i) {
    int64_t value = 0;
    if (!ok || i >= argc || napi_get_value_int64(env, argv[i], &value) != napi_ok) fail("expected an integer");
    return value;
  }

  std::nullptr_t fail(const char* message) {
    if (ok) napi_throw_type_error(env, "ENGINE_NATIVE_ARGUMENT", message);
    ok = false;
    return nullptr;
  }
};

// gemm(C, A, B, m, n, k, aRowStride, aColStride, bRowStride, bColStride, ldc, accumulate)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *C = a.floats(0), *A = a.floats(1), *B = a.floats(2);
  const int m = a.integer(3), n = a.integer(4), k = a.integer(5);
  const MatrixView av{A, a.integer(6), a.integer(7)}, bv{B, a.integer(8), a.integer(9)};
  const int64_t ldc = a.integer(10);
  const bool accumulate = a.integer(11) != 0;
  if (a.ok) gemmParallel(C, ldc, av, bv, m, n, k, accumulate);
  return nullptr;
}

// attentionForward(out, probs, q, k, v, B, T, NH, NKV, hd)
napi_value AttentionForward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *out = a.floats(0), *probs = a.floats(1), *q = a.floats(2), *k = a.floats(3), *v = a.floats(4);
  const int B = a.integer(5), T = a.integer(6), NH = a.integer(7), NKV = a.integer(8), hd = a.integer(9);
  if (a.ok) attentionForward(out, probs, q, k, v, B, T, NH, NKV, hd);
  return nullptr;
}

// attentionBackward(dq, dk, dv, dout, probs, q, k, v, B, T, NH, NKV, hd)
napi_value AttentionBackward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *dq = a.floats(0), *dk = a.floats(1), *dv = a.floats(2), *dout = a.floats(3), *probs = a.floats(4);
  float *q = a.floats(5), *k = a.floats(6), *v = a.floats(7);
  const int B = a.integer(8), T = a.integer(9), NH = a.integer(10), NKV = a.integer(11), hd = a.integer(12);
  if (a.ok) attentionBackward(dq, dk, dv, dout, probs, q, k, v, B, T, NH, NKV, hd);
  return nullptr;
}

// attentionCached(out, q, kCache, vCache, pos0, Tq, NH, NKV, hd)
napi_value AttentionCached(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *out = a.floats(0), *q = a.floats(1), *kc = a.floats(2), *vc = a.floats(3);
  const int pos0 = a.integer(4), Tq = a.integer(5), NH = a.integer(6), NKV = a.integer(7), hd = a.integer(8);
  if (a.ok) attentionCached(out, q, kc, vc, pos0, Tq, NH, NKV, hd);
  return nullptr;
}

// swigluForward(out, gate, up, n) / swigluBackward(dgate, dup, dout, gate, up, n)
napi_value SwigluForward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *out = a.floats(0), *gate = a.floats(1), *up = a.floats(2);
  const int64_t n = a.integer(3);
  if (a.ok) swigluForward(out, gate, up, n);
  return nullptr;
}

napi_value SwigluBackward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *dgate = a.floats(0), *dup = a.floats(1), *dout = a.floats(2), *gate = a.floats(3), *up = a.floats(4);
  const int64_t n = a.integer(5);
  if (a.ok) swigluBackward(dgate, dup, dout, gate, up, n);
  return nullptr;
}

// rmsnormForward(out, rstd, inp, weight, N, C, eps)
napi_value RmsnormForward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *out = a.floats(0), *rstd = a.floats(1), *inp = a.floats(2), *w = a.floats(3);
  const int N = a.integer(4), C = a.integer(5);
  const float eps = a.number(6);
  if (a.ok) rmsnormForward(out, rstd, inp, w, N, C, eps);
  return nullptr;
}

// rmsnormBackward(dinp, dweight, dout, inp, weight, rstd, N, C)
napi_value RmsnormBackward(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *dinp = a.floats(0), *dw = a.floats(1), *dout = a.floats(2), *inp = a.floats(3), *w = a.floats(4), *rstd = a.floats(5);
  const int N = a.integer(6), C = a.integer(7);
  if (a.ok) rmsnormBackward(dinp, dw, dout, inp, w, rstd, N, C);
  return nullptr;
}

// crossEntropyRows(rowLoss: Float64Array, dlogits: Float32Array | null, logits, targets: Int32Array, N, V, gradScale)
napi_value CrossEntropyRows(napi_env env, napi_callback_info info) {
  Args a(env, info);
  double* rowLoss = static_cast<double*>(a.typed(0, napi_float64_array, "expected a Float64Array"));
  float *dlogits = a.floats(1, true), *logits = a.floats(2);
  const int32_t* targets = static_cast<int32_t*>(a.typed(3, napi_int32_array, "expected an Int32Array"));
  const int N = a.integer(4), V = a.integer(5);
  const float scale = a.number(6);
  if (a.ok) crossEntropyRows(rowLoss, dlogits, logits, targets, N, V, scale);
  return nullptr;
}

// adamwUpdate(params, grads, m, v, decay: Uint8Array, lr, beta1, beta2, eps, weightDecay, c1, c2)
napi_value AdamwUpdate(napi_env env, napi_callback_info info) {
  Args a(env, info);
  float *p = a.floats(0), *g = a.floats(1), *m = a.floats(2), *v = a.floats(3);
  const uint8_t* decay = static_cast<uint8_t*>(a.typed(4, napi_uint8_array, "expected a Uint8Array"));
  size_t length = 0;
  if (a.ok) napi_get_typedarray_info(env, a.argv[0], nullptr, &length, nullptr, nullptr, nullptr);
  const float lr = a.number(5), b1 = a.number(6), b2 = a.number(7), eps = a.number(8), wd = a.number(9), c1 = a.number(10), c2 = a.number(11);
  if (a.ok) adamwUpdate(p, g, m, v, decay, static_cast<int64_t>(length), lr, b1, b2, eps, wd, c1, c2);
  return nullptr;
}

// distillationRows(rowLoss: Float64Array, dlogits | null, logits, teacherLogits | null, ids: Int32Array | null,
//                  logprobs | null, k, mask: Uint8Array, N, V, kind (0 kl, 1 rkl, 2 jsd), beta, tau, gradScale)
napi_value DistillationRows(napi_env env, napi_callback_info info) {
  Args a(env, info);
  double* rowLoss = static_cast<double*>(a.typed(0, napi_float64_array, "expected a Float64Array"));
  float *dlogits = a.floats(1, true), *logits = a.floats(2), *teacher = a.floats(3, true);
  const int32_t* ids = static_cast<int32_t*>(a.typed(4, napi_int32_array, "expected an Int32Array", true));
  const float* logprobs = a.floats(5, true);
  const int k = a.integer(6);
  const uint8_t* mask = static_cast<uint8_t*>(a.typed(7, napi_uint8_array, "expected a Uint8Array"));
  const int N = a.integer(8), V = a.integer(9), kind = a.integer(10);
  const double beta = a.number(11), tau = a.number(12), scale = a.number(13);
  if (a.ok && !teacher && (!ids || !logprobs)) a.fail("give teacher logits or sparse ids and log-probabilities");
  if (a.ok && (kind < 0 || kind > 2)) a.fail("unknown divergence kind");
  if (a.ok) distillationRows(rowLoss, dlogits, logits, teacher, ids, logprobs, k, mask, N, V, static_cast<DivergenceKind>(kind), beta, tau, scale);
  return nullptr;
}

const napi_type_tag kDecoderTag = {0x7065646967726565ULL, 0x6465636f64657231ULL};

size_t lengthOf(napi_env env, napi_value value) {
  size_t length = 0;
  napi_get_typedarray_info(env, value, nullptr, &length, nullptr, nullptr, nullptr);
  return length;
}

// decoderCreate(data, offsets: Float64Array, dims: Int32Array [V, C, L, NH, NKV, hd, F, positions], eps, cos, sin, allowF16)
napi_value DecoderCreate(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* data = a.floats(0);
  const double* offsets = static_cast<double*>(a.typed(1, napi_float64_array, "expected a Float64Array"));
  const int32_t* dims = static_cast<int32_t*>(a.typed(2, napi_int32_array, "expected an Int32Array"));
  const float eps = a.number(3);
  const float *cos = a.floats(4), *sin = a.floats(5);
  const bool allowF16 = a.integer(6) != 0;
  if (!a.ok) return nullptr;
  if (lengthOf(env, a.argv[2]) != 8) return a.fail("dims must hold 8 integers");
  const DecoderShape shape{dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], dims[6], dims[7], eps};
  const size_t tensors = 1 + kTensorsPerLayer * static_cast<size_t>(shape.L) + 2;
  if (shape.L < 1 || shape.NKV < 1 || shape.NH % shape.NKV != 0 || shape.hd % 2 != 0 || shape.NH * shape.hd != shape.C)
    return a.fail("inconsistent decoder shape");
  if (lengthOf(env, a.argv[1]) != tensors) return a.fail("offsets do not match the layer count");
  const size_t table = static_cast<size_t>(shape.positions) * (shape.hd / 2);
  if (lengthOf(env, a.argv[4]) < table || lengthOf(env, a.argv[5]) < table) return a.fail("RoPE tables are too short");
  const double total = static_cast<double>(lengthOf(env, a.argv[0]));
  // Every tensor must lie inside the parameters: its size follows from the shape and its place in the list.
  const double C = shape.C, KV = static_cast<double>(shape.NKV) * shape.hd, F = shape.F, V = shape.V;
  const double perLayer[kTensorsPerLayer] = {C, C * C, KV * C, KV * C, C * C, C, F * C, F * C, C * F};
  std::vector<int64_t> at(tensors);
  for (size_t i = 0; i < tensors; i++) {
    const double size = i == 0 || i == tensors - 1 ? V * C : i == tensors - 2 ? C : perLayer[(i - 1) % kTensorsPerLayer];
    if (!(offsets[i] >= 0 && offsets[i] + size <= total)) return a.fail("a tensor lies outside the parameters");
    at[i] = static_cast<int64_t>(offsets[i]);
  }
  auto* decoder = new Decoder(shape, data, at.data(), cos, sin, allowF16);
  napi_value handle;
  napi_create_external(env, decoder, [](napi_env, void* p, void*) { delete static_cast<Decoder*>(p); }, nullptr, &handle);
  napi_type_tag_object(env, handle, &kDecoderTag);
  napi_value result, f16;
  napi_create_object(env, &result);
  napi_get_boolean(env, decoder->f16(), &f16);
  napi_set_named_property(env, result, "handle", handle);
  napi_set_named_property(env, result, "f16", f16);
  return result;
}

// decoderStep(handle, token, pos, kCache, vCache, logits)
napi_value DecoderStep(napi_env env, napi_callback_info info) {
  Args a(env, info);
  bool tagged = false;
  if (a.argc < 6 || napi_check_object_type_tag(env, a.argv[0], &kDecoderTag, &tagged) != napi_ok || !tagged)
    return a.fail("expected a decoder handle");
  void* raw = nullptr;
  napi_get_value_external(env, a.argv[0], &raw);
  auto* decoder = static_cast<Decoder*>(raw);
  const int64_t token = a.integer(1), pos = a.integer(2);
  float *kc = a.floats(3), *vc = a.floats(4), *logits = a.floats(5);
  if (!a.ok) return nullptr;
  const DecoderShape& s = decoder->shape();
  const size_t cache = static_cast<size_t>(s.L) * s.positions * s.NKV * s.hd;
  if (token < 0 || token >= s.V || pos < 0 || pos >= s.positions) return a.fail("token or position out of range");
  if (lengthOf(env, a.argv[3]) < cache || lengthOf(env, a.argv[4]) < cache || lengthOf(env, a.argv[5]) < static_cast<size_t>(s.V))
    return a.fail("cache or logits buffer too short");
  decoder->step(static_cast<int>(token), static_cast<int>(pos), kc, vc, logits);
  return nullptr;
}

// setThreads(n) -> previous count
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const int previous = pool().size();
  const int64_t n = a.integer(0);
  if (a.ok && n >= 1 && n <= 64) pool().resize(static_cast<int>(n));
  napi_value result;
  napi_create_int32(env, previous, &result);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionForward", nullptr, AttentionForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionBackward", nullptr, AttentionBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionCached", nullptr, AttentionCached, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"swigluForward", nullptr, SwigluForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"swigluBackward", nullptr, SwigluBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmsnormForward", nullptr, RmsnormForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmsnormBackward", nullptr, RmsnormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"crossEntropyRows", nullptr, CrossEntropyRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamwUpdate", nullptr, AdamwUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"distillationRows", nullptr, DistillationRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"decoderCreate", nullptr, DecoderCreate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"decoderStep", nullptr, DecoderStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
