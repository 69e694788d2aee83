/**
 * Child-process helper for the write-failure tests: performs one write (a dataset shard, a run folder
 * JSON file, a metrics append or a plain atomic write) and prints what happened as one JSON line. Run as
 * another user (uid `nobody`) to get a real "permission denied" when the tests run as root.
 *   node --import tsx test/io/writeAs.ts shard|run-json|metrics|atomic PATH [INRS]
 */
import { dirname, basename } from 'node:path';
import { writeFileAtomic } from '../../src/core/io/atomicWrite';
import { FileWriteError } from '../../src/core/io/writeError';
import { writeShard } from '../../src/core/dataset/shard';
import { appendMetrics, writeJson } from '../../src/core/train/runFolder';
import { fakeShard } from './writeFixtures';

async function main(): Promise<void> {
  const [kind, path, count] = process.argv.slice(2) as [string, string, string | undefined];
  try {
    if (kind === 'shard') {
      const { settings, fitted } = fakeShard(Number(count ?? 4));
      await writeShard(path, settings, fitted);
    } else if (kind === 'run-json') await writeJson(dirname(path), basename(path), { state: 'new' });
    else if (kind === 'metrics') await appendMetrics(dirname(path), [{ step: 1, epoch: 1, split: 'train', loss: 1, accuracy: 0, lr: 0.1, time: 0 }]);
    else await writeFileAtomic(path, new TextEncoder().encode('new content'));
    console.log(JSON.stringify({ ok: true }));
  } catch (e) {
    const error = e as Error;
    console.log(
      JSON.stringify({ ok: false, name: error.constructor.name, reason: e instanceof FileWriteError ? e.reason : undefined, message: error.message }),
    );
  }
}
void main();
