// A bounds-checked little-endian cursor over the bytes read so far. Running past the end throws
// OutOfBytes, which the caller turns into "read more of the file" or GGUF_TRUNCATED.
export class OutOfBytes extends Error {
  constructor(readonly needed: number) {
    super(`needs ${needed} bytes`);
  }
}

export class ByteCursor {
  position = 0;

  /** @param fileSize the whole file's size, which may exceed the bytes read so far */
  constructor(readonly bytes: Buffer, readonly fileSize = bytes.length) {}

  private take(n: number): number {
    const at = this.position;
    if (at + n > this.bytes.length) throw new OutOfBytes(at + n);
    this.position = at + n;
    return at;
  }

  u8(): number { return this.bytes.readUInt8(this.take(1)); }
  i8(): number { return this.bytes.readInt8(this.take(1)); }
  u16(): number { return this.bytes.readUInt16LE(this.take(2)); }
  i16(): number { return this.bytes.readInt16LE(this.take(2)); }
  u32(): number { return this.bytes.readUInt32LE(this.take(4)); }
  i32(): number { return this.bytes.readInt32LE(this.take(4)); }
  f32(): number { return this.bytes.readFloatLE(this.take(4)); }
  f64(): number { return this.bytes.readDoubleLE(this.take(8)); }
  u64(): bigint { return this.bytes.readBigUInt64LE(this.take(8)); }
  i64(): bigint { return this.bytes.readBigInt64LE(this.take(8)); }

  /** A uint64 that must be a usable count or size; larger values are reported by the caller. */
  size(): number {
    const v = this.u64();
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  }

  /** gguf_string_t: uint64 length, then UTF-8 bytes. */
  string(): string {
    const length = this.size();
    if (length > this.fileSize) throw new OutOfBytes(Number.POSITIVE_INFINITY);
    const at = this.take(length);
    return this.bytes.toString("utf8", at, at + length);
  }
}
