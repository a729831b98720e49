// Context options that make llama.cpp's attention F32 on every CPU, so a GGUF file gives the same
// distributions on an AVX2 laptop and on an AVX-512/AMX server (llama.cpp as bundled with
// node-llama-cpp 3.21.1).
//
// Why the defaults depend on the CPU. node-llama-cpp asks for flash attention "auto", which the
// CPU backend always accepts, and an F16 KV cache. ggml-cpu/ops.cpp
// (ggml_compute_forward_flash_attn_ext_f16) then picks one of two kernels:
// - the tiled kernel: Q stays F32, K and V are widened to F32, sums are F32. Taken only for a
//   batch of at least GGML_FA_TILE_Q (64) queries whose head size is a multiple of the SIMD width
//   in floats (GGML_F32_EPR: 8 with AVX2, 16 with AVX-512);
// - otherwise the one-row kernel: Q rounded to F16, K·Q as F16 dot products, and the weighted sum
//   of V kept in an F16 vector that is rounded after every key (VKQ16, ggml_vec_mad_f16).
// A head size of 8 thus takes the tiled kernel with AVX2 and the one-row kernel with AVX-512 (the
// skylakex, icelake, zen4 and sapphirerapids builds): on a tiny GQA model the largest probability
// error against a float64 reference grows from 4.6e-4 to 2.6e-3. Short batches (fewer than 64
// tokens, and every generated token) take the one-row kernel on any CPU.
// An F32 cache alone does not help: with flash attention llama-graph.cpp casts F32 K and V to F16.
// With flash attention off and an F32 cache, K·Q, the softmax and the sum over V are ordinary F32
// products on every CPU; only the summation order follows the vector width.
//
// What does not depend on the CPU, and is left alone: F32 and F16 weights are never repacked (the
// CPU_REPACK and AMX buffer types hold only quantised types: Q4_0, Q4_K, Q8_0, IQ4_NL, …), and for
// F16 weights the activations are rounded to F16 before every matrix product (the F16
// `vec_dot_type`) with AVX2 and AVX-512 alike; that rounding is the F16 file's own precision.
//
// The price: an F32 cache takes twice the memory of an F16 one, and attention without flash
// attention is slower on long contexts. `exactAttention: false` restores llama.cpp's defaults.

/** llama.cpp context options for CPU-independent F32 attention (see above). */
export const exactAttentionContextOptions = {
  flashAttention: false,
  experimentalKvCacheKeyType: "F32",
  experimentalKvCacheValueType: "F32",
} as const;
