// `npm run serve`: the product in a browser, on a machine without VS Code. Packs the extension (as
// `npm run package` does), installs the .vsix into a fresh code-server profile, lays out a demo workspace
// with a few sample weight files and serves it until Ctrl-C.
//
//   npm run serve                         http://127.0.0.1:8080 (or the next free port)
//   npm run serve -- --port 9000
//   npm run serve -- --host 0.0.0.0       reachable from other machines: there is NO password (auth none)
//   npm run serve -- --vsix FILE          serve a .vsix you already have instead of packing one
//   npm run serve -- --folder DIR         open DIR instead of the demo workspace
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import {
  ROOT,
  ensureCodeServer,
  freePort,
  installExtension,
  killAllGroups,
  log,
  packageExtension,
  prepareProfile,
  readManifest,
  run,
  startCodeServer,
} from './lib.mjs';

/** The demo workspace: a SIREN in each format, a NumPy archive and a malicious pickle the inspector refuses. */
const DEMO_FILES = {
  'siren.safetensors': 'test/fixtures/safetensors/siren.safetensors',
  'siren-sample.pth': 'samples/siren-sample.pth',
  'savez.npz': 'test/fixtures/numpy/savez.npz',
  'malicious-os-system.pth': 'test/fixtures/torch/malicious-os-system.pth',
};

const argv = process.argv.slice(2);
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const host = valueOf('--host') ?? '127.0.0.1';

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, host, () => server.close(() => resolvePort(true)));
  });
}

const base = mkdtempSync(join(tmpdir(), 'wslab-serve-'));
const removeBase = () => rmSync(base, { recursive: true, force: true });
process.on('exit', removeBase);

const bin = ensureCodeServer();
let vsix = valueOf('--vsix') && resolve(valueOf('--vsix'));
if (!vsix) {
  log('production build and .vsix');
  run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production']);
  const { name, version } = readManifest();
  vsix = packageExtension(join(base, `${name}-${version}.vsix`));
}
if (!existsSync(vsix)) throw new Error(`no such .vsix: ${vsix}`);
const profile = prepareProfile(join(base, 'profile'));
log(`installing ${vsix}`);
installExtension(bin, vsix, profile);

let folder = valueOf('--folder') && resolve(valueOf('--folder'));
if (!folder) {
  folder = join(base, 'weight-files');
  mkdirSync(folder);
  for (const [name, source] of Object.entries(DEMO_FILES)) copyFileSync(join(ROOT, source), join(folder, name));
}

const wanted = Number(valueOf('--port') ?? 8080);
const port = (await portIsFree(wanted)) ? wanted : await freePort();
const server = await startCodeServer({ bin, port, folder, profile, host, logFile: join(base, 'code-server.log') });
const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
console.log(`
  Weight Space Lab in VS Code (code-server), workspace ${folder}

    http://${shownHost}:${port}/?folder=${encodeURIComponent(folder)}

  Open a weight file from the explorer, or F1 → "Weight Space Lab: Inspect Weight File…".
  ${host === '0.0.0.0' ? 'Listening on every interface WITHOUT a password. ' : ''}Ctrl-C stops it (log: ${join(base, 'code-server.log')}).
`);
server.child.on('exit', (code, signal) => {
  log(`code-server exited (${code ?? signal})`);
  killAllGroups();
  process.exit(code ?? 1);
});
