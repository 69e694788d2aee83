// `npm run package`: a production build (minified, no source maps) packed by vsce into
// weight-space-lab-<version>.vsix at the repository root. Offline: vsce needs no network for `package`.
// Install it with `code --install-extension weight-space-lab-<version>.vsix` (or Extensions view → … →
// Install from VSIX…); `npm run serve` installs it into code-server.
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, log, packageExtension, readManifest, run } from './lib.mjs';

const { name, version } = readManifest();
log('production build (scripts/build.mjs --production)');
run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production']);
const out = packageExtension(join(ROOT, `${name}-${version}.vsix`));
const size = statSync(out).size;
log(`${relative(ROOT, out)}: ${(size / 1024).toFixed(0)} KiB (${size} bytes)`);
