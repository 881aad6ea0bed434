/**
 * A minimal binary writer/reader for the per-agent state: unsigned LEB128 varints, float64 and length-prefixed UTF-8
 * strings. Every read is bounds-checked and throws on truncation, so foreign bytes fail closed.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buffer = new Uint8Array(4096);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer);
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  uint(value: number): void {
    let v = Math.max(0, Math.floor(value));
    this.ensure(8);
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  f64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** float32: enough for decayed counts and moments, half the bytes. */
  f32(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  bytes(data: Uint8Array): void {
    this.uint(data.length);
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  string(text: string): void {
    this.bytes(encoder.encode(text));
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(count: number): void {
    if (this.offset + count > this.data.length) throw new RangeError('behaviour state: truncated');
  }

  uint(max = Number.MAX_SAFE_INTEGER): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i += 1) {
      this.need(1);
      const byte = this.data[this.offset++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (result > max) throw new RangeError('behaviour state: value out of range');
        return result;
      }
      scale *= 0x80;
    }
    throw new RangeError('behaviour state: varint too long');
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    if (!Number.isFinite(value)) throw new RangeError('behaviour state: non-finite number');
    return value;
  }

  f32(): number {
    this.need(4);
    const value = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    if (!Number.isFinite(value)) throw new RangeError('behaviour state: non-finite number');
    return value;
  }

  bytes(maxLength: number): Uint8Array {
    const length = this.uint(maxLength);
    this.need(length);
    const out = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  string(maxLength = 256): string {
    return decoder.decode(this.bytes(maxLength));
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }
}
