/**
 * Dependencies point inward (DEVELOPERS.md): extension → core/protocol, webview → protocol only,
 * core → nothing of ours, and neither core nor protocol may touch `vscode` or the DOM — lint rules
 * (eslint.config.mjs), checked here to catch each kind of violation. Also what lint cannot see: no import
 * loops, and no heavy module (TensorFlow.js, the kernels, the trainer) loading in the extension host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';

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
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

/**
 * The never-rules themselves are lint rules (eslint.config.mjs, no-restricted-imports, run by npm test);
 * this checks that they do catch each kind of violation, so a config change cannot silently drop one.
 */
test('architecture: the lint rules refuse every import that points outward', async () => {
  const eslint = new ESLint({ cwd: ROOT });
  const refused = async (file: string, source: string) => {
    const [result] = await eslint.lintText(source, { filePath: join(ROOT, file) });
    return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
  };
  const cases: [string, string, boolean][] = [
    ['src/core/formats/x.ts', "import { formatCount } from '../../protocol/display';", true],
    ['src/core/x.ts', "import * as vscode from 'vscode';", true],
    ['src/core/train/x.ts', "import { main } from '../../cli/main';", true],
    ['src/protocol/x.ts', "import { activate } from '../extension/extension';", true],
    ['src/protocol/x.ts', "import type { ErrorInfo } from '../core/labError';", false],
    ['webview/shared/x.ts', "import { LabError } from '../../src/core/labError';", true],
    ['webview/shared/x.ts', "import { readFileSync } from 'node:fs';", true],
    ['webview/shared/x.ts', "import type { ErrorInfo } from '../../src/protocol/errorInfo';", false],
    ['src/cli/x.ts', "import * as vscode from 'vscode';", true],
    ['src/worker/x.ts', "import { main } from '../cli/main';", true],
    ['src/extension/x.ts', "import { runJob } from '../worker/main';", true],
    ['src/extension/x.ts', "import * as vscode from 'vscode';", false],
  ];
  for (const [file, source, expected] of cases) assert.equal(await refused(file, source), expected, `${file}: ${source}`);
});

test('architecture: the import scanner sees every kind of import', () => {
  // Guards the walks below against a scanner that silently finds nothing.
  assert.deepEqual(importsOf('test/architecture.test.ts').slice(0, 5), ['node:test', 'node:assert/strict', 'node:fs', 'node:path', 'eslint']);
});

/**
 * Value imports of a file (static, dynamic, require, re-exports), without `import type` / `export type`,
 * which leave nothing in the bundle.
 */
function valueImportsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/^\s*(import|export)\s+type\s[^;]*;/gm, '');
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
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
const HEAVY = [
  /^@tensorflow\//,
  /^src\/core\/models\/(tf|weightSpaceModel|equivariantLayer|paramStore)\.ts$/,
  /^src\/core\/inr\/(backend|wasm\w*|tfjsBackend|reference)\.ts$/,
  /^src\/core\/train\/(trainer|checkpoint|evaluate|trainingBatch)\.ts$/,
  /^src\/kernels\//,
  /^src\/worker\//,
];

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
  const graph = new Map(
    files.map((f) => [f, importsOf(f).flatMap((s) => (s.startsWith('.') ? [resolveSource(f, s)].filter((t): t is string => t !== undefined) : []))]),
  );
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
