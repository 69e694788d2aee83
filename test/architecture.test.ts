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
