/**
 * `npm run soak`: the full crash soak — ≥ 20 SIGKILLs of a real `wslab generate` and of a real
 * `wslab train`, each at a seeded random moment (every 4th in the middle of a file write), each followed
 * by a check that nothing is half-written and a resume; the final dataset and run must equal
 * uninterrupted ones. Options: `-- --kills N --seed S --only generate|train`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { soakGenerate, soakTrain, type SoakReport } from './crashSoak';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' }, only: { type: 'string' } } });
const kills = Number(values.kills);
const seed = Number(values.seed);
const work = mkdtempSync(join(tmpdir(), 'wslab-soak-'));
const log = (line: string) => console.log(line);

function report(r: SoakReport): void {
  const midWrite = r.kills.filter((k) => k.mode === 'mid-write');
  console.log(
    `${r.what}: ${r.kills.length} kills (${midWrite.length} waiting for a write, ${r.kills.filter((k) => k.tempFiles > 0).length} of all kills left a half-written temporary file), ` +
      `${r.finishedEarly} session(s) finished before their kill; uninterrupted run ${(r.referenceMs / 1000).toFixed(1)} s, soak ${(r.soakMs / 1000).toFixed(1)} s; ` +
      'no half-written file after any kill; final result identical to the uninterrupted run',
  );
}

async function main(): Promise<void> {
  try {
    if (values.only !== 'train')
      report(await soakGenerate({ kills, seed, work: join(work, 'g'), limit: 600, steps: 150, shardSize: 16, midWriteEvery: 4, log }));
    if (values.only !== 'generate')
      report(await soakTrain({ kills, seed, work: join(work, 't'), inrs: 200, epochs: 12, batchSize: 16, midWriteEvery: 4, log }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
main().catch((e) => {
  console.error(`soak failed: ${(e as Error).message}`);
  process.exit(1);
});
