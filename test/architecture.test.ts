/**
 * Dependencies point inward (DEVELOPERS.md): extension → core/protocol, webview → protocol only,
 * core → nothing of ours, and neither core nor protocol may touch `vscode` or the DOM. Checked on the
 * import statements of every source file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports (static, dynamic, require, export … from). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

/** The top-level area ('src/core', 'webview', …) a relative import lands in, or the package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const path = relative(ROOT, resolve(ROOT, dirname(file), specifier));
  const [top, second] = path.split('/');
  return top === 'src' ? `src/${second}` : top!;
}

const RULES: { area: string; allowed: (t: string) => boolean; why: string }[] = [
  { area: 'src/core', allowed: (t) => t === 'src/core' || !/^(src|webview|vscode$)/.test(t), why: 'core imports nothing of ours and never vscode' },
  { area: 'src/protocol', allowed: (t) => t === 'src/protocol' || t === 'src/core' || !/^(src|webview|vscode$)/.test(t), why: 'protocol may only use core types' },
  { area: 'webview', allowed: (t) => t === 'webview' || t === 'src/protocol' || !/^(src|vscode$|node:)/.test(t), why: 'webview code talks to the host only through src/protocol' },
  { area: 'src/cli', allowed: (t) => t !== 'vscode' && !/^(src\/extension|webview)/.test(t), why: 'the CLI runs without VS Code' },
  { area: 'src/worker', allowed: (t) => t !== 'vscode' && !/^(src\/extension|src\/cli|webview)/.test(t), why: 'the worker runs without VS Code' },
  { area: 'src/extension', allowed: (t) => !/^(src\/cli|src\/worker|webview)/.test(t), why: 'the extension uses core and protocol: never the CLI, the worker (a separate process) or webview code' },
];

for (const rule of RULES) {
  test(`architecture: ${rule.why}`, () => {
    const files = sourceFiles(rule.area);
    assert.ok(files.length > 0, `no sources found in ${rule.area}`);
    const violations = files.flatMap((f) => importsOf(f).filter((s) => !rule.allowed(target(f, s))).map((s) => `${f} imports ${s}`));
    assert.deepEqual(violations, []);
  });
}

test('architecture: the import scanner sees every kind of import', () => {
  // Guards the rules above against a scanner that silently finds nothing.
  assert.deepEqual(importsOf('test/architecture.test.ts').slice(0, 4), ['node:test', 'node:assert/strict', 'node:fs', 'node:path']);
  assert.equal(target('src/core/formats/x.ts', '../../protocol/display'), 'src/protocol');
  assert.equal(target('webview/inspector/main.ts', '../../src/protocol'), 'src/protocol');
});

/**
 * Value imports of a file (static, dynamic, require, re-exports), without `import type` / `export type`,
 * which leave nothing in the bundle.
 */
function valueImportsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/^\s*(import|export)\s+type\s[^;]*;/gm, '');
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

/** The source file a relative specifier names (`./x`, `./x.js` → `x.ts`, `./dir` → `dir/index.ts`). */
function resolveSource(from: string, specifier: string): string | undefined {
  const base = relative(ROOT, resolve(ROOT, dirname(from), specifier.replace(/\.js$/, '')));
  return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => {
    try {
      return readFileSync(join(ROOT, candidate)) !== undefined && /\.tsx?$/.test(candidate);
    } catch {
      return false;
    }
  });
}

/** Modules that must only ever load in a worker process: TensorFlow.js, the fitting kernels, the trainer. */
const HEAVY = [/^@tensorflow\//, /^src\/core\/models\/(tf|weightSpaceModel|equivariantLayer|paramStore)\.ts$/, /^src\/core\/inr\/(backend|wasm\w*|tfjsBackend|reference)\.ts$/, /^src\/core\/train\/(trainer|checkpoint|evaluate|trainingBatch)\.ts$/, /^src\/kernels\//, /^src\/worker\//];

test('architecture: heavy modules (TensorFlow.js, WebAssembly kernels, the trainer) never load in the extension host', () => {
  const roots = sourceFiles('src/extension');
  const seen = new Map<string, string>(); // file → the file that imported it
  const queue = [...roots];
  for (const r of roots) seen.set(r, '(entry)');
  const violations: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of valueImportsOf(file)) {
      const resolved = specifier.startsWith('.') ? resolveSource(file, specifier) : specifier;
      if (resolved === undefined) continue;
      if (HEAVY.some((h) => h.test(resolved))) {
        const chain = [resolved, file];
        for (let at = file; seen.get(at) !== '(entry)'; at = seen.get(at)!) chain.push(seen.get(at)!);
        violations.push(chain.reverse().join(' → '));
      }
      if (specifier.startsWith('.') && !seen.has(resolved)) {
        seen.set(resolved, file);
        queue.push(resolved);
      }
    }
  }
  assert.ok(seen.size > roots.length, 'the walk found no imports: the scanner is broken');
  assert.deepEqual(violations, []);
});

test('architecture: the heavy-module walk does catch a heavy import', () => {
  // The worker's training job reaches TensorFlow.js through the trainer: the same walk must see it.
  const hits = valueImportsOf('src/worker/jobs/trainJob.ts').map((s) => resolveSource('src/worker/jobs/trainJob.ts', s));
  assert.ok(hits.includes('src/core/train/trainer.ts'), hits.join(', '));
  assert.ok(HEAVY.some((h) => h.test('src/core/train/trainer.ts')));
  assert.ok(valueImportsOf('src/core/models/tf.ts').some((s) => /^@tensorflow\//.test(s)));
});

/** Files of src/ and webview/ that import one another in a loop (Tarjan's strongly connected components, type imports included). */
function importLoops(): string[][] {
  const files = [...sourceFiles('src'), ...sourceFiles('webview')];
  const graph = new Map(files.map((f) => [f, importsOf(f).flatMap((s) => (s.startsWith('.') ? [resolveSource(f, s)].filter((t): t is string => t !== undefined) : []))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) loops.push(component.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return loops;
}

test('architecture: no two files of src/ or webview/ import each other, directly or round a loop', () => {
  assert.deepEqual(importLoops(), []);
  // The walk sees real edges: the fitting backends import the contract they keep.
  assert.ok(importsOf('src/core/inr/wasmBackend.ts').some((s) => resolveSource('src/core/inr/wasmBackend.ts', s) === 'src/core/inr/fitBackend.ts'));
});
