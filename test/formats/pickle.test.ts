/**
 * The restricted unpickler: plain data pickled by CPython in every protocol (0–5) decodes to the values
 * recorded by scripts/fixtures/make_torch_fixtures.py (plain-expected.json); opcodes CPython no longer emits are checked on
 * hand-assembled pickles; dangerous globals are refused when their opcode is read; hostile input
 * (underflow, missing MARK, bad memo, truncation, oversized stacks) gives typed errors naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WeightFileError } from '../../src/core/errors';
import { type GlobalBuilder, PICKLE_LIMITS, PickleGlobal, type PickleValue, unpickle } from '../../src/core/formats/pickle';
import { fixturePath, readExpected } from '../helpers/fixtures';

const expected = readExpected<Record<string, unknown>>('torch', 'plain-expected.json');
const FILE = 'test.pkl';
const NO_GLOBALS = new Map<string, GlobalBuilder | null>();

/** Concatenates opcode bytes and latin-1 text into a pickle. */
function pkl(...parts: Array<number | string | number[]>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}

function le64(n: number): number[] {
  return [...le32(n), 0, 0, 0, 0];
}

function run(bytes: Uint8Array, globals = NO_GLOBALS, persistentLoad?: (pid: PickleValue) => PickleValue): PickleValue {
  return unpickle(bytes, { file: FILE, globals, persistentLoad });
}

function throwsCode(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WeightFileError, `expected a WeightFileError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(FILE), `message names the file: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

/** Compares an unpickled value with the tagged JSON written by the fixture script. */
function assertMatches(actual: PickleValue, want: unknown, path: string): void {
  if (want === null || typeof want !== 'object') {
    assert.equal(actual, want, path);
    return;
  }
  const [kind, body] = Object.entries(want as Record<string, unknown>)[0]!;
  switch (kind) {
    case 'int':
      assert.ok(typeof actual === 'number' || typeof actual === 'bigint', `${path}: int expected, got ${typeof actual}`);
      assert.equal(BigInt(actual), BigInt(body as string), path);
      assert.equal(typeof actual === 'number', Number.isSafeInteger(Number(body)), `${path}: number only when exact`);
      return;
    case 'float': {
      const text = body as string;
      const value = text === 'nan' ? NaN : text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
      assert.ok(Object.is(actual, value), `${path}: ${String(actual)} !== ${text}`);
      return;
    }
    case 'bytes':
      assert.ok(actual instanceof Uint8Array, `${path}: bytes expected`);
      assert.equal(Buffer.from(actual).toString('hex'), body, path);
      return;
    case 'dict': {
      assert.ok(actual instanceof Map, `${path}: dict expected`);
      const entries = [...actual];
      const items = body as Array<[unknown, unknown]>;
      assert.equal(entries.length, items.length, `${path}: size`);
      items.forEach(([k, v], i) => {
        assertMatches(entries[i]![0], k, `${path}{key ${i}}`);
        assertMatches(entries[i]![1], v, `${path}[${String(entries[i]![0])}]`);
      });
      return;
    }
    default: {
      const items = body as unknown[];
      if (kind === 'list' || kind === 'tuple') {
        assert.ok(Array.isArray(actual), `${path}: ${kind} expected`);
        assert.equal(Object.isFrozen(actual), kind === 'tuple', `${path}: tuples are frozen arrays, lists are not`);
      } else {
        assert.ok(actual instanceof Set, `${path}: ${kind} expected`);
        assert.equal(Object.isFrozen(actual), kind === 'frozenset', `${path}: frozensets are frozen`);
      }
      const values = [...(actual as Iterable<PickleValue>)];
      assert.equal(values.length, items.length, `${path}: length`);
      items.forEach((v, i) => assertMatches(values[i]!, v, `${path}[${i}]`));
    }
  }
}

for (let protocol = 0; protocol <= 5; protocol++) {
  const name = `plain-protocol-${protocol}.pkl`;
  test(`${name}: CPython's pickle decodes to the recorded values`, () => {
    const value = run(readFileSync(fixturePath('torch', name)));
    assertMatches(value, expected[name], name);
    const shared = (value as Map<string, PickleValue[]>).get('shared')!;
    assert.equal(shared[0], shared[1], 'a memoized object referenced twice is the same JS object');
  });
}

test('text and binary opcodes CPython 3 no longer emits', () => {
  assert.equal(run(pkl("S'a\\n\\x41\\101\\'q'\n.")), "a\nAA'q");
  assert.equal(run(pkl('S"caf\\xc3\\xa9"\n.')), 'café', 'STRING bytes are UTF-8, as torch.load decodes them');
  assert.equal(run(pkl('T', le32(3), 'abc.')), 'abc');
  assert.equal(run(pkl('U', 2, 'hi.')), 'hi');
  assert.equal(run(pkl('V\\u2603x\n.')), '\u2603x');
  assert.equal(run(pkl(0x8d, le64(2), 'ok.')), 'ok');
  assert.deepEqual(run(pkl(0x8e, le64(2), [1, 2], '.')), Uint8Array.from([1, 2]));
  assert.equal(run(pkl('I01\n.')), true);
  assert.equal(run(pkl('I00\n.')), false);
  assert.equal(run(pkl('I-42\n.')), -42);
  assert.equal(run(pkl(0x8b, le32(2), [0x00, 0x80], '.')), -32768, 'LONG4 is two’s complement');
  assert.equal(run(pkl(0x8a, 0, '.')), 0, 'LONG1 of zero bytes is 0');
  assert.equal(run(pkl('F-0.0\n.')), -0);
});

test('stack and memo opcodes: DUP, POP, POP_MARK, LONG_BINPUT / LONG_BINGET, MEMOIZE', () => {
  const list = run(pkl(']', 'r', le32(70000), 'j', le32(70000), 'a.')) as PickleValue[];
  assert.equal(list[0], list, 'a list that contains itself (a memo cycle) is built without recursion');
  assert.deepEqual(run(pkl('K', 1, '2', 0x86, '.')), [1, 1]);
  assert.equal(run(pkl('K', 1, 'K', 2, '0.')), 1);
  assert.equal(run(pkl('K', 7, '(K', 1, 'K', 2, '1.')), 7);
  assert.equal(run(pkl('(0K', 9, '.')), 9, 'POP on an empty stack drops the MARK, as CPython does');
  assert.deepEqual(run(pkl(0x95, le64(5), 'N', 0x94, 'h', 0, 0x86, '.')), [null, null]);
});

test('100,000 nested lists decode without recursion', () => {
  const depth = 100_000;
  const root = run(pkl(0x80, 2, ']'.repeat(depth), 'a'.repeat(depth - 1), '.'));
  let level = 1;
  for (let node = root as PickleValue[]; node.length > 0; node = node[0] as PickleValue[]) level++;
  assert.equal(level, depth);
});

test('allow-listed globals: REDUCE, NEWOBJ, NEWOBJ_EX and BUILD call only the pure builders given', () => {
  const calls: PickleValue[][] = [];
  const globals = new Map<string, GlobalBuilder | null>([
    [
      'geometry.point',
      (args) => {
        calls.push([...args]);
        return { x: args[0], y: args[1] };
      },
    ],
    ['geometry.Kind', null],
  ]);
  assert.deepEqual(run(pkl('cgeometry\npoint\nK', 1, 'K', 2, 0x86, 'R}b.'), globals), { x: 1, y: 2 });
  assert.deepEqual(run(pkl(0x8c, 8, 'geometry', 0x8c, 5, 'point', 0x93, 'K', 3, 'K', 4, 0x86, 0x81, '.'), globals), { x: 3, y: 4 });
  assert.deepEqual(run(pkl('cgeometry\npoint\n', 'K', 5, 'K', 6, 0x86, '}', 0x92, '.'), globals), { x: 5, y: 6 });
  assert.equal(calls.length, 3);
  const kind = run(pkl('cgeometry\nKind\n.'), globals);
  assert.ok(kind instanceof PickleGlobal && kind.qualifiedName === 'geometry.Kind', 'a reference-only global is a value');
  throwsCode(() => run(pkl('cgeometry\nKind\n)R.'), globals), 'forbidden-global', /"geometry\.Kind", which may only be referenced/);
  throwsCode(() => run(pkl(']}b.'), globals), 'bad-header', /BUILD on a list/);
  throwsCode(() => run(pkl('cgeometry\npoint\n)}K', 1, 'K', 1, 's', 0x92, '.'), globals), 'unsupported', /keyword/);
});

test('persistent ids go to persistentLoad, and are refused without one', () => {
  const seen: PickleValue[] = [];
  const load = (pid: PickleValue): PickleValue => (seen.push(pid), 'loaded');
  assert.deepEqual(run(pkl('Pkey\n(K', 1, 'tQ', 0x86, '.'), NO_GLOBALS, load), ['loaded', 'loaded']);
  assert.deepEqual(seen, ['key', [1]]);
  throwsCode(() => run(pkl('N', 'Q.')), 'unsupported', /persistent id/);
});

const DANGEROUS = [
  'os.system',
  'posix.system',
  'nt.system',
  'subprocess.Popen',
  'subprocess.check_output',
  'builtins.eval',
  'builtins.exec',
  'builtins.getattr',
  'builtins.__import__',
  '__builtin__.eval',
  'torch.storage._load_from_bytes',
  'collections.OrderedDict.fromkeys',
];

for (const qualified of DANGEROUS) {
  test(`the global ${qualified} is refused when read, before any REDUCE`, () => {
    const dot = qualified.startsWith('collections') ? 'collections'.length : qualified.lastIndexOf('.');
    const [module, name] = [qualified.slice(0, dot), qualified.slice(dot + 1)];
    const globals = new Map<string, GlobalBuilder | null>([['collections.OrderedDict', () => new Map()]]);
    // Nothing follows the global: an unpickler that waited for REDUCE would report truncation instead.
    throwsCode(
      () => run(pkl(`c${module}\n${name}\n`), globals),
      'forbidden-global',
      new RegExp(`the global "${qualified.replace(/\./g, '\\.')}", which is not allowed \\(only state-dict globals are: collections\\.OrderedDict\\)`),
    );
    throwsCode(
      () => run(pkl(0x8c, module.length, module, 0x8c, name.length, name, 0x93), globals),
      'forbidden-global',
      new RegExp(`"${qualified.replace(/\./g, '\\.')}"`),
    );
  });
}

test('INST names its class like GLOBAL (a forbidden one is reported), then is refused like OBJ and EXT*', () => {
  throwsCode(() => run(pkl("(S'touch /tmp/x'\nios\nsystem\n.")), 'forbidden-global', /"os\.system"/);
  const globals = new Map<string, GlobalBuilder | null>([['collections.OrderedDict', () => new Map()]]);
  throwsCode(() => run(pkl('(icollections\nOrderedDict\n.'), globals), 'bad-header', /opcode INST \(0x69 at byte 1\) is not supported/);
  throwsCode(() => run(pkl('(ccollections\nOrderedDict\no.'), globals), 'bad-header', /OBJ \(0x6f at byte 26\)/);
  throwsCode(() => run(pkl(0x80, 2, 0x82, 1, '.')), 'bad-header', /EXT1 \(0x82 at byte 2\)/);
  throwsCode(() => run(pkl(0x80, 2, 0x83, 1, 0, '.')), 'bad-header', /EXT2/);
  throwsCode(() => run(pkl(0x80, 2, 0x84, 1, 0, 0, 0, '.')), 'bad-header', /EXT4/);
  throwsCode(() => run(pkl(0x80, 5, 0x97, '.')), 'bad-header', /NEXT_BUFFER/);
});

test('unknown opcodes are named with their byte and position', () => {
  throwsCode(() => run(pkl(0x80, 2, 'N', 0xff, '.')), 'bad-header', /unknown pickle opcode 0xff at byte 3/);
  throwsCode(() => run(pkl(0x80, 6, 'N.')), 'unsupported', /protocol 6/);
});

test('hostile input gives typed errors: underflow, missing MARK, memo misses, bad containers', () => {
  throwsCode(() => run(pkl(0x80, 2, 'a.')), 'bad-header', /stack underflow/);
  throwsCode(() => run(pkl('.')), 'bad-header', /stack underflow/);
  throwsCode(() => run(pkl('Nt.')), 'bad-header', /needs a MARK/);
  throwsCode(() => run(pkl('(Ne')), 'bad-header', /needs a MARK|underflow/);
  throwsCode(() => run(pkl('h', 5, '.')), 'bad-header', /memo index 5 not found/);
  throwsCode(() => run(pkl('g12\n.')), 'bad-header', /memo index 12 not found/);
  throwsCode(() => run(pkl(')Na.')), 'bad-header', /APPEND to a tuple/);
  throwsCode(() => run(pkl('}(Nu.')), 'bad-header', /odd number/);
  throwsCode(() => run(pkl('](NNu.')), 'bad-header', /SETITEM on a list/);
  throwsCode(() => run(pkl('(K', 1, 0x91, '(K', 2, 0x90, '.')), 'bad-header', /ADDITEMS on a frozenset/);
  throwsCode(() => run(pkl('NNR.')), 'bad-header', /argument tuple/);
  throwsCode(() => run(pkl('N)R.')), 'bad-header', /calls a None/);
  throwsCode(() => run(pkl('Ifoo\n.')), 'bad-header', /invalid integer/);
  throwsCode(() => run(pkl('F1.5x\n.')), 'bad-header', /invalid float/);
  throwsCode(() => run(pkl('Sabc\n.')), 'bad-header', /not quoted/);
});

test('lengths past the end and missing STOP are truncation', () => {
  throwsCode(() => run(pkl('X', le32(1000), 'abc')), 'truncated', /needs 1000 bytes/);
  throwsCode(() => run(pkl(0x8e, [0, 0, 0, 0, 0, 1, 0, 0], '.')), 'truncated', /needs 1099511627776 bytes/);
  throwsCode(() => run(pkl(0x8e, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], '.')), 'truncated');
  throwsCode(() => run(pkl('J', 1, 2)), 'truncated');
  throwsCode(() => run(pkl('Sabc')), 'truncated', /text argument/);
  throwsCode(() => run(pkl(0x80, 2, 'N')), 'truncated', /without a STOP/);
  throwsCode(() => run(pkl('T', [0xff, 0xff, 0xff, 0xff], '.')), 'bad-header', /negative length/);
});

test('size limits: stack, memo, container items and integer lengths', () => {
  const pushes = new Uint8Array(PICKLE_LIMITS.maxStack + 2).fill(0x4e); // NONE × (limit + 1), then STOP
  pushes[pushes.length - 1] = 0x2e;
  throwsCode(() => run(pushes), 'bad-header', /stack exceeds 1000000/);
  const marks = new Uint8Array(PICKLE_LIMITS.maxStack + 2).fill(0x28); // MARK frames count too
  throwsCode(() => run(marks), 'bad-header', /stack exceeds/);

  const memo: number[] = [0x4e];
  for (let i = 0; i <= PICKLE_LIMITS.maxMemo; i++) memo.push(0x94); // MEMOIZE: a new index each time
  throwsCode(() => run(Uint8Array.from(memo)), 'bad-header', /memo exceeds/);

  const appends = new Uint8Array(1 + 2 * (PICKLE_LIMITS.maxContainerItems + 1));
  appends[0] = 0x5d; // EMPTY_LIST, then (NONE, APPEND) × (limit + 1)
  for (let i = 1; i < appends.length; i += 2) {
    appends[i] = 0x4e;
    appends[i + 1] = 0x61;
  }
  throwsCode(() => run(appends), 'bad-header', /more than 10000000 items/);

  throwsCode(() => run(pkl(`I${'9'.repeat(PICKLE_LIMITS.maxIntDigits + 1)}\n.`)), 'unsupported', /digits/);
  throwsCode(() => run(pkl(0x8b, le32(PICKLE_LIMITS.maxIntBytes + 1), '.')), 'unsupported', /bytes/);
});
