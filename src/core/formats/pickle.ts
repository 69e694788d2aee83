/**
 * A restricted unpickler: a pickle virtual machine (protocols 0–5) that turns pickle bytes into plain
 * JavaScript values and never executes or imports anything. A global (GLOBAL, STACK_GLOBAL, INST) is
 * resolved only from the caller's allow-list of pure TypeScript builders; any other global is refused
 * the moment its opcode is read, before anything could call it. The machine is a loop over opcodes with
 * explicit stacks (no recursion), and hostile input is bounded: stack, memo and container sizes,
 * integer lengths, and every length field is checked against the end of the data.
 */
import { WeightFileError } from '../errors';

/**
 * A Python value as plain JavaScript: None → null, bool → boolean, int → number (bigint beyond ±2^53),
 * float → number, str → string, bytes/bytearray → Uint8Array, list → array, tuple → frozen array,
 * dict → Map, set → Set, frozenset → frozen Set, an allow-listed global → PickleGlobal, and whatever the
 * caller's builders and persistentLoad return. A memoized value referenced twice is the same JS object.
 */
export type PickleValue = null | boolean | number | bigint | string | object;

/** Builds a plain value from the arguments of REDUCE or NEWOBJ; must be pure. */
export type GlobalBuilder = (args: readonly PickleValue[]) => PickleValue;

/** What GLOBAL / STACK_GLOBAL push for an allow-listed global. */
export class PickleGlobal {
  constructor(
    readonly qualifiedName: string,
    /** null: the global may be referenced as a value (e.g. a storage type) but not called. */
    readonly builder: GlobalBuilder | null,
  ) {}
}

export interface UnpickleOptions {
  /** Named in every error. */
  readonly file: string;
  /** 'module.name' → builder (or null for reference-only globals). Every other global is refused. */
  readonly globals: ReadonlyMap<string, GlobalBuilder | null>;
  /** Resolves the ids of PERSID / BINPERSID; without it persistent ids are refused. */
  readonly persistentLoad?: (pid: PickleValue) => PickleValue;
}

export const PICKLE_LIMITS = {
  /** Values on the stack, counting those set aside by MARK and the marks themselves. */
  maxStack: 1_000_000,
  maxMemo: 1_000_000,
  /** Items put into lists, tuples, dicts and sets over the whole pickle. */
  maxContainerItems: 10_000_000,
  /** Decimal digits of a text integer (Python's own int/str limit). */
  maxIntDigits: 4300,
  /** Bytes of a binary integer (LONG1 / LONG4). */
  maxIntBytes: 4096,
} as const;

const OP = {
  MARK: 0x28, // (
  STOP: 0x2e, // .
  POP: 0x30, // 0
  POP_MARK: 0x31, // 1
  DUP: 0x32, // 2
  FLOAT: 0x46, // F
  INT: 0x49, // I
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  LONG: 0x4c, // L
  BININT2: 0x4d, // M
  NONE: 0x4e, // N
  PERSID: 0x50, // P
  BINPERSID: 0x51, // Q
  REDUCE: 0x52, // R
  STRING: 0x53, // S
  BINSTRING: 0x54, // T
  SHORT_BINSTRING: 0x55, // U
  UNICODE: 0x56, // V
  BINUNICODE: 0x58, // X
  APPEND: 0x61, // a
  BUILD: 0x62, // b
  GLOBAL: 0x63, // c
  DICT: 0x64, // d
  EMPTY_DICT: 0x7d, // }
  APPENDS: 0x65, // e
  GET: 0x67, // g
  BINGET: 0x68, // h
  INST: 0x69, // i
  LONG_BINGET: 0x6a, // j
  LIST: 0x6c, // l
  EMPTY_LIST: 0x5d, // ]
  OBJ: 0x6f, // o
  PUT: 0x70, // p
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  SETITEM: 0x73, // s
  TUPLE: 0x74, // t
  EMPTY_TUPLE: 0x29, // )
  SETITEMS: 0x75, // u
  BINFLOAT: 0x47, // G
  PROTO: 0x80,
  NEWOBJ: 0x81,
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  LONG4: 0x8b,
  BINBYTES: 0x42, // B
  SHORT_BINBYTES: 0x43, // C
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  BINBYTES8: 0x8e,
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  FROZENSET: 0x91,
  NEWOBJ_EX: 0x92,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,
} as const;

/** Valid opcodes we refuse: they need a class registry, instantiate classes, or out-of-band buffers. */
const REFUSED: ReadonlyMap<number, string> = new Map([
  [OP.INST, 'INST'],
  [OP.OBJ, 'OBJ'],
  [OP.EXT1, 'EXT1'],
  [OP.EXT2, 'EXT2'],
  [OP.EXT4, 'EXT4'],
  [OP.NEXT_BUFFER, 'NEXT_BUFFER'],
  [OP.READONLY_BUFFER, 'READONLY_BUFFER'],
]);

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Runs the pickle in `bytes` and returns the value STOP leaves. Throws WeightFileErrors naming the file. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PickleValue {
  return new Machine(bytes, options).run();
}

/**
 * Runs the pickle at the start of `bytes` and also says how many bytes it took, so that a stream of
 * pickles one after another (torch's legacy format) can be read pickle by pickle.
 */
export function unpicklePrefix(bytes: Uint8Array, options: UnpickleOptions): { value: PickleValue; length: number } {
  const machine = new Machine(bytes, options);
  const value = machine.run();
  return { value, length: machine.position };
}

class Machine {
  private pos = 0;
  /** Where the current opcode starts, for error messages. */
  private opStart = 0;
  private stack: PickleValue[] = [];
  private readonly metastack: PickleValue[][] = [];
  /** Values held in metastack frames. */
  private setAside = 0;
  private readonly memo = new Map<number, PickleValue>();
  private containerItems = 0;
  /** Objects made by allow-listed builders: the only ones BUILD may be applied to. */
  private readonly built = new WeakSet<object>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The offset of the next opcode (after run: just past STOP). */
  get position(): number {
    return this.pos;
  }

  run(): PickleValue {
    while (this.pos < this.bytes.length) {
      this.opStart = this.pos;
      const op = this.bytes[this.pos++]!;
      if (op === OP.STOP) return this.pop();
      this.step(op);
      if (this.stack.length + this.setAside + this.metastack.length > PICKLE_LIMITS.maxStack) {
        this.fail('bad-header', `the pickle stack exceeds ${PICKLE_LIMITS.maxStack} values`);
      }
    }
    throw new WeightFileError('truncated', this.options.file, `the pickle ends at byte ${this.bytes.length} without a STOP opcode`);
  }

  private step(op: number): void {
    switch (op) {
      case OP.PROTO: {
        const protocol = this.take(1)[0]!;
        if (protocol > 5) this.fail('unsupported', `pickle protocol ${protocol} is newer than 5`);
        return;
      }
      case OP.FRAME:
        this.take(8); // frames only help streaming readers; the opcodes inside are read as usual
        return;
      case OP.MARK:
        this.metastack.push(this.stack);
        this.setAside += this.stack.length;
        this.stack = [];
        return;
      case OP.POP:
        if (this.stack.length > 0) this.stack.pop();
        else this.popMark();
        return;
      case OP.POP_MARK:
        this.popMark();
        return;
      case OP.DUP:
        this.push(this.top());
        return;

      case OP.NONE:
        return this.push(null);
      case OP.NEWTRUE:
        return this.push(true);
      case OP.NEWFALSE:
        return this.push(false);
      case OP.INT: {
        const text = this.line();
        if (text === '01') return this.push(true);
        if (text === '00') return this.push(false);
        return this.push(this.parseDecimal(text));
      }
      case OP.LONG:
        return this.push(this.parseDecimal(this.line().replace(/L$/, '')));
      case OP.BININT:
        return this.push(this.view.getInt32(this.advance(4), true));
      case OP.BININT1:
        return this.push(this.take(1)[0]!);
      case OP.BININT2:
        return this.push(this.view.getUint16(this.advance(2), true));
      case OP.LONG1:
        return this.push(this.decodeLong(this.take(1)[0]!));
      case OP.LONG4:
        return this.push(this.decodeLong(this.length32()));
      case OP.FLOAT:
        return this.push(this.parseFloat(this.line()));
      case OP.BINFLOAT:
        return this.push(this.view.getFloat64(this.advance(8), false));

      case OP.STRING:
        return this.push(utf8.decode(unescapeString(this.quoted(this.line()), this.fail.bind(this))));
      case OP.BINSTRING:
        return this.push(utf8.decode(this.take(this.length32())));
      case OP.SHORT_BINSTRING:
        return this.push(utf8.decode(this.take(this.take(1)[0]!)));
      case OP.UNICODE:
        return this.push(decodeRawUnicodeEscape(this.line()));
      case OP.BINUNICODE:
        return this.push(utf8.decode(this.take(this.view.getUint32(this.advance(4), true))));
      case OP.SHORT_BINUNICODE:
        return this.push(utf8.decode(this.take(this.take(1)[0]!)));
      case OP.BINUNICODE8:
        return this.push(utf8.decode(this.take(this.length64())));
      case OP.BINBYTES:
        return this.push(this.take(this.view.getUint32(this.advance(4), true)).slice());
      case OP.SHORT_BINBYTES:
        return this.push(this.take(this.take(1)[0]!).slice());
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        return this.push(this.take(this.length64()).slice());

      case OP.EMPTY_LIST:
        return this.push([]);
      case OP.LIST:
        return this.push(this.counted(this.popMark()));
      case OP.APPEND: {
        const item = this.pop();
        this.list(this.top()).push(item);
        this.counted(1);
        return;
      }
      case OP.APPENDS: {
        const items = this.counted(this.popMark());
        const list = this.list(this.top());
        for (const item of items) list.push(item);
        return;
      }
      case OP.EMPTY_TUPLE:
        return this.push(Object.freeze([]));
      case OP.TUPLE:
        return this.push(Object.freeze(this.counted(this.popMark())));
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const items = this.popN(op - OP.TUPLE1 + 1);
        return this.push(Object.freeze(this.counted(items)));
      }
      case OP.EMPTY_DICT:
        return this.push(new Map());
      case OP.DICT: {
        const dict = new Map<PickleValue, PickleValue>();
        this.setItems(dict, this.popMark());
        return this.push(dict);
      }
      case OP.SETITEM: {
        const items = this.popN(2);
        this.setItems(this.top(), items);
        return;
      }
      case OP.SETITEMS: {
        const items = this.popMark();
        this.setItems(this.top(), items);
        return;
      }
      case OP.EMPTY_SET:
        return this.push(new Set());
      case OP.ADDITEMS: {
        const items = this.counted(this.popMark());
        const set = this.top();
        if (!(set instanceof Set) || Object.isFrozen(set)) this.fail('bad-header', `ADDITEMS on a ${typeName(set)}`);
        for (const item of items) set.add(item);
        return;
      }
      case OP.FROZENSET:
        return this.push(Object.freeze(new Set(this.counted(this.popMark()))));

      case OP.PUT:
        return this.memoize(this.index(this.line()));
      case OP.BINPUT:
        return this.memoize(this.take(1)[0]!);
      case OP.LONG_BINPUT:
        return this.memoize(this.view.getUint32(this.advance(4), true));
      case OP.MEMOIZE:
        return this.memoize(this.memo.size);
      case OP.GET:
        return this.push(this.recall(this.index(this.line())));
      case OP.BINGET:
        return this.push(this.recall(this.take(1)[0]!));
      case OP.LONG_BINGET:
        return this.push(this.recall(this.view.getUint32(this.advance(4), true)));

      case OP.GLOBAL: {
        const module = this.line();
        return this.push(this.resolveGlobal(module, this.line()));
      }
      case OP.STACK_GLOBAL: {
        const [module, name] = this.popN(2);
        if (typeof module !== 'string' || typeof name !== 'string') {
          this.fail('bad-header', `STACK_GLOBAL needs two strings, got ${typeName(module)} and ${typeName(name)}`);
        }
        return this.push(this.resolveGlobal(module, name));
      }
      case OP.REDUCE: {
        const args = this.tuple(this.pop(), 'REDUCE');
        this.stack[this.stack.length - 1] = this.call(this.top(), args);
        return;
      }
      case OP.NEWOBJ: {
        const [cls, args] = this.popN(2);
        return this.push(this.call(cls!, this.tuple(args!, 'NEWOBJ')));
      }
      case OP.NEWOBJ_EX: {
        const [cls, args, kwargs] = this.popN(3);
        if (!(kwargs instanceof Map) || kwargs.size > 0) {
          this.fail('unsupported', 'NEWOBJ_EX with keyword arguments is not supported');
        }
        return this.push(this.call(cls!, this.tuple(args!, 'NEWOBJ_EX')));
      }
      case OP.BUILD: {
        this.pop(); // the state: Python would set it as instance attributes, which carry no data we use
        const target = this.top();
        if (typeof target !== 'object' || target === null || !this.built.has(target)) {
          this.fail('bad-header', `BUILD on a ${typeName(target)} that no allowed global made`);
        }
        return;
      }
      case OP.PERSID:
        return this.push(this.persistentLoad(this.line()));
      case OP.BINPERSID:
        return this.push(this.persistentLoad(this.pop()));

      case OP.INST: {
        const module = this.line();
        this.resolveGlobal(module, this.line()); // a forbidden class is reported as such first
        return this.refuse(op);
      }
      default:
        return this.refuse(op);
    }
  }

  // ---- errors ----

  private fail(code: 'bad-header' | 'truncated' | 'unsupported' | 'forbidden-global', detail: string): never {
    throw new WeightFileError(code, this.options.file, detail);
  }

  private refuse(op: number): never {
    const at = `0x${op.toString(16).padStart(2, '0')} at byte ${this.opStart}`;
    const name = REFUSED.get(op);
    if (name) this.fail('bad-header', `the pickle opcode ${name} (${at}) is not supported`);
    this.fail('bad-header', `unknown pickle opcode ${at}`);
  }

  // ---- reading the byte stream ----

  /** Moves past `n` bytes and returns where they start. */
  private advance(n: number): number {
    if (n > this.bytes.length - this.pos) {
      this.fail('truncated', `the pickle ends at byte ${this.bytes.length}, but the opcode at byte ${this.opStart} needs ${n} bytes from byte ${this.pos}`);
    }
    const start = this.pos;
    this.pos += n;
    return start;
  }

  private take(n: number): Uint8Array {
    const start = this.advance(n);
    return this.bytes.subarray(start, start + n);
  }

  private length32(): number {
    const n = this.view.getInt32(this.advance(4), true);
    if (n < 0) this.fail('bad-header', `negative length ${n} at byte ${this.opStart}`);
    return n;
  }

  private length64(): number {
    return Number(this.view.getBigUint64(this.advance(8), true)); // beyond 2^53 it is past the end anyway
  }

  /** The text up to the next newline (protocol 0 arguments), as latin-1. */
  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('truncated', `the pickle ends inside the text argument of the opcode at byte ${this.opStart}`);
    const text = latin1.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  private quoted(text: string): string {
    const q = text[0];
    if (text.length < 2 || (q !== '"' && q !== "'") || text[text.length - 1] !== q) {
      this.fail('bad-header', `the STRING argument at byte ${this.opStart} is not quoted`);
    }
    return text.slice(1, -1);
  }

  private index(text: string): number {
    if (!/^\d{1,10}$/.test(text)) this.fail('bad-header', `invalid memo index "${text.slice(0, 20)}" at byte ${this.opStart}`);
    return Number(text);
  }

  private parseDecimal(text: string): number | bigint {
    if (!/^[+-]?\d+$/.test(text)) this.fail('bad-header', `invalid integer "${text.slice(0, 40)}" at byte ${this.opStart}`);
    if (text.length > PICKLE_LIMITS.maxIntDigits) {
      this.fail('unsupported', `an integer of ${text.length} digits at byte ${this.opStart} exceeds ${PICKLE_LIMITS.maxIntDigits}`);
    }
    return narrow(BigInt(text));
  }

  private parseFloat(text: string): number {
    const t = text.trim().toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(t)) return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) this.fail('bad-header', `invalid float "${text.slice(0, 40)}" at byte ${this.opStart}`);
    return Number(t);
  }

  /** A little-endian two's-complement integer of `n` bytes (LONG1 / LONG4). */
  private decodeLong(n: number): number | bigint {
    if (n > PICKLE_LIMITS.maxIntBytes) {
      this.fail('unsupported', `an integer of ${n} bytes at byte ${this.opStart} exceeds ${PICKLE_LIMITS.maxIntBytes}`);
    }
    const bytes = this.take(n);
    if (n === 0) return 0;
    let hex = '';
    for (let i = n - 1; i >= 0; i--) hex += bytes[i]!.toString(16).padStart(2, '0');
    let value = BigInt(`0x${hex}`);
    if (bytes[n - 1]! & 0x80) value -= 1n << BigInt(8 * n);
    return narrow(value);
  }

  // ---- the stack ----

  private push(value: PickleValue): void {
    this.stack.push(value);
  }

  private top(): PickleValue {
    if (this.stack.length === 0) this.underflow();
    return this.stack[this.stack.length - 1]!;
  }

  private pop(): PickleValue {
    if (this.stack.length === 0) this.underflow();
    return this.stack.pop()!;
  }

  private popN(n: number): PickleValue[] {
    if (this.stack.length < n) this.underflow();
    return this.stack.splice(this.stack.length - n, n);
  }

  /** The values pushed since the last MARK; the stack before it becomes current again. */
  private popMark(): PickleValue[] {
    const previous = this.metastack.pop();
    if (!previous) this.fail('bad-header', `the opcode at byte ${this.opStart} needs a MARK, but there is none`);
    const items = this.stack;
    this.stack = previous;
    this.setAside -= previous.length;
    return items;
  }

  private underflow(): never {
    this.fail('bad-header', `stack underflow at the opcode at byte ${this.opStart}`);
  }

  /** Counts items going into containers against the allocation limit. */
  private counted<T extends PickleValue[] | number>(items: T): T {
    this.containerItems += typeof items === 'number' ? items : items.length;
    if (this.containerItems > PICKLE_LIMITS.maxContainerItems) {
      this.fail('bad-header', `the pickle builds containers of more than ${PICKLE_LIMITS.maxContainerItems} items`);
    }
    return items;
  }

  private list(value: PickleValue): PickleValue[] {
    if (!Array.isArray(value) || Object.isFrozen(value)) this.fail('bad-header', `APPEND to a ${typeName(value)} at byte ${this.opStart}`);
    return value;
  }

  private tuple(value: PickleValue, op: string): readonly PickleValue[] {
    if (!Array.isArray(value)) this.fail('bad-header', `${op} needs an argument tuple, got a ${typeName(value)}`);
    return value;
  }

  private setItems(dict: PickleValue, items: PickleValue[]): void {
    if (!(dict instanceof Map)) this.fail('bad-header', `SETITEM on a ${typeName(dict)} at byte ${this.opStart}`);
    if (items.length % 2 !== 0) this.fail('bad-header', `an odd number of dict items at byte ${this.opStart}`);
    this.counted(items);
    for (let i = 0; i < items.length; i += 2) dict.set(items[i]!, items[i + 1]!);
  }

  // ---- memo ----

  private memoize(index: number): void {
    if (this.memo.size >= PICKLE_LIMITS.maxMemo && !this.memo.has(index)) {
      this.fail('bad-header', `the pickle memo exceeds ${PICKLE_LIMITS.maxMemo} entries`);
    }
    this.memo.set(index, this.top());
  }

  private recall(index: number): PickleValue {
    if (!this.memo.has(index)) this.fail('bad-header', `memo index ${index} not found (opcode at byte ${this.opStart})`);
    return this.memo.get(index)!;
  }

  // ---- globals and calls ----

  private resolveGlobal(module: string, name: string): PickleGlobal {
    const qualified = `${module}.${name}`;
    const builder = this.options.globals.get(qualified);
    if (builder === undefined) {
      const allowed = [...this.options.globals.keys()];
      const shown = allowed.length > 8 ? `${allowed.slice(0, 8).join(', ')}, and ${allowed.length - 8} more` : allowed.join(', ');
      this.fail(
        'forbidden-global',
        `refusing to load: the pickle references the global ${JSON.stringify(qualified.slice(0, 200))}, which is not allowed (only state-dict globals are: ${shown})`,
      );
    }
    return new PickleGlobal(qualified, builder);
  }

  private call(callable: PickleValue, args: readonly PickleValue[]): PickleValue {
    if (!(callable instanceof PickleGlobal)) this.fail('bad-header', `the pickle calls a ${typeName(callable)} at byte ${this.opStart}`);
    if (!callable.builder) {
      this.fail('forbidden-global', `refusing to load: the pickle calls the global "${callable.qualifiedName}", which may only be referenced`);
    }
    const value = callable.builder(args);
    if (typeof value === 'object' && value !== null) this.built.add(value);
    return value;
  }

  private persistentLoad(pid: PickleValue): PickleValue {
    if (!this.options.persistentLoad) this.fail('unsupported', `the pickle has a persistent id at byte ${this.opStart}, which is not expected here`);
    return this.options.persistentLoad(pid);
  }
}

/** Python int → number when exact, bigint otherwise. */
function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** The Python type name of a value, for error messages. */
export function typeName(value: PickleValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return Object.isFrozen(value) ? 'tuple' : 'list';
  if (value instanceof Map) return 'dict';
  if (value instanceof Set) return Object.isFrozen(value) ? 'frozenset' : 'set';
  if (value instanceof PickleGlobal) return value.qualifiedName;
  return 'object';
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { '\\': 0x5c, "'": 0x27, '"': 0x22, a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };

/** Python's codecs.escape_decode, for the quoted argument of STRING (latin-1 text → bytes). */
function unescapeString(text: string, fail: (code: 'bad-header', detail: string) => never): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const next = text[++i];
    if (next === undefined) fail('bad-header', 'a STRING argument ends with a backslash');
    if (next === '\n') continue;
    if (next in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[next]!);
    else if (next === 'x') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail('bad-header', 'an invalid \\x escape in a STRING argument');
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (next >= '0' && next <= '7') {
      const octal = /^[0-7]{1,3}/.exec(text.slice(i, i + 3))![0];
      out.push(parseInt(octal, 8) & 0xff);
      i += octal.length - 1;
    } else out.push(0x5c, next.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

/** Python's raw-unicode-escape, for UNICODE: latin-1 text with \uXXXX and \UXXXXXXXX escapes. */
function decodeRawUnicodeEscape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (whole, u4: string | undefined, u8: string | undefined) => {
    const code = parseInt(u4 ?? u8!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
