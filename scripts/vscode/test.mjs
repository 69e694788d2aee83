// `npm run test:vscode`: the extension in a real VS Code (code-server 4.100.3 + Debian's Chromium).
//
//   1. installs what is missing: Debian chromium (and, for the code-server install, libkrb5-dev + ripgrep);
//      code-server into .vscode-test/ (cached; ~2 min the first time)
//   2. packs the .vsix from a production build (as `npm run package`) and installs it into a temporary
//      extensions dir; makes the development build and bundles the extension-host suite
//   3. starts code-server (own process group, free loopback port, temp user-data/extensions dirs) and Chromium
//   4. (a) extension-host suite: test/vscode/host/*.host.ts run by mocha inside the real extension host,
//          loaded from the work tree the way @vscode/test-electron does (extensionDevelopmentPath/TestsPath)
//      (b) UI scenarios: test/vscode/ui/*.ui.ts, Playwright against the workbench with the .vsix installed;
//          screenshots in test-results/
//      (c) Restricted Mode: test/vscode/host/*.untrusted.ts in a second code-server with workspace trust on,
//          on the same workspace (untrusted there)
//   5. stops everything it started (also on failure, Ctrl-C or the overall timeout) and prints
//      `N passed, N failed` as its last line; exits 1 on any failure.
//
// Options: --host-only | --ui-only, --grep TEXT (both suites), --keep (keep the run folder and logs),
// --extension DIR (test that copy of the extension instead of this work tree),
// --update-screenshots (copy the README screenshots from test-results/ to docs/screenshots/ after a green run).
// Environment: WSLAB_VSCODE_TIMEOUT_S (overall limit, default 1500), WSLAB_VSCODE_CACHE (cache folder).
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  CACHE_DIR,
  ROOT,
  bundleHostSuite,
  ensureAptPackages,
  ensureCodeServer,
  freePort,
  installExtension,
  killAllGroups,
  log,
  packageExtension,
  prepareProfile,
  prepareWorkspace,
  readManifest,
  run,
  startChromium,
  startCodeServer,
} from './lib.mjs';

/** Screenshots the README uses (test-results/NAME.png → docs/screenshots/NAME.png). */
const README_SCREENSHOTS = [
  'inspector-safetensors',
  'inspector-forbidden-global',
  'experiment-tree',
  'generate-progress',
  'preview-augmentations',
  'compare-runs',
  'settings',
  'walkthrough',
  'restricted-mode-experiments',
];

const argv = process.argv.slice(2);
const has = (flag) => argv.includes(flag);
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const only = has('--host-only') ? 'host' : has('--ui-only') ? 'ui' : undefined;
const grep = valueOf('--grep');
const keep = has('--keep');
/** --extension DIR: test another copy of the extension (e.g. a scratch copy with a deliberate bug). */
const extensionRoot = resolve(valueOf('--extension') ?? ROOT);
const cleanups = [];
const timeoutS = Number(process.env.WSLAB_VSCODE_TIMEOUT_S ?? 1500);

const RESULTS = join(ROOT, 'test-results');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function summaryLine() {
  return `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
}

function finish(code) {
  killAllGroups();
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // best effort: the next cleanup still runs
    }
  }
  if (failures.length > 0) {
    console.log('\nfailures:');
    for (const f of failures) console.log(`  - ${f}`);
  }
  console.log(`\nreal VS Code (code-server) tests: logs and screenshots in ${relative(ROOT, RESULTS)}/`);
  console.log(summaryLine());
  process.exit(code);
}

const overall = setTimeout(() => {
  log(`overall timeout of ${timeoutS} s reached: stopping everything`);
  totals.failed += 1;
  failures.push(`timeout: the run took longer than ${timeoutS} s (WSLAB_VSCODE_TIMEOUT_S)`);
  finish(1);
}, timeoutS * 1000);

process.on('uncaughtException', (e) => {
  totals.failed += 1;
  failures.push(`harness error: ${e?.stack ?? e}`);
  finish(1);
});

try {
  await main();
  clearTimeout(overall);
  finish(totals.failed > 0 ? 1 : 0);
} catch (e) {
  totals.failed += 1;
  failures.push(`harness error: ${e?.stack ?? e}`);
  finish(1);
}

async function main() {
  // ── 1. tools ────────────────────────────────────────────────────────────────────────────────────────
  ensureAptPackages(['chromium']);
  const bin = ensureCodeServer();

  // ── 2. build, bundle the host suite, pack + install the .vsix ─────────────────────────────────────
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(join(RESULTS, 'logs'), { recursive: true });
  const runsDir = join(CACHE_DIR, 'runs');
  // Runs live inside the repository so that the host suite's require('mocha') resolves to node_modules/.
  for (const old of existsSync(runsDir) ? readdirSync(runsDir) : []) {
    const pid = Number(/-(\d+)$/.exec(old)?.[1]);
    if (!isAlive(pid)) rmSync(join(runsDir, old), { recursive: true, force: true }); // not a run going on beside this one
  }
  const runDir = join(runsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  const workspace = prepareWorkspace();
  if (!keep) cleanups.push(() => rmSync(dirname(workspace), { recursive: true, force: true }));

  const where = extensionRoot !== ROOT ? ` in ${extensionRoot}` : '';
  const profile = prepareProfile(join(runDir, 'profile'));
  if (only !== 'host') {
    // The UI scenarios run what `npm run package` ships: the production build, packed by vsce.
    log(`production build and .vsix${where}`);
    run(process.execPath, [join(extensionRoot, 'scripts', 'build.mjs'), '--production'], { cwd: extensionRoot });
    const version = readManifest(extensionRoot).version;
    const vsix = packageExtension(join(runDir, `weight-space-lab-${version}.vsix`), extensionRoot);
    log(`installing ${relative(ROOT, vsix)} into the test profile`);
    installExtension(bin, vsix, profile);
  }
  // The extension-host suite loads the work tree's dist/: the development build, with source maps.
  log(`development build (scripts/build.mjs)${where}`);
  run(process.execPath, [join(extensionRoot, 'scripts', 'build.mjs')], { cwd: extensionRoot });

  const hostDir = join(runDir, 'host-tests');
  await bundleHostSuite(hostDir);

  // ── 3. code-server + Chromium ──────────────────────────────────────────────────────────────────────
  const port = await freePort();
  const server = await startCodeServer({
    bin,
    port,
    folder: workspace,
    profile,
    logFile: join(RESULTS, 'logs', 'code-server.log'),
    env: { WSLAB_VSCODE_GREP: grep ?? '' },
  });
  log(`code-server ${server.url} (pid ${server.pid}, workspace ${relative(ROOT, workspace)})`);
  const browser = await startChromium({ userDataDir: join(runDir, 'chromium'), logFile: join(RESULTS, 'logs', 'chromium.log') });
  log(`chromium pid ${browser.pid}`);

  // ── 4a. extension-host suite ───────────────────────────────────────────────────────────────────────
  if (only !== 'ui') await runHostSuite({ server, browser, workspace, hostDir, name: 'host-suite' });
  // ── 4b. UI scenarios ───────────────────────────────────────────────────────────────────────────────
  if (only !== 'host') await runUiScenarios({ server, browser, workspace });
  server.stop();

  // ── 4c. Restricted Mode: the same workspace, untrusted, in a second code-server with trust on ──────────
  if (only !== 'ui') {
    const untrustedProfile = prepareProfile(join(runDir, 'profile-untrusted'), {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.untrustedFiles': 'open',
    });
    const untrusted = await startCodeServer({
      bin,
      port: await freePort(),
      folder: workspace,
      profile: untrustedProfile,
      logFile: join(RESULTS, 'logs', 'code-server-untrusted.log'),
      env: { WSLAB_VSCODE_GREP: grep ?? '', WSLAB_VSCODE_SUITE: 'untrusted' },
      workspaceTrust: true,
    });
    log(`code-server (workspace trust on) ${untrusted.url} (pid ${untrusted.pid})`);
    await runHostSuite({ server: untrusted, browser, workspace, hostDir, name: 'restricted-mode' });
    untrusted.stop();
  }
  browser.stop();
  // Extension-host and workbench logs of the server, for a failed run.
  const logsDir = join(profile.userDataDir, 'logs');
  if (existsSync(logsDir)) cpSync(logsDir, join(RESULTS, 'logs', 'vscode'), { recursive: true });
  if (totals.failed === 0 && has('--update-screenshots')) {
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    for (const name of README_SCREENSHOTS) {
      copyFileSync(join(RESULTS, `${name}.png`), join(ROOT, 'docs', 'screenshots', `${name}.png`));
      log(`docs/screenshots/${name}.png updated`);
    }
  }
  if (!keep && totals.failed === 0) rmSync(runDir, { recursive: true, force: true });
  else log(`run folder kept: ${relative(ROOT, runDir)}`);
}

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runHostSuite({ server, browser, workspace, hostDir, name }) {
  const { chromium } = await import('playwright-core');
  log(`extension-host suite: ${name}`);
  rmSync(join(hostDir, 'results.json'), { force: true }); // the runner writes it beside itself, per suite
  const started = Date.now();
  const cdp = await chromium.connectOverCDP(browser.wsEndpoint);
  const context = await cdp.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  // A host test asks for a screenshot of its window by logging "wslab-screenshot:NAME" (see helpers.ts).
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = (args ?? []).join(' ');
    consoleLines.push(`[host ${type}] ${line}`);
    const name = /wslab-screenshot:([\w.-]+)/.exec(line)?.[1];
    if (name) void page.screenshot({ path: join(RESULTS, `${name}.png`) }).catch(() => undefined);
  });
  let exitCode;
  const exited = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
      resolve(code);
    });
  });
  const remote = (path) => `vscode-remote://${new URL(server.url).host}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionRoot)],
    ['extensionTestsPath', remote(join(hostDir, 'index.js'))],
  ];
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const limitMs = 900_000; // generation and training in the worker, on 2 cores
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), limitMs))]);
  await page.screenshot({ path: join(RESULTS, `${name}-window.png`) }).catch(() => undefined);
  writeFileSync(join(RESULTS, 'logs', `${name}-browser-console.log`), consoleLines.join('\n') + '\n');
  await context.close().catch(() => undefined);
  await cdp.close().catch(() => undefined);

  const resultsFile = join(hostDir, 'results.json');
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const line of results.lines) console.log(line);
    totals.passed += results.passed;
    totals.failed += results.failed;
    totals.skipped += results.pending;
    for (const r of results.results) if (r.state === 'failed') failures.push(`${name}: ${r.title}`);
    if (results.failed === 0 && code !== 0) {
      totals.failed += 1;
      failures.push(`${name}: the window exited with ${code} although every test passed`);
    }
  } else {
    totals.failed += 1;
    failures.push(
      code === 'timeout'
        ? `${name}: the extension-host suite did not finish in ${limitMs / 1000} s`
        : `${name}: the extension-host suite reported nothing (window exit code ${exitCode}); see test-results/logs/`,
    );
    console.log(
      consoleLines
        .filter((l) => /error|fail/i.test(l))
        .slice(-20)
        .join('\n'),
    );
  }
  log(`${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function runUiScenarios({ server, browser, workspace }) {
  log('(b) UI scenarios');
  const started = Date.now();
  Object.assign(process.env, {
    WSLAB_CODE_SERVER_URL: server.url,
    WSLAB_CDP_ENDPOINT: browser.wsEndpoint,
    WSLAB_WORKSPACE: workspace,
    WSLAB_SCREENSHOTS: RESULTS,
  });
  // The scenarios are TypeScript (CommonJS, like the rest of test/): tsx compiles them on load.
  (await import('tsx/cjs/api')).register();
  (await import('tsx/esm/api')).register();
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, color: false });
  if (grep) mocha.grep(grep);
  const uiDir = join(ROOT, 'test/vscode/ui');
  for (const file of readdirSync(uiDir)
    .filter((f) => f.endsWith('.ui.ts'))
    .sort())
    mocha.addFile(join(uiDir, file));
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    runner.on('fail', (test) => failures.push(`ui: ${test.fullTitle()}`));
  });
  totals.passed += stats.passes;
  totals.failed += stats.failures;
  totals.skipped += stats.pending;
  log(`(b) done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
