/**
 * A tiny pickle emitter: the protocol-2 opcodes a PyTorch state dict needs, each a method, in the order
 * the caller writes them. It knows nothing about torch; pth.ts composes the opcodes. Every opcode used
 * here is one that torch.load(weights_only=True) accepts (torch 1.13 and later).
 */
const encoder = new TextEncoder();

export class PickleWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  constructor(protocol = 2) {
    this.bytes(0x80, protocol); // PROTO
  }

  /** GLOBAL: pushes module.name (the reader resolves it; nothing is called until REDUCE). */
  global(module: string, name: string): this {
    this.bytes(0x63); // c
    this.raw(encoder.encode(`${module}\n${name}\n`));
    return this;
  }

  /** Pushes a str (BINUNICODE). */
  string(value: string): this {
    const utf8 = encoder.encode(value);
    this.bytes(0x58); // X
    this.uint32(utf8.length);
    this.raw(utf8);
    return this;
  }

  /** Pushes an int: BININT1 / BININT2 / BININT where they fit, else LONG1. */
  int(value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`pickle int must be a safe integer, got ${value}`);
    if (value >= 0 && value < 0x100) return this.bytes(0x4b, value); // K
    if (value >= 0 && value < 0x10000) return this.bytes(0x4d, value & 0xff, value >> 8); // M
    if (value >= -0x80000000 && value < 0x80000000) {
      this.bytes(0x4a); // J
      this.uint32(value >>> 0);
      return this;
    }
    const digits: number[] = []; // little-endian two's complement, as few bytes as keep the sign
    let rest = BigInt(value);
    do {
      digits.push(Number(rest & 0xffn));
      rest >>= 8n;
    } while (!(rest === 0n && digits[digits.length - 1]! < 0x80) && !(rest === -1n && digits[digits.length - 1]! >= 0x80));
    return this.bytes(0x8a, digits.length, ...digits); // LONG1
  }

  bool(value: boolean): this {
    return this.bytes(value ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
  }

  mark(): this {
    return this.bytes(0x28); // (
  }

  /** Pops everything since the last mark into a tuple. */
  tupleFromMark(): this {
    return this.bytes(0x74); // t
  }

  /** Pushes a tuple of ints (EMPTY_TUPLE, TUPLE1–3, or MARK … TUPLE). */
  intTuple(values: readonly number[]): this {
    if (values.length === 0) return this.emptyTuple();
    if (values.length > 3) this.mark();
    for (const v of values) this.int(v);
    return this.bytes(values.length > 3 ? 0x74 : 0x84 + values.length); // t, or TUPLE1 (0x85) … TUPLE3 (0x87)
  }

  emptyTuple(): this {
    return this.bytes(0x29); // )
  }

  /** Calls the callable under the argument tuple on top of the stack. */
  reduce(): this {
    return this.bytes(0x52); // R
  }

  /** Pops the key/value pairs since the last mark into the dict below them. */
  setItems(): this {
    return this.bytes(0x75); // u
  }

  /** Replaces the id on top of the stack by the reader's persistent object for it. */
  binPersId(): this {
    return this.bytes(0x51); // Q
  }

  /** Ends the pickle and returns its bytes. */
  stop(): Uint8Array {
    this.bytes(0x2e); // .
    return this.buffer.slice(0, this.length);
  }

  private bytes(...values: number[]): this {
    this.raw(values);
    return this;
  }

  private uint32(value: number): void {
    this.bytes(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
  }

  private raw(values: ArrayLike<number>): void {
    if (this.length + values.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + values.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(values, this.length);
    this.length += values.length;
  }
}
