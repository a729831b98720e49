// Tensor data → Float32Array. Q8_0 blocks (ggml-quants.c block_q8_0): f16 scale d, then 32 int8
// values q; value = d · q.
import type { GgmlTypeName } from "./constants.js";
import { bfloat16ToFloat, halfToFloat } from "./half.js";

export function dequantize(bytes: Buffer, offset: number, type: GgmlTypeName, elements: number): Float32Array {
  const out = new Float32Array(elements);
  switch (type) {
    case "F32":
      for (let i = 0; i < elements; i++) out[i] = bytes.readFloatLE(offset + 4 * i);
      break;
    case "F16":
      for (let i = 0; i < elements; i++) out[i] = halfToFloat(bytes.readUInt16LE(offset + 2 * i));
      break;
    case "BF16":
      for (let i = 0; i < elements; i++) out[i] = bfloat16ToFloat(bytes.readUInt16LE(offset + 2 * i));
      break;
    case "Q8_0":
      for (let block = 0; block < elements / 32; block++) {
        const at = offset + block * 34;
        const scale = halfToFloat(bytes.readUInt16LE(at));
        for (let j = 0; j < 32; j++) out[block * 32 + j] = scale * bytes.readInt8(at + 2 + j);
      }
      break;
  }
  return out;
}
