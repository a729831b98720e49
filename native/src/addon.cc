// N-API bindings of the engine's native kernels. Every function takes typed-array views and plain
// integers and returns undefined. The kernels trust their pointers, so each binding checks every
// argument here (arguments.h) before any native code reads or writes memory: types, sizes, and that
// each buffer holds what its shape needs. A failed check throws ENGINE_INVALID_ARGUMENT.
#include <node_api.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>
#include <cstdint>
#include <thread>
#include <vector>

#include "arguments.h"
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

// gemm(C, A, B, m, n, k, aRowStride, aColStride, bRowStride, bColStride, ldc, accumulate)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args a(env, info, "gemm");
  const View<float> C = a.floats(0, "C"), A = a.floats(1, "A"), B = a.floats(2, "B");
  const int m = a.size(3, "m"), n = a.size(4, "n"), k = a.size(5, "k");
  const int64_t ars = a.stride(6, "aRowStride"), acs = a.stride(7, "aColStride"), brs = a.stride(8, "bRowStride"), bcs = a.stride(9, "bColStride");
  const int64_t ldc = a.stride(10, "ldc");
  const bool accumulate = a.integer(11, "accumulate", 0, 1) != 0;
  // Rows of C are written by different threads: they must not overlap.
  if (a.ok && m > 1 && ldc < n) a.fail("ldc must be at least n when m > 1, got ldc " + std::to_string(ldc) + " and n " + std::to_string(n));
  a.holds(A, a.span({{m, ars}, {k, acs}}), "m, k and A's strides");
  a.holds(B, a.span({{k, brs}, {n, bcs}}), "k, n and B's strides");
  a.holds(C, a.span({{m, ldc}, {n, 1}}), "m, n and ldc");
  if (a.ok) gemmParallel(C.data, ldc, {A.data, ars, acs}, {B.data, brs, bcs}, m, n, k, accumulate);
  return nullptr;
}

// The sizes every attention export shares; checks the head layout and the int products the kernels use.
struct Heads {
  int NH, NKV, hd;
  uint64_t qs, ks;  // NH·hd and NKV·hd: one row of q and of k
};

Heads heads(Args& a, size_t at) {
  Heads h{a.positive(at, "NH"), a.positive(at + 1, "NKV"), a.positive(at + 2, "hd"), 0, 0};
  if (a.ok && h.NH % h.NKV != 0) a.fail("NH must be a multiple of NKV, got NH " + std::to_string(h.NH) + " and NKV " + std::to_string(h.NKV));
  h.qs = a.product({h.NH, h.hd});
  h.ks = a.product({h.NKV, h.hd});
  a.fitsInt(h.qs, "NH·hd");
  return h;
}

// attentionForward(out, probs, q, k, v, B, T, NH, NKV, hd)
napi_value AttentionForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "attentionForward");
  const View<float> out = a.floats(0, "out"), probs = a.floats(1, "probs"), q = a.floats(2, "q"), k = a.floats(3, "k"), v = a.floats(4, "v");
  const int B = a.size(5, "B"), T = a.size(6, "T");
  const Heads h = heads(a, 7);
  a.fitsInt(a.product({B, h.NKV}), "B·NKV");
  const uint64_t qRows = a.product({B, T, static_cast<int64_t>(h.qs)}), kRows = a.product({B, T, static_cast<int64_t>(h.ks)});
  a.holds(out, qRows, "(B·T, NH·hd)");
  a.holds(q, qRows, "(B·T, NH·hd)");
  a.holds(k, kRows, "(B·T, NKV·hd)");
  a.holds(v, kRows, "(B·T, NKV·hd)");
  a.holds(probs, a.product({B, h.NH, T, T}), "(B, NH, T, T)");
  if (a.ok) attentionForward(out.data, probs.data, q.data, k.data, v.data, B, T, h.NH, h.NKV, h.hd);
  return nullptr;
}

// attentionBackward(dq, dk, dv, dout, probs, q, k, v, B, T, NH, NKV, hd)
napi_value AttentionBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "attentionBackward");
  const View<float> dq = a.floats(0, "dq"), dk = a.floats(1, "dk"), dv = a.floats(2, "dv"), dout = a.floats(3, "dout"), probs = a.floats(4, "probs");
  const View<float> q = a.floats(5, "q"), k = a.floats(6, "k"), v = a.floats(7, "v");
  const int B = a.size(8, "B"), T = a.size(9, "T");
  const Heads h = heads(a, 10);
  a.fitsInt(a.product({B, h.NKV}), "B·NKV");
  const uint64_t qRows = a.product({B, T, static_cast<int64_t>(h.qs)}), kRows = a.product({B, T, static_cast<int64_t>(h.ks)});
  for (const View<float>* view : {&dq, &dout, &q}) a.holds(*view, qRows, "(B·T, NH·hd)");
  for (const View<float>* view : {&dk, &dv, &k, &v}) a.holds(*view, kRows, "(B·T, NKV·hd)");
  a.holds(probs, a.product({B, h.NH, T, T}), "(B, NH, T, T)");
  if (a.ok) attentionBackward(dq.data, dk.data, dv.data, dout.data, probs.data, q.data, k.data, v.data, B, T, h.NH, h.NKV, h.hd);
  return nullptr;
}

// attentionCached(out, q, kCache, vCache, pos0, Tq, NH, NKV, hd)
napi_value AttentionCached(napi_env env, napi_callback_info info) {
  Args a(env, info, "attentionCached");
  const View<float> out = a.floats(0, "out"), q = a.floats(1, "q"), kc = a.floats(2, "kCache"), vc = a.floats(3, "vCache");
  const int pos0 = a.size(4, "pos0"), Tq = a.size(5, "Tq");
  const Heads h = heads(a, 6);
  a.fitsInt(static_cast<uint64_t>(pos0) + Tq, "pos0 + Tq");
  const uint64_t qRows = a.product({Tq, static_cast<int64_t>(h.qs)}), cached = a.product({static_cast<int64_t>(pos0) + Tq, static_cast<int64_t>(h.ks)});
  a.holds(out, qRows, "(Tq, NH·hd)");
  a.holds(q, qRows, "(Tq, NH·hd)");
  a.holds(kc, cached, "(pos0 + Tq, NKV·hd)");
  a.holds(vc, cached, "(pos0 + Tq, NKV·hd)");
  if (a.ok) attentionCached(out.data, q.data, kc.data, vc.data, pos0, Tq, h.NH, h.NKV, h.hd);
  return nullptr;
}

// swigluForward(out, gate, up, n) / swigluBackward(dgate, dup, dout, gate, up, n)
napi_value SwigluForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "swigluForward");
  const View<float> out = a.floats(0, "out"), gate = a.floats(1, "gate"), up = a.floats(2, "up");
  const int64_t n = a.stride(3, "n");
  for (const View<float>* view : {&out, &gate, &up}) a.holds(*view, n, "n");
  if (a.ok) swigluForward(out.data, gate.data, up.data, n);
  return nullptr;
}

napi_value SwigluBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "swigluBackward");
  const View<float> dgate = a.floats(0, "dgate"), dup = a.floats(1, "dup"), dout = a.floats(2, "dout"), gate = a.floats(3, "gate"), up = a.floats(4, "up");
  const int64_t n = a.stride(5, "n");
  for (const View<float>* view : {&dgate, &dup, &dout, &gate, &up}) a.holds(*view, n, "n");
  if (a.ok) swigluBackward(dgate.data, dup.data, dout.data, gate.data, up.data, n);
  return nullptr;
}

// rmsnormForward(out, rstd, inp, weight, N, C, eps)
napi_value RmsnormForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "rmsnormForward");
  const View<float> out = a.floats(0, "out"), rstd = a.floats(1, "rstd"), inp = a.floats(2, "inp"), w = a.floats(3, "weight");
  const int N = a.size(4, "N"), C = a.size(5, "C");
  const float eps = static_cast<float>(a.number(6, "eps"));
  const uint64_t rows = a.product({N, C});
  a.holds(out, rows, "(N, C)");
  a.holds(inp, rows, "(N, C)");
  a.holds(rstd, N, "N");
  a.holds(w, C, "C");
  if (a.ok) rmsnormForward(out.data, rstd.data, inp.data, w.data, N, C, eps);
  return nullptr;
}

// rmsnormBackward(dinp, dweight, dout, inp, weight, rstd, N, C)
napi_value RmsnormBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "rmsnormBackward");
  const View<float> dinp = a.floats(0, "dinp"), dw = a.floats(1, "dweight"), dout = a.floats(2, "dout"), inp = a.floats(3, "inp");
  const View<float> w = a.floats(4, "weight"), rstd = a.floats(5, "rstd");
  const int N = a.size(6, "N"), C = a.size(7, "C");
  const uint64_t rows = a.product({N, C});
  for (const View<float>* view : {&dinp, &dout, &inp}) a.holds(*view, rows, "(N, C)");
  a.holds(dw, C, "C");
  a.holds(w, C, "C");
  a.holds(rstd, N, "N");
  if (a.ok) rmsnormBackward(dinp.data, dw.data, dout.data, inp.data, w.data, rstd.data, N, C);
  return nullptr;
}

// Target and teacher ids index rows of V logits: each must be below V (negative ones are skipped).
void idsBelow(Args& a, const View<int32_t>& ids, uint64_t count, int V) {
  if (!a.ok || !ids.present) return;
  for (uint64_t i = 0; i < count; i++) {
    if (ids.data[i] >= V) {
      a.fail(std::string(ids.name) + "[" + std::to_string(i) + "] is " + std::to_string(ids.data[i]) + ", outside a vocabulary of " +
             std::to_string(V) + "; pass token ids below V, or -1 for none");
      return;
    }
  }
}

// crossEntropyRows(rowLoss: Float64Array, dlogits: Float32Array | null, logits, targets: Int32Array, N, V, gradScale)
napi_value CrossEntropyRows(napi_env env, napi_callback_info info) {
  Args a(env, info, "crossEntropyRows");
  const View<double> rowLoss = a.doubles(0, "rowLoss");
  const View<float> dlogits = a.floats(1, "dlogits", true), logits = a.floats(2, "logits");
  const View<int32_t> targets = a.ints(3, "targets");
  const int N = a.size(4, "N"), V = a.size(5, "V");
  const float scale = static_cast<float>(a.number(6, "gradScale"));
  const uint64_t rows = a.product({N, V});
  a.holds(rowLoss, N, "N");
  a.holds(targets, N, "N");
  a.holds(logits, rows, "(N, V)");
  a.holds(dlogits, rows, "(N, V)");
  idsBelow(a, targets, N, V);
  if (a.ok) crossEntropyRows(rowLoss.data, dlogits.data, logits.data, targets.data, N, V, scale);
  return nullptr;
}

// adamwUpdate(params, grads, m, v, decay: Uint8Array, lr, beta1, beta2, eps, weightDecay, c1, c2)
napi_value AdamwUpdate(napi_env env, napi_callback_info info) {
  Args a(env, info, "adamwUpdate");
  const View<float> p = a.floats(0, "params"), g = a.floats(1, "grads"), m = a.floats(2, "m"), v = a.floats(3, "v");
  const View<uint8_t> decay = a.bytes(4, "decay");
  const float lr = a.number(5, "lr"), b1 = a.number(6, "beta1"), b2 = a.number(7, "beta2"), eps = a.number(8, "eps");
  const float wd = a.number(9, "weightDecay"), c1 = a.number(10, "c1"), c2 = a.number(11, "c2");
  // Every buffer is as long as the parameters.
  for (const View<float>* view : {&g, &m, &v}) a.holds(*view, p.length, "the parameter count");
  a.holds(decay, p.length, "the parameter count");
  if (a.ok) adamwUpdate(p.data, g.data, m.data, v.data, decay.data, static_cast<int64_t>(p.length), lr, b1, b2, eps, wd, c1, c2);
  return nullptr;
}

// distillationRows(rowLoss: Float64Array, dlogits | null, logits, teacherLogits | null, ids: Int32Array | null,
//                  logprobs | null, k, mask: Uint8Array, N, V, kind (0 kl, 1 rkl, 2 jsd), beta, tau, gradScale)
napi_value DistillationRows(napi_env env, napi_callback_info info) {
  Args a(env, info, "distillationRows");
  const View<double> rowLoss = a.doubles(0, "rowLoss");
  const View<float> dlogits = a.floats(1, "dlogits", true), logits = a.floats(2, "logits"), teacher = a.floats(3, "teacherLogits", true);
  const View<int32_t> ids = a.ints(4, "ids", true);
  const View<float> logprobs = a.floats(5, "logprobs", true);
  const int k = static_cast<int>(a.integer(6, "k", 0, INT_MAX - 1));
  const View<uint8_t> mask = a.bytes(7, "mask");
  const int N = a.size(8, "N"), V = a.size(9, "V");
  const int kind = static_cast<int>(a.integer(10, "kind (0 kl, 1 rkl, 2 jsd)", 0, 2));
  const double beta = a.number(11, "beta"), tau = a.number(12, "tau"), scale = a.number(13, "gradScale");
  const bool sparse = !teacher.present;
  if (a.ok && sparse && (!ids.present || !logprobs.present)) a.fail("give teacher logits, or sparse ids and log-probabilities");
  const uint64_t rows = a.product({N, V}), top = a.product({N, k});
  a.holds(rowLoss, N, "N");
  a.holds(mask, N, "N");
  a.holds(logits, rows, "(N, V)");
  a.holds(dlogits, rows, "(N, V)");
  a.holds(teacher, rows, "(N, V)");
  if (sparse) {
    a.holds(ids, top, "(N, k)");
    a.holds(logprobs, top, "(N, k)");
    idsBelow(a, ids, top, V);
  }
  // The kernel sizes its scratch by V and k: with no rows nothing is read, so nothing is allocated either.
  if (a.ok && N > 0)
    distillationRows(rowLoss.data, dlogits.data, logits.data, teacher.data, ids.data, logprobs.data, sparse ? k : 0, mask.data, N, V,
                     static_cast<DivergenceKind>(kind), beta, tau, scale);
  return nullptr;
}

const napi_type_tag kDecoderTag = {0x7065646967726565ULL, 0x6465636f64657231ULL};

// decoderCreate(data, offsets: Float64Array, dims: Int32Array [V, C, L, NH, NKV, hd, F, positions], eps, cos, sin, allowF16)
napi_value DecoderCreate(napi_env env, napi_callback_info info) {
  Args a(env, info, "decoderCreate");
  const View<float> data = a.floats(0, "data");
  const View<double> offsets = a.doubles(1, "offsets");
  const View<int32_t> dims = a.ints(2, "dims");
  const float eps = static_cast<float>(a.number(3, "eps"));
  const View<float> cos = a.floats(4, "cos"), sin = a.floats(5, "sin");
  const bool allowF16 = a.integer(6, "allowF16", 0, 1) != 0;
  if (!a.ok) return nullptr;
  if (dims.length != 8) return a.fail("dims must hold 8 integers");
  const DecoderShape shape{dims.data[0], dims.data[1], dims.data[2], dims.data[3], dims.data[4], dims.data[5], dims.data[6], dims.data[7], eps};
  for (size_t i = 0; i < 8; i++)
    if (dims.data[i] < 1) return a.fail("every dimension [V, C, L, NH, NKV, hd, F, positions] must be at least 1");
  if (shape.NH % shape.NKV != 0 || shape.hd % 2 != 0 || static_cast<int64_t>(shape.NH) * shape.hd != shape.C)
    return a.fail("inconsistent decoder shape: NH must be a multiple of NKV, hd even and NH·hd equal to C");
  const size_t tensors = 1 + kTensorsPerLayer * static_cast<size_t>(shape.L) + 2;
  if (offsets.length != tensors) return a.fail("offsets do not match the layer count");
  const uint64_t table = a.product({shape.positions, shape.hd / 2});
  a.holds(cos, table, "the RoPE table (positions, hd/2)");
  a.holds(sin, table, "the RoPE table (positions, hd/2)");
  a.fitsInt(a.product({shape.F, shape.C}), "F·C");
  a.fitsInt(a.product({shape.V, shape.C}), "V·C");
  if (!a.ok) return nullptr;
  const double total = static_cast<double>(data.length);
  // Every tensor must lie inside the parameters: its size follows from the shape and its place in the list.
  const double C = shape.C, KV = static_cast<double>(shape.NKV) * shape.hd, F = shape.F, V = shape.V;
  const double perLayer[kTensorsPerLayer] = {C, C * C, KV * C, KV * C, C * C, C, F * C, F * C, C * F};
  std::vector<int64_t> at(tensors);
  for (size_t i = 0; i < tensors; i++) {
    const double size = i == 0 || i == tensors - 1 ? V * C : i == tensors - 2 ? C : perLayer[(i - 1) % kTensorsPerLayer];
    const double offset = offsets.data[i];
    if (!(offset >= 0 && offset == std::floor(offset) && offset + size <= total)) return a.fail("a tensor lies outside the parameters");
    at[i] = static_cast<int64_t>(offset);
  }
  auto* decoder = new Decoder(shape, data.data, at.data(), cos.data, sin.data, allowF16);
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
  Args a(env, info, "decoderStep");
  bool tagged = false;
  if (a.argc < 1 || napi_check_object_type_tag(env, a.argv[0], &kDecoderTag, &tagged) != napi_ok || !tagged)
    return a.fail("expected a decoder handle from decoderCreate");
  void* raw = nullptr;
  napi_get_value_external(env, a.argv[0], &raw);
  auto* decoder = static_cast<Decoder*>(raw);
  const DecoderShape& s = decoder->shape();
  const int64_t token = a.integer(1, "token", INT_MIN, INT_MAX), pos = a.integer(2, "pos", INT_MIN, INT_MAX);
  const View<float> kc = a.floats(3, "kCache"), vc = a.floats(4, "vCache"), logits = a.floats(5, "logits");
  if (!a.ok) return nullptr;
  if (token < 0 || token >= s.V || pos < 0 || pos >= s.positions)
    return a.fail("token " + std::to_string(token) + " or position " + std::to_string(pos) + " out of range (vocabulary " +
                  std::to_string(s.V) + ", context " + std::to_string(s.positions) + ")");
  const uint64_t cache = a.product({s.L, s.positions, s.NKV, s.hd});
  if (kc.length < cache || vc.length < cache || logits.length < static_cast<size_t>(s.V))
    return a.fail("cache or logits buffer too short: the caches need (L, positions, NKV·hd) = " + std::to_string(cache) +
                  " floats and the logits V = " + std::to_string(s.V));
  decoder->step(static_cast<int>(token), static_cast<int>(pos), kc.data, vc.data, logits.data);
  return nullptr;
}

// setThreads(n) -> previous count
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a(env, info, "setThreads");
  const int previous = pool().size();
  const int64_t n = a.integer(0, "threads", 1, 64);
  if (!a.ok) return nullptr;
  pool().resize(static_cast<int>(n));
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
