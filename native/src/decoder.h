// One generation step of a Llama model in a single native call: embedding, every block and the
// output layer for ONE new token against the KV cache. Generation is memory-bound (each token reads
// every weight once), so the decoder keeps its own copy of the matrices, in F16 when every value is
// exactly an F16 number (any model loaded from an F16 GGUF), else in F32, as llama.cpp keeps the
// file's type. Products and sums are in F32.
#pragma once
#include <cstdint>
#include <vector>

struct DecoderShape {
  int V, C, L, NH, NKV, hd, F, positions;
  float eps;
};

// Offsets (in floats) of each tensor inside the flat parameter array, in this order:
// token_embd, then per layer attn_norm, wq, wk, wv, wo, ffn_norm, gate, up, down; output_norm, output.
constexpr int kTensorsPerLayer = 9;

class Decoder {
 public:
  // data: every parameter (F32); offsets: 1 + 9·L + 2 entries; cos/sin: RoPE tables (positions, hd/2).
  // allowF16: use F16 matrices when that is exact.
  Decoder(const DecoderShape& shape, const float* data, const int64_t* offsets, const float* cos, const float* sin, bool allowF16);

  bool f16() const { return f16_; }
  const DecoderShape& shape() const { return s_; }

  // Feeds `token` at position `pos`: writes its keys/values into kCache/vCache (L, positions, NKV·hd)
  // and the next-token logits (V) into `logits`.
  void step(int token, int pos, float* kCache, float* vCache, float* logits);

 private:
  struct Matrix {
    int64_t offset;  // into h_ or f_
    int rows, cols;
  };
  void gemv(float* y, const Matrix& w, const float* x) const;
  void embeddingRow(float* out, int token) const;
  void rmsnorm(float* out, const float* x, int64_t normOffset) const;
  void rope(float* x, int heads, int pos) const;
  void attend(float* out, const float* q, const float* kLayer, const float* vLayer, int pos);
  Matrix matrix(const float* data, int64_t offset, int rows, int cols);

  DecoderShape s_;
  bool f16_;
  std::vector<uint16_t> h_;
  std::vector<float> f_, norms_, cos_, sin_;
  Matrix embd_, output_;
  std::vector<Matrix> layerMats_;      // L × (wq, wk, wv, wo, gate, up, down)
  std::vector<int64_t> normOffsets_;   // into norms_: L × (attn, ffn), then output
  std::vector<float> x_, ln_, q_, att_, proj_, gate_, up_, scores_;
};
