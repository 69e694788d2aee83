/**
 * A small checker for messages that cross a process or webview boundary: a message is accepted only as
 * a plain object with exactly the declared fields, each of the declared kind; the result is a fresh copy
 * built from the checked values, so nothing of the received object (getters, extra keys, prototypes)
 * reaches the receiver. Failures throw a ProtocolError that names the channel, the field and what it got.
 */

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** Checks one value at `path`; returns a fresh copy or throws ProtocolError. */
export type Check<T> = (value: unknown, path: string) => T;

/** A record of field checks: the message's exact set of keys. */
export type Shape = Readonly<Record<string, Check<unknown>>>;

export type Parsed<S extends Shape> = { readonly [K in keyof S]: S[K] extends Check<infer T> ? T : never };
/** The union of objects `tagged` checks: for each entry of `shapes`, `{ [tag]: its key }` and its parsed fields. */
export type TaggedUnion<Tag extends string, Shapes extends Readonly<Record<string, Shape>>> = {
  [K in keyof Shapes & string]: { readonly [T in Tag]: K } & Parsed<Shapes[K]>;
}[keyof Shapes & string];

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ProtocolError(`${path} must be ${expected}, got ${describeValue(value)}`);
}

export const string: Check<string> = (v, path) => (typeof v === 'string' ? v : fail(path, 'a string', v));

export const nonEmptyString: Check<string> = (v, path) => (typeof v === 'string' && v.length > 0 ? v : fail(path, 'a non-empty string', v));

export const boolean: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'true or false', v));

export const number: Check<number> = (v, path) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a finite number', v));

export function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (v, path) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(path, `an integer in [${min}, ${max}]`, v);
}

export function numberIn(min: number, max: number): Check<number> {
  return (v, path) => (typeof v === 'number' && v >= min && v <= max ? v : fail(path, `a number in [${min}, ${max}]`, v));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : check(v, path));
}

export function oneOf<const T extends string>(...values: readonly T[]): Check<T> {
  return (v, path) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(path, `one of ${values.map((x) => `"${x}"`).join(', ')}`, v));
}

export function arrayOf<T>(check: Check<T>, maxLength = 10_000): Check<readonly T[]> {
  return (v, path) => {
    if (!Array.isArray(v) || v.length > maxLength) fail(path, `an array (at most ${maxLength} long)`, v);
    return (v as unknown[]).map((item, i) => check(item, `${path}[${i}]`));
  };
}

/** A plain object with exactly the keys of `shape`. */
export function object<S extends Shape>(shape: S): Check<Parsed<S>> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) fail(path, 'a plain object', v);
    const keys = Reflect.ownKeys(v as object);
    const extra = keys.filter((k) => typeof k !== 'string' || !Object.prototype.hasOwnProperty.call(shape, k));
    if (extra.length > 0) throw new ProtocolError(`${path} has unknown field(s) ${extra.map((k) => `"${String(k)}"`).join(', ')}`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key);
      if (descriptor && !('value' in descriptor)) fail(`${path}.${key}`, 'a data property', 'an accessor');
      out[key] = shape[key]!(descriptor?.value, `${path}.${key}`);
    }
    return out as Parsed<S>;
  };
}

/**
 * A union of objects told apart by the string field `tag` (`type` for messages, `kind` for jobs):
 * `shapes[tagValue]` lists the other fields. The error for an unknown tag lists the known ones.
 */
export function tagged<M extends object, K extends keyof M & string>(tag: K, shapes: { readonly [T in M[K] & string]: Shape }): Check<M> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
    const name: unknown = Object.getOwnPropertyDescriptor(value, tag)?.value;
    const known = Object.keys(shapes);
    if (typeof name !== 'string' || !known.includes(name)) {
      throw new ProtocolError(`${path}: unknown ${tag} ${describeValue(name)} (known: ${known.join(', ')})`);
    }
    const shape = (shapes as Record<string, Shape>)[name]!;
    return object({ [tag]: oneOf(name), ...shape })(value, `${path} "${name}"`) as unknown as M;
  };
}
