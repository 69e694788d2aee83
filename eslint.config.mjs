// ESLint (npm run lint, part of npm test): typescript-eslint's recommended rules, and the architecture's
// never-rules as import restrictions — dependencies point inward (docs/architecture.md):
//   src/core      imports nothing of ours outside src/core, never vscode
//   src/protocol  may use src/core (types), nothing else of ours, never vscode
//   webview       talks to the host only through src/protocol; no Node built-ins, no vscode
//   src/cli, src/worker  never vscode, the extension or webview code (the worker not the CLI either)
//   src/extension never the CLI, the worker (a separate process) or webview code
// test/architecture.test.ts keeps what a lint rule cannot see: import loops, and that TensorFlow.js,
// the kernels and the trainer never load in the extension host.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A relative import that lands in one of `areas` (src/<area>, or webview): `../../protocol/x`, `../cli`, … */
const into = (areas) => ({ regex: `^(\\.\\./)+(src/)?(${areas.join('|')})(/|$)`, message: 'dependencies point inward (docs/architecture.md)' });
const vscode = { name: 'vscode', message: 'only src/extension may import vscode' };

/** Files in `files` may not import `paths` (packages) or relative paths into `areas`. */
const restrict = (files, areas, paths = [vscode]) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns: areas.length ? [into(areas)] : [] }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'media/', 'node_modules/', '.vscode-test/', 'src/kernels/', 'demo/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a value left out of a rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // TypeScript checks names; plain .mjs scripts run in Node.
  { files: ['**/*.ts'], rules: { 'no-undef': 'off' } },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URL: 'readonly' },
    },
  },
  // Browser tests hand untyped values between Node and the page (page.evaluate).
  { files: ['test/browser/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Tests load the built bundles afresh under a stand-in `vscode` (require, after clearing the cache).
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  restrict(['src/core/**/*.ts'], ['protocol', 'cli', 'worker', 'extension', 'webview']),
  restrict(['src/protocol/**/*.ts'], ['cli', 'worker', 'extension', 'webview']),
  restrict(
    ['webview/**/*.ts'],
    ['core', 'cli', 'worker', 'extension'],
    [vscode, { name: 'node:fs', message: 'webview code runs in the browser' }, { name: 'node:path', message: 'webview code runs in the browser' }],
  ),
  restrict(['src/cli/**/*.ts'], ['extension', 'webview']),
  restrict(['src/worker/**/*.ts'], ['cli', 'extension', 'webview']),
  restrict(['src/extension/**/*.ts'], ['cli', 'worker', 'webview'], []),
);
