{
  "targets": [
    {
      "target_name": "pedigree_kernels",
      "sources": ["native/src/addon.cc", "native/src/gemm.cc", "native/src/attention.cc", "native/src/elementwise.cc", "native/src/distillation.cc", "native/src/decoder.cc"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "cflags_cc": ["-O3", "-march=native", "-std=c++17", "-fno-math-errno"],
      "cflags!": ["-O2"],
      "cflags": ["-O3", "-march=native"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
