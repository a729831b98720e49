// Row-wise and element-wise layers of the engine in C++ (the TypeScript versions in
// src/engine/layers/ are the reference). Work is split into a fixed number of chunks, so results do
// not depend on the thread count.
#pragma once
#include <cstdint>

void swigluForward(float* out, const float* gate, const float* up, int64_t n);
void swigluBackward(float* dgate, float* dup, const float* dout, const float* gate, const float* up, int64_t n);
void rmsnormForward(float* out, float* rstd, const float* inp, const float* weight, int N, int C, float eps);
void rmsnormBackward(float* dinp, float* dweight, const float* dout, const float* inp, const float* weight, const float* rstd, int N, int C);
// Masked softmax cross-entropy: rowLoss[n] = −log p(target) (0 when target < 0);
// dlogits += gradScale·(p − onehot) on rows with a target, when dlogits is not null.
void crossEntropyRows(double* rowLoss, float* dlogits, const float* logits, const int32_t* targets, int N, int V, float gradScale);
void adamwUpdate(float* params, const float* grads, float* m, float* v, const uint8_t* decay, int64_t n, float lr, float beta1,
                 float beta2, float eps, float weightDecay, float c1, float c2);
