// Causal multi-head attention with grouped-query heads, over the layouts the engine uses:
// q, out (B*T, NH*hd); k, v (B*T, NKV*hd); probs (B, NH, T, T). Query head h reads kv head
// h / (NH / NKV). The scale 1/sqrt(hd) is applied inside.
#pragma once

void attentionForward(float* out, float* probs, const float* q, const float* k, const float* v, int B, int T, int NH, int NKV, int hd);

// Gradients accumulate (+=) into dq, dk, dv.
void attentionBackward(float* dq, float* dk, float* dv, const float* dout, const float* probs, const float* q, const float* k,
                       const float* v, int B, int T, int NH, int NKV, int hd);

// Generation with a KV cache: Tq new queries at absolute positions pos0..pos0+Tq-1 attend to cached
// keys/values 0..pos0+Tq-1. q, out (Tq, NH*hd); kCache, vCache (>= pos0+Tq, NKV*hd).
void attentionCached(float* out, const float* q, const float* kCache, const float* vCache, int pos0, int Tq, int NH, int NKV, int hd);
