/**
 * The fuzzers' mutators. Each takes an input, a seeded Rng and the target's seeds, and returns a new
 * input (its argument is never modified), so an input is a pure function of the fuzz seed and its index.
 *
 * Generic byte mutations: bit flips, interesting bytes, truncation, deleted / inserted / duplicated /
 * overwritten ranges, integer fields (1–8 bytes, either endianness) set huge, negative or off by one,
 * and splices of two seeds. Structure-aware ones keep a file parseable enough to reach the deeper checks:
 * JSON values replaced, deleted, duplicated or nested deeply (safetensors headers, shard metadata, dataset
 * JSON, including JSON held in strings), npy header dicts, pickle opcodes (length fields, memo indices,
 * deep nesting, forbidden globals, duplicated or dropped opcodes), and zip members mutated and archived
 * again with valid CRCs, so a mutation inside data.pkl or an .npy member is not just a CRC error.
 */
import { unzipSync } from 'fflate';
import { writeZip } from '../../src/core/formats/zip';
import { concatBytes } from '../../src/core/io/bytes';
import type { Rng } from '../../src/core/random/rng';

export type Mutator = (input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[]) => Uint8Array;

export interface NamedMutator {
  readonly name: string;
  /** Relative chance of being picked (default 1). */
  readonly weight?: number;
  readonly mutate: Mutator;
}

const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

/** Picks a mutator by weight. */
export function pickMutator(rng: Rng, mutators: readonly NamedMutator[]): NamedMutator {
  const total = mutators.reduce((n, m) => n + (m.weight ?? 1), 0);
  let r = rng.next() * total;
  for (const m of mutators) {
    r -= m.weight ?? 1;
    if (r < 0) return m;
  }
  return mutators[mutators.length - 1]!;
}

/** An offset in [0, length): often in the first or last 64 bytes, where headers and end records are. */
function offsetIn(rng: Rng, length: number): number {
  if (length <= 1) return 0;
  const r = rng.next();
  if (r < 0.4) return rng.int(0, Math.min(63, length - 1));
  if (r < 0.6) return rng.int(Math.max(0, length - 64), length - 1);
  return rng.int(0, length - 1);
}

/** A range length, mostly short: 1, 2, 4, … up to 1024 bytes, never past `max`. */
function spanLength(rng: Rng, max: number): number {
  return Math.max(0, Math.min(max, rng.int(1, 2 ** rng.int(0, 10))));
}

function splice(input: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([input.subarray(0, at), insert, input.subarray(at + remove)]);
}

// ---- generic byte mutations ----

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x20, 0x22, 0x27, 0x28, 0x2c, 0x2e, 0x30, 0x5b, 0x5d, 0x7b, 0x7d];

/** Integers that break length checks: zero, boundaries of every width, 100 GB, 2^53 and negatives. */
const INTERESTING_INTS: readonly bigint[] = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x10000n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  100_000_000_000n,
  -1n,
  -2n,
  -(2n ** 31n),
  -(2n ** 63n),
];

function flipBits(input: Uint8Array, rng: Rng): Uint8Array {
  if (input.length === 0) return input;
  const out = input.slice();
  for (let n = rng.int(1, 8); n > 0; n--) out[offsetIn(rng, out.length)]! ^= 1 << rng.int(0, 7);
  return out;
}

function setBytes(input: Uint8Array, rng: Rng): Uint8Array {
  if (input.length === 0) return input;
  const out = input.slice();
  for (let n = rng.int(1, 4); n > 0; n--) out[offsetIn(rng, out.length)] = rng.next() < 0.7 ? pick(rng, INTERESTING_BYTES) : rng.int(0, 255);
  return out;
}

function truncate(input: Uint8Array, rng: Rng): Uint8Array {
  if (input.length === 0) return input;
  const r = rng.next();
  const keep =
    r < 0.3 ? rng.int(0, Math.min(input.length - 1, 64)) : r < 0.5 ? input.length - rng.int(1, Math.min(input.length, 64)) : rng.int(0, input.length - 1);
  return input.subarray(0, keep).slice();
}

function deleteRange(input: Uint8Array, rng: Rng): Uint8Array {
  if (input.length === 0) return input;
  const at = offsetIn(rng, input.length);
  return splice(input, at, spanLength(rng, input.length - at));
}

function insertBytes(input: Uint8Array, rng: Rng): Uint8Array {
  const bytes = new Uint8Array(spanLength(rng, 256));
  const fill = rng.next() < 0.5 ? pick(rng, INTERESTING_BYTES) : -1;
  for (let i = 0; i < bytes.length; i++) bytes[i] = fill >= 0 ? fill : rng.int(0, 255);
  return splice(input, rng.int(0, input.length), 0, bytes);
}

/** Copies a range and inserts it elsewhere: duplicated entries, records and opcodes. */
function duplicateRange(input: Uint8Array, rng: Rng): Uint8Array {
  if (input.length === 0) return input;
  const from = offsetIn(rng, input.length);
  const chunk = input.slice(from, from + spanLength(rng, input.length - from));
  return splice(input, rng.int(0, input.length), 0, chunk);
}

/** Copies a range over another one (same length): overlapping records. */
function overwriteRange(input: Uint8Array, rng: Rng): Uint8Array {
  if (input.length < 2) return input;
  const from = offsetIn(rng, input.length);
  const to = offsetIn(rng, input.length);
  const n = Math.min(spanLength(rng, input.length - from), input.length - to);
  const out = input.slice();
  out.set(input.subarray(from, from + n), to);
  return out;
}

/** Writes an interesting integer of 1, 2, 4 or 8 bytes, little- or big-endian: a length field set huge or negative. */
function setIntField(input: Uint8Array, rng: Rng): Uint8Array {
  const width = pick(rng, [1, 2, 4, 4, 8, 8]);
  if (input.length < width) return input;
  const at = Math.min(offsetIn(rng, input.length), input.length - width);
  const out = input.slice();
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const littleEndian = rng.next() < 0.8;
  let value: bigint;
  if (rng.next() < 0.25) {
    // off by one from what is there: the classic fencepost
    const current =
      width === 8
        ? v.getBigUint64(at, littleEndian)
        : BigInt(width === 4 ? v.getUint32(at, littleEndian) : width === 2 ? v.getUint16(at, littleEndian) : v.getUint8(at));
    value = current + (rng.next() < 0.5 ? 1n : -1n);
  } else {
    value = pick(rng, INTERESTING_INTS);
  }
  const bits = BigInt.asUintN(width * 8, value);
  if (width === 8) v.setBigUint64(at, bits, littleEndian);
  else if (width === 4) v.setUint32(at, Number(bits), littleEndian);
  else if (width === 2) v.setUint16(at, Number(bits), littleEndian);
  else v.setUint8(at, Number(bits));
  return out;
}

/** The start of this input and the end of another seed (or of itself). */
function spliceSeeds(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[]): Uint8Array {
  const other = seeds.length > 0 ? pick(rng, seeds) : input;
  return concatBytes([input.subarray(0, rng.int(0, input.length)), other.subarray(rng.int(0, other.length))]);
}

export const BYTE_MUTATORS: readonly NamedMutator[] = [
  { name: 'flip-bits', weight: 3, mutate: flipBits },
  { name: 'set-bytes', weight: 2, mutate: setBytes },
  { name: 'truncate', weight: 2, mutate: truncate },
  { name: 'delete-range', mutate: deleteRange },
  { name: 'insert-bytes', mutate: insertBytes },
  { name: 'duplicate-range', mutate: duplicateRange },
  { name: 'overwrite-range', mutate: overwriteRange },
  { name: 'set-int-field', weight: 3, mutate: setIntField },
  { name: 'splice-seeds', weight: 0.5, mutate: spliceSeeds },
];

/** One generic byte mutation. */
export function mutateBytes(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  return pickMutator(rng, BYTE_MUTATORS).mutate(input, rng, seeds);
}

// ---- JSON ----

/**
 * Deeply nested JSON is written as text (JSON.stringify and structuredClone recurse): a mutation puts a
 * marker string in the value, and `jsonText` expands it to `depth` nested arrays or objects.
 */
function deepMarker(kind: 'array' | 'object', depth: number): string {
  return `@@deep-${kind}:${depth}@@`;
}

/** JSON text of a value, with deep-nesting markers expanded. */
function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/"@@deep-(array|object):(\d+)@@"/g, (_, kind: string, n: string) => {
    const depth = Number(n);
    return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
  });
}

function interestingJson(rng: Rng): unknown {
  const values: Array<() => unknown> = [
    () => 0,
    () => -1,
    () => 1,
    () => 2 ** 31,
    () => 2 ** 32,
    () => 2 ** 53,
    () => 2 ** 53 + 2,
    () => 1e20,
    () => 100e9,
    () => 1e308,
    () => -1e308,
    () => 0.5,
    () => -0.5,
    () => 1e-300,
    () => -0,
    () => '',
    () => 'x',
    () => '__proto__',
    () => 'train',
    () => 'F32',
    () => 'BOOL',
    () => 'x'.repeat(rng.int(100, 5000)),
    () => null,
    () => true,
    () => false,
    () => [],
    () => ({}),
    () => [0],
    () => [-1],
    () => [1e20],
    () => [2 ** 53, 2 ** 53],
    () => [0, 100e9],
    () => [100e9, 0],
    () => [1, 2, 3],
    () => Array.from({ length: rng.int(8, 64) }, () => 2 ** rng.int(0, 40)),
    () => deepMarker('array', rng.int(10, 200_000)),
    () => deepMarker('object', rng.int(10, 200_000)),
  ];
  return pick(rng, values)();
}

type JsonContainer = Record<string, unknown> | unknown[];

/** Every container of a JSON value with a key in it, breadth first, at most `limit` of them. */
function jsonSlots(root: unknown, limit = 5000): Array<{ parent: JsonContainer; key: string | number }> {
  const slots: Array<{ parent: JsonContainer; key: string | number }> = [];
  const queue: unknown[] = [root];
  for (let q = 0; q < queue.length && slots.length < limit; q++) {
    const node = queue[q];
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        slots.push({ parent: node, key: i });
        queue.push(v);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        slots.push({ parent: node as Record<string, unknown>, key: k });
        queue.push(v);
      }
    }
  }
  return slots;
}

/** Applies one structural mutation to a (cloned) JSON value and returns the new root. */
function mutateJsonValue(root: unknown, rng: Rng): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as unknown;
  const slots = jsonSlots(copy);
  if (slots.length === 0 || rng.next() < 0.05) return interestingJson(rng);
  const { parent, key } = pick(rng, slots);
  const get = (): unknown => (parent as Record<string | number, unknown>)[key];
  const set = (v: unknown): void => {
    (parent as Record<string | number, unknown>)[key] = v;
  };
  const r = rng.next();
  const current = get();
  if (typeof current === 'string' && /^\s*[[{]/.test(current) && r < 0.5) {
    // JSON inside a string (shard metadata): mutate inside it.
    const inner = shallowJson(current);
    if (inner) {
      set(jsonText(mutateJsonValue(inner.value, rng)));
      return copy;
    }
  }
  if (r < 0.45) set(interestingJson(rng));
  else if (r < 0.55 && typeof current === 'number') set(current + pick(rng, [1, -1, 0.5, 2 ** 32, -(2 ** 32)]));
  else if (r < 0.65) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (r < 0.8) {
    // duplicate: the same value under a second key or at a second index (e.g. two tensors on the same bytes)
    if (Array.isArray(parent)) parent.splice(key as number, 0, clone(current));
    else parent[`${key as string}${pick(rng, ['_dup', '2', '.copy', ''])}${rng.int(0, 9)}`] = clone(current);
  } else if (r < 0.9) {
    const other = pick(rng, slots);
    const swap = (other.parent as Record<string | number, unknown>)[other.key];
    if (swap !== copy && !containsNode(swap, parent)) set(clone(swap));
  } else {
    set(rng.next() < 0.5 ? [current] : { [String(key)]: current });
  }
  return copy;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function containsNode(value: unknown, node: unknown): boolean {
  return jsonSlots(value, 100_000).some((s) => s.parent === node) || value === node;
}

/** How deeply the arrays and objects of JSON text nest (strings skipped), counted without parsing. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return max;
}

/**
 * JSON nested deeper than this is mutated as bytes: copying it structurally would recurse as deep, and
 * how deep a thread may recurse differs between the main thread and a worker, which would make the
 * same input index give different inputs.
 */
const MAX_STRUCTURED_DEPTH = 200;
/** A structural JSON mutation making more text than this is replaced by a byte mutation. */
const MAX_JSON_TEXT = 2 * 1024 ** 2;

/** The JSON value of `text` when it parses and nests at most MAX_STRUCTURED_DEPTH deep, else undefined. */
export function shallowJson(text: string): { value: unknown } | undefined {
  if (jsonDepth(text) > MAX_STRUCTURED_DEPTH) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Mutates JSON text structurally (when it parses) or textually, keeping it text. */
export function mutateJsonText(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  const r = rng.next();
  if (r < 0.15) return mutateBytes(input, rng, seeds);
  const parsed = shallowJson(new TextDecoder().decode(input));
  if (!parsed) return mutateBytes(input, rng, seeds);
  const { value } = parsed;
  if (r < 0.2) {
    // a key written twice in the same object: JSON.parse keeps the last one
    const text = JSON.stringify(value);
    const m = /\{"([^"\\]*)":/.exec(text);
    if (m) return encoder.encode(`${text.slice(0, m.index + 1)}"${m[1]}":${jsonText(interestingJson(rng))},${text.slice(m.index + 1)}`);
  }
  if (r < 0.25) {
    const depth = rng.int(1000, 200_000);
    return encoder.encode(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  }
  const mutated = mutateJsonValue(value, rng);
  const text = jsonText(mutated, rng.next() < 0.5 ? undefined : 1);
  return text.length > MAX_JSON_TEXT ? mutateBytes(input, rng, seeds) : encoder.encode(text);
}

/**
 * Number literals JSON.parse reads as non-finite or lossy (1e999 is Infinity): JSON.stringify cannot write
 * them, so they are spliced into the text in place of a number.
 */
export function mutateJsonNumberLiteral(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  const text = new TextDecoder().decode(input);
  const numbers = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
  if (numbers.length === 0) return mutateBytes(input, rng, seeds);
  const m = pick(rng, numbers);
  const literal = pick(rng, [
    '1e999',
    '-1e999',
    '1e-999',
    '-0',
    '9007199254740993',
    '4294967296',
    '1.0000000000000002',
    '0.99999999999999999',
    '1e39',
    '-1e39',
  ]);
  return encoder.encode(`${text.slice(0, m.index)}${literal}${text.slice(m.index! + m[0].length)}`);
}

/**
 * Mutates JSON Lines (metrics.jsonl): one line mutated as JSON, or lines dropped, duplicated, swapped,
 * torn in the middle (a write in progress), or joined.
 */
export function mutateJsonLines(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  const lines = new TextDecoder().decode(input).split('\n');
  if (lines.length < 2) return mutateJsonText(input, rng, seeds);
  const i = rng.int(0, lines.length - 1);
  const j = rng.int(0, lines.length - 1);
  const r = rng.next();
  if (r < 0.45) lines[i] = new TextDecoder().decode(mutateJsonText(encoder.encode(lines[i]!), rng, seeds));
  else if (r < 0.55) lines.splice(i, 1);
  else if (r < 0.65) lines.splice(i, 0, lines[j]!);
  else if (r < 0.72) [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  else if (r < 0.82) lines[i] = lines[i]!.slice(0, rng.int(0, lines[i]!.length));
  else if (r < 0.88) lines.splice(i, 2, `${lines[i]}${lines[i + 1] ?? ''}`);
  else if (r < 0.94) return encoder.encode(lines.join('\n').slice(0, rng.int(0, lines.join('\n').length)));
  else lines[i] = new TextDecoder().decode(mutateJsonNumberLiteral(encoder.encode(lines[i]!), rng, seeds));
  return encoder.encode(lines.join('\n'));
}

// ---- safetensors ----

/** Mutates the JSON header of a safetensors file and writes its length back, keeping the data buffer. */
export function mutateSafetensorsHeader(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  if (input.length < 8) return mutateBytes(input, rng, seeds);
  const v = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const n = v.getBigUint64(0, true);
  if (n > BigInt(input.length - 8)) return mutateBytes(input, rng, seeds);
  const headerEnd = 8 + Number(n);
  const header = mutateJsonText(input.subarray(8, headerEnd), rng, seeds);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(header.length), true);
  return concatBytes([prefix, header, input.subarray(headerEnd)]);
}

// ---- npy ----

const NPY_SHAPES = [
  '()',
  '(0,)',
  '(1,)',
  '(-1,)',
  '(100000000000,)',
  '(25000000000,)',
  '(4611686018427387904, 4611686018427387904)',
  '(9007199254740993,)',
  '(3, 4, 0)',
  '(1.5,)',
  "('3',)",
  '(True,)',
  '(None,)',
  '[3, 4]',
  '3',
  '(3L,)',
  '(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
];
const NPY_DESCRS = [
  "'<f4'",
  "'>f8'",
  "'|b1'",
  "'|u1'",
  "'<i8'",
  "'<f2'",
  "'=f4'",
  "'|f4'",
  "'<U10'",
  "'|O'",
  "'<c8'",
  "'<V8'",
  "[('a', '<f4')]",
  "'<f0'",
  "'<f4000000000'",
  "b'<f4'",
  '4',
];

/** Rewrites an npy header dict (shape, descr, fortran_order, extra or duplicated keys, deep nesting) and its length field. */
export function mutateNpyHeader(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  if (input.length < 10 || input[0] !== 0x93) return mutateBytes(input, rng, seeds);
  const major = input[6]!;
  const headerStart = major === 1 ? 10 : 12;
  if (input.length < headerStart) return mutateBytes(input, rng, seeds);
  const v = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = major === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  if (headerStart + length > input.length) return mutateBytes(input, rng, seeds);
  let text = latin1.decode(input.subarray(headerStart, headerStart + length));
  const r = rng.next();
  if (r < 0.35) text = text.replace(/'shape':\s*\([^)]*\)/, `'shape': ${pick(rng, NPY_SHAPES)}`);
  else if (r < 0.55) text = text.replace(/'descr':\s*'[^']*'/, `'descr': ${pick(rng, NPY_DESCRS)}`);
  else if (r < 0.65) text = text.replace(/'fortran_order':\s*\w+/, `'fortran_order': ${pick(rng, ['True', 'False', '1', 'None', "'no'"])}`);
  else if (r < 0.75) text = text.replace('{', `{${pick(rng, ["'shape': (2,), ", "'descr': '<f8', ", "'extra': 1, ", "'fortran_order': True, "])}`);
  else if (r < 0.85) {
    const depth = rng.int(10, 50_000);
    text = text.replace(/'shape':\s*\([^)]*\)/, `'shape': ${'('.repeat(depth)}1,${')'.repeat(depth)}`);
  } else {
    text = latin1.decode(
      mutateBytes(
        Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff),
        rng,
        [],
      ),
    );
  }
  const body = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  const out = concatBytes([input.subarray(0, headerStart), body, input.subarray(headerStart + length)]);
  const ov = new DataView(out.buffer);
  if (major === 1) ov.setUint16(8, Math.min(body.length, 0xffff), true);
  else ov.setUint32(8, body.length, true);
  return out;
}

// ---- pickle ----

/** How each opcode's argument is laid out: a fixed byte count, text lines, or a length prefix of 1, 4 or 8 bytes. */
type ArgLayout = number | 'line' | 'line2' | 'len1' | 'len4' | 'len8';

const PICKLE_ARGS: ReadonlyMap<number, ArgLayout> = new Map<number, ArgLayout>([
  [0x28, 0],
  [0x2e, 0],
  [0x30, 0],
  [0x31, 0],
  [0x32, 0],
  [0x46, 'line'],
  [0x49, 'line'],
  [0x4a, 4],
  [0x4b, 1],
  [0x4c, 'line'],
  [0x4d, 2],
  [0x4e, 0],
  [0x50, 'line'],
  [0x51, 0],
  [0x52, 0],
  [0x53, 'line'],
  [0x54, 'len4'],
  [0x55, 'len1'],
  [0x56, 'line'],
  [0x58, 'len4'],
  [0x61, 0],
  [0x62, 0],
  [0x63, 'line2'],
  [0x64, 0],
  [0x7d, 0],
  [0x65, 0],
  [0x67, 'line'],
  [0x68, 1],
  [0x69, 'line2'],
  [0x6a, 4],
  [0x6c, 0],
  [0x5d, 0],
  [0x6f, 0],
  [0x70, 'line'],
  [0x71, 1],
  [0x72, 4],
  [0x73, 0],
  [0x74, 0],
  [0x29, 0],
  [0x75, 0],
  [0x47, 8],
  [0x80, 1],
  [0x81, 0],
  [0x82, 1],
  [0x83, 2],
  [0x84, 4],
  [0x85, 0],
  [0x86, 0],
  [0x87, 0],
  [0x88, 0],
  [0x89, 0],
  [0x8a, 'len1'],
  [0x8b, 'len4'],
  [0x42, 'len4'],
  [0x43, 'len1'],
  [0x8c, 'len1'],
  [0x8d, 'len8'],
  [0x8e, 'len8'],
  [0x8f, 0],
  [0x90, 0],
  [0x91, 0],
  [0x92, 0],
  [0x93, 0],
  [0x94, 0],
  [0x95, 8],
  [0x96, 'len8'],
  [0x97, 0],
  [0x98, 0],
]);

interface PickleOp {
  readonly op: number;
  readonly start: number;
  readonly end: number;
  /** Where a length prefix or a binary memo index sits, and its width. */
  readonly field?: { readonly at: number; readonly width: 1 | 2 | 4 | 8 };
}

/** Splits a pickle into its opcodes, up to STOP, an unknown opcode or the end of the bytes. */
export function pickleOps(bytes: Uint8Array): PickleOp[] {
  const ops: PickleOp[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    const op = bytes[pos]!;
    const layout = PICKLE_ARGS.get(op);
    if (layout === undefined) break;
    const start = pos++;
    let field: PickleOp['field'];
    if (typeof layout === 'number') {
      if ([0x68, 0x6a, 0x71, 0x72].includes(op)) field = { at: pos, width: layout as 1 | 4 };
      pos += layout;
    } else if (layout === 'line' || layout === 'line2') {
      for (let lines = layout === 'line' ? 1 : 2; lines > 0; lines--) {
        const nl = bytes.indexOf(0x0a, pos);
        pos = nl < 0 ? bytes.length + 1 : nl + 1;
      }
    } else {
      const width = layout === 'len1' ? 1 : layout === 'len4' ? 4 : 8;
      if (pos + width > bytes.length) break;
      const n = width === 1 ? bytes[pos]! : width === 4 ? v.getUint32(pos, true) : Number(v.getBigUint64(pos, true));
      field = { at: pos, width };
      pos += width + n;
    }
    if (pos > bytes.length) break;
    ops.push({ op, start, end: pos, field });
    if (op === 0x2e) break;
  }
  return ops;
}

function le(value: number | bigint, width: number): number[] {
  const bits = BigInt.asUintN(width * 8, BigInt(value));
  return Array.from({ length: width }, (_, i) => Number((bits >> BigInt(8 * i)) & 0xffn));
}

function bytesOf(...parts: Array<number | string | number[] | Uint8Array>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0) & 0xff);
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

function shortUnicode(text: string): Uint8Array {
  const b = encoder.encode(text);
  return bytesOf(0x8c, b.length, b);
}

/** Opcode sequences that stress a pickle machine; inserted at an opcode boundary. */
function pickleSnippet(rng: Rng): Uint8Array {
  const n = rng.int(1000, 200_000);
  const snippets: Array<() => Uint8Array> = [
    () => new Uint8Array(n).fill(0x28), // MARK × n
    () => concatBytes([new Uint8Array(n).fill(0x5d), new Uint8Array(n - 1).fill(0x61)]), // lists nested n deep
    () =>
      concatBytes([
        bytesOf(0x7d),
        ...Array.from({ length: Math.min(n, 20_000) }, () => bytesOf(0x4b, 1, 0x7d)),
        new Uint8Array(Math.min(n, 20_000)).fill(0x73),
      ]), // dicts nested
    () => concatBytes([new Uint8Array(n).fill(0x29), new Uint8Array(n).fill(0x85)]), // tuples of tuples
    () => bytesOf(0x5d, 0x71, 0x00, 0x68, 0x00, 0x61), // a list that contains itself
    () => bytesOf(0x7d, 0x71, 0x00, 0x4b, 0x01, 0x68, 0x00, 0x73), // a dict that contains itself
    () => bytesOf(0x58, ...le(0xffffffff, 4)), // BINUNICODE of 4 GiB
    () => bytesOf(0x58, ...le(0x7fffffff, 4)),
    () => bytesOf(0x54, ...le(-1, 4)), // BINSTRING of negative length
    () => bytesOf(0x8d, ...le(2n ** 63n, 8)), // BINUNICODE8 of 2^63 bytes
    () => bytesOf(0x8e, ...le(100_000_000_000, 8)), // BINBYTES8 of 100 GB
    () => bytesOf(0x96, ...le(2n ** 64n - 1n, 8)),
    () => bytesOf(0x95, ...le(2n ** 64n - 1n, 8)), // FRAME of 2^64 − 1 bytes
    () => bytesOf(0x8b, ...le(0x7fffffff, 4)), // LONG4 of 2 GiB
    () => bytesOf(0x8b, ...le(5000, 4), new Uint8Array(5000).fill(0xff)),
    () => bytesOf(0x49, '9'.repeat(rng.int(4000, 5000)), 0x0a), // INT of thousands of digits
    () => bytesOf(0x4c, '-', '1'.repeat(rng.int(4000, 100_000)), 'L', 0x0a),
    () => bytesOf(0x46, '1e999999', 0x0a),
    () => bytesOf(0x6a, ...le(0xffffffff, 4)), // LONG_BINGET of a memo index never put
    () => bytesOf(0x72, ...le(0xffffffff, 4)), // LONG_BINPUT at 2^32 − 1
    () => bytesOf(0x67, '99999999999', 0x0a),
    () => bytesOf(0x70, '-1', 0x0a),
    () => bytesOf(0x63, 'os', 0x0a, 'system', 0x0a), // forbidden globals, by every opcode that names one
    () => concatBytes([shortUnicode('builtins'), shortUnicode('eval'), bytesOf(0x93)]),
    () => bytesOf(0x69, 'subprocess', 0x0a, 'Popen', 0x0a),
    () => concatBytes([shortUnicode('torch._utils'), shortUnicode('_rebuild_tensor_v2'), bytesOf(0x93, 0x29, 0x52)]),
    () => bytesOf(0x63, 'collections', 0x0a, 'OrderedDict', 0x0a, 0x28, 0x4b, 0x01, 0x74, 0x52),
    () => bytesOf(0x63, 'torch', 0x0a, 'FloatStorage', 0x0a, 0x29, 0x52), // calling a reference-only global
    () => bytesOf(0x4e, 0x4e, 0x52), // REDUCE on None
    () => bytesOf(0x7d, 0x4e, 0x62), // BUILD on a dict
    () =>
      bytesOf(
        0x28,
        0x58,
        ...le(7, 4),
        'storage',
        0x63,
        'torch',
        0x0a,
        'FloatStorage',
        0x0a,
        0x58,
        ...le(1, 4),
        '0',
        0x58,
        ...le(3, 4),
        'cpu',
        0x8a,
        0x08,
        ...le(2n ** 60n, 8),
        0x74,
        0x51,
      ), // persistent id of 2^60 elements
    () => bytesOf(0x50, 'x', 0x0a),
    () => bytesOf(0x31), // POP_MARK without MARK
    () => bytesOf(0x30, 0x30, 0x30),
    () => bytesOf(0x82, 0x01),
    () => bytesOf(0x97),
    () => bytesOf(0x80, rng.int(0, 255)),
    () => bytesOf(0x2e),
  ];
  return pick(rng, snippets)();
}

/** Mutates a pickle opcode by opcode: length fields and memo indices, dropped, duplicated or swapped opcodes, inserted snippets. */
export function mutatePickle(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[] = []): Uint8Array {
  const ops = pickleOps(input);
  if (ops.length === 0) return mutateBytes(input, rng, seeds);
  const r = rng.next();
  const withFields = ops.filter((o) => o.field);
  if (r < 0.25 && withFields.length > 0) {
    const { field } = pick(rng, withFields);
    const out = input.slice();
    const value = rng.next() < 0.3 ? BigInt(rng.int(0, 300)) : pick(rng, INTERESTING_INTS);
    out.set(le(value, field!.width), field!.at);
    return out;
  }
  if (r < 0.35) {
    const o = pick(rng, ops);
    return splice(input, o.start, o.end - o.start);
  }
  if (r < 0.5) {
    const o = pick(rng, ops);
    return splice(input, pick(rng, ops).start, 0, input.slice(o.start, o.end));
  }
  if (r < 0.55) {
    const [a, b] = [pick(rng, ops), pick(rng, ops)].sort((x, y) => x.start - y.start);
    if (a!.end > b!.start) return input;
    return concatBytes([
      input.subarray(0, a!.start),
      input.subarray(b!.start, b!.end),
      input.subarray(a!.end, b!.start),
      input.subarray(a!.start, a!.end),
      input.subarray(b!.end),
    ]);
  }
  if (r < 0.85) return splice(input, pick(rng, ops).start, 0, pickleSnippet(rng));
  if (r < 0.9) {
    // replace one opcode by another of the same argument layout
    const o = pick(rng, ops);
    const layout = PICKLE_ARGS.get(o.op);
    const same = [...PICKLE_ARGS].filter(([, l]) => l === layout).map(([op]) => op);
    const out = input.slice();
    out[o.start] = pick(rng, same);
    return out;
  }
  return mutateBytes(input, rng, seeds);
}

// ---- zip archives (npz, pth) ----

/** Members declaring more than this are not unpacked (the zip is byte-mutated instead). */
const MAX_MEMBER_BYTES = 16 * 1024 ** 2;

export interface MemberMutators {
  /** The mutator for members whose name matches, first match wins; others get byte mutations. */
  readonly byName: ReadonlyArray<readonly [RegExp, Mutator]>;
}

/**
 * Unpacks a zip, mutates one member (by its name's mutator), or deletes, duplicates or renames one, and
 * packs it again (stored or deflated per member, 64-byte aligned or not), so CRCs and sizes are valid.
 */
export function mutateZipMembers(input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[], members: MemberMutators): Uint8Array {
  let files: Array<{ name: string; data: Uint8Array }>;
  let huge = false;
  try {
    // fflate allocates what an entry declares and walks as many entries as the end record says: a mutated
    // size or count must not make the mutator allocate gigabytes or loop for billions of entries.
    let entries = 0;
    const filter = (f: { originalSize: number }): boolean => {
      if (++entries > 1000) throw new Error('too many zip entries to unpack');
      return !(huge ||= f.originalSize > MAX_MEMBER_BYTES);
    };
    files = Object.entries(unzipSync(input, { filter })).map(([name, data]) => ({ name, data }));
  } catch {
    return mutateBytes(input, rng, seeds);
  }
  if (huge || files.length === 0) return mutateBytes(input, rng, seeds);
  const i = rng.int(0, files.length - 1);
  const target = files[i]!;
  const r = rng.next();
  if (r < 0.75) {
    const mutate = members.byName.find(([re]) => re.test(target.name))?.[1] ?? mutateBytes;
    files[i] = {
      name: target.name,
      data: mutate(
        target.data,
        rng,
        files.map((f) => f.data),
      ),
    };
  } else if (r < 0.83) {
    files.splice(i, 1);
  } else if (r < 0.91) {
    files.splice(rng.int(0, files.length), 0, { name: target.name, data: mutateBytes(target.data, rng, []) }); // the same name twice
  } else {
    const other = pick(rng, files);
    files[i] = { name: rng.next() < 0.5 ? other.name : `${target.name}${pick(rng, ['/', '.npy', '/data.pkl', '\u0000', 'x'])}`, data: target.data };
  }
  const compress = rng.next();
  return concatBytes(
    writeZip(
      files.map((f) => ({ ...f, compress: compress < 0.3 || (compress < 0.5 && rng.next() < 0.5) })),
      { align: rng.next() < 0.5 ? 64 : 1 },
    ),
  );
}
