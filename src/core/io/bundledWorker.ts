/**
 * Build outputs of this package and the worker threads that run them. Every worker_threads entry is
 * bundled into dist/ by scripts/build.mjs; when this code runs as TypeScript under tsx (the tests, the
 * benchmarks), a worker runs its TypeScript source instead, registering tsx's CommonJS hook in the thread
 * first (Node 20 does not pass `--import tsx` on to workers).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A build output in dist/ of this package (the repository, or the installed extension): the folder
 * holding package.json is found upwards from this file, whether it runs as TypeScript under tsx or
 * bundled into dist/.
 */
export function distFile(name: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const path = join(dir, 'dist', name);
      if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
      return path;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

/** A worker running dist/`bundle`, or under tsx the TypeScript file `source` (an absolute path). */
export function startBundledWorker(bundle: string, source: string, options: WorkerOptions = {}): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(distFile(bundle), options);
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`, { ...options, eval: true });
}
