// `npm run test:electron`: the extension-host suite (test/vscode/host/*.host.ts) the conventional way, with
// @vscode/test-electron: VS Code 1.100.3 (desktop, Electron) is downloaded into .vscode-test/electron and
// started with this work tree as the extension under development, on a fresh copy of the test workspace.
// Where VS Code cannot be downloaded (no internet, as on the lab's CI machine) or has no display to open
// its window on (no $DISPLAY and no xvfb-run), it skips with the reason and exits 0: `npm run test:vscode`
// runs the same suite, and the UI scenarios, in code-server there.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_DIR, ROOT, bundleHostSuite, log, prepareWorkspace, run } from './lib.mjs';

const VSCODE_VERSION = '1.100.3';
const DOWNLOAD_TIMEOUT_MS = 60_000;

function skip(reason) {
  console.log(`test:electron skipped: ${reason}.\nThe same extension-host suite runs in code-server: npm run test:vscode`);
  process.exit(0);
}

const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');

let executable;
try {
  log(`downloading VS Code ${VSCODE_VERSION} (cached in ${join(CACHE_DIR, 'electron')})`);
  executable = await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: join(CACHE_DIR, 'electron'), timeout: DOWNLOAD_TIMEOUT_MS });
} catch (e) {
  skip(`VS Code ${VSCODE_VERSION} cannot be downloaded here (${(e?.message ?? String(e)).split('\n')[0]})`);
}

// Linux needs a display for the window: the desktop's, or a virtual one from xvfb-run.
const xvfb = process.platform === 'linux' && !process.env.DISPLAY;
if (xvfb && spawnSync('xvfb-run', ['--help']).error) skip('there is no display ($DISPLAY is unset) and no xvfb-run to make one (apt-get install xvfb)');
if (xvfb && !process.env.WSLAB_UNDER_XVFB) {
  const again = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, WSLAB_UNDER_XVFB: '1' } });
  process.exit(again.status ?? 1);
}

log('development build (scripts/build.mjs)');
run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')]);
const hostDir = join(CACHE_DIR, 'electron-host-tests');
rmSync(hostDir, { recursive: true, force: true });
await bundleHostSuite(hostDir);
const workspace = prepareWorkspace();
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(hostDir, 'index.js'),
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(dirname(workspace), 'user-data')],
  });
  console.log('test:electron: the extension-host suite passed');
} catch (e) {
  console.error(`test:electron: ${e?.message ?? e}${existsSync(join(hostDir, 'results.json')) ? ` (results: ${join(hostDir, 'results.json')})` : ''}`);
  process.exitCode = 1;
} finally {
  rmSync(dirname(workspace), { recursive: true, force: true });
}
