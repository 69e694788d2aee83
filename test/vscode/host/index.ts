/**
 * Entry point of the extension-host suite, the @vscode/test-electron contract: VS Code loads this module
 * (the `extensionTestsPath` of the window's payload) inside the real extension host and awaits `run()`;
 * a rejected promise makes the window exit with code 1.
 *
 * scripts/vscode/test.mjs bundles every test/vscode/host/*.host.ts (and *.untrusted.ts) next to this file;
 * this runner adds one kind to mocha, prints one line per test, and writes results.json beside itself for the driver to count.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: QuietReporter });
  const grep = process.env.WSLAB_VSCODE_GREP;
  if (grep) mocha.grep(grep);
  // WSLAB_VSCODE_SUITE=untrusted: the Restricted Mode suite (*.untrusted.ts), run in an untrusted window.
  const suffix = process.env.WSLAB_VSCODE_SUITE === 'untrusted' ? '.untrusted.js' : '.host.js';
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith(suffix)) mocha.addFile(join(__dirname, file));
  }
  const results: TestResult[] = [];
  const lines: string[] = [];
  const say = (line: string): void => {
    lines.push(line);
    console.log(line);
  };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const counts = {
        passed: results.filter((r) => r.state === 'passed').length,
        failed: results.filter((r) => r.state === 'failed').length,
        pending: results.filter((r) => r.state === 'pending').length,
      };
      writeFileSync(join(__dirname, 'results.json'), JSON.stringify({ ...counts, results, lines }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => {
      results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      say(`  ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, err: Error) => {
      const error = err?.stack ?? String(err);
      results.push({ title: test.fullTitle(), state: 'failed', error });
      say(`  ✘ ${test.fullTitle()}\n${indent(error)}`);
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => {
      results.push({ title: test.fullTitle(), state: 'pending' });
      say(`  - ${test.fullTitle()} (pending)`);
    });
  });
}

/** Mocha needs a reporter; the listeners in run() do the reporting. */
class QuietReporter extends Mocha.reporters.Base {}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}
