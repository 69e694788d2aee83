/**
 * Training before a dataset exists, or a run that fails before its first checkpoint, leaves no trap: the
 * first names the dataset and how to make it and writes nothing; the second can simply be run again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { readStatus } from '../../src/core/train/runFolder';
import { tinyDataset } from '../helpers/tinyDataset';

async function run(args: string[]) {
  const err: string[] = [];
  const code = await main(args, { stdout: () => undefined, stderr: (t) => err.push(t) });
  return { code, stderr: err.join('\n') };
}

test('training on a dataset folder that does not exist says how to make it and leaves no run folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wslab-no-dataset-'));
  const config = join(root, 'exp.json');
  writeFileSync(config, JSON.stringify({ dataset: join(root, 'datasets', 'mnist'), model: { kind: 'mlp' } }));
  const runs = join(root, 'runs');
  const r = await run(['train', '--config', config, '--runs', runs, '--progress', 'none']);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /datasets\/mnist: no such dataset folder; make it with `npx wslab generate --dataset mnist --out .*datasets\/mnist`.*in VS Code: Generate INR Dataset…/,
  );
  assert.equal(existsSync(runs), false, 'nothing was written');
});

test('a run that failed before its first checkpoint runs again without --resume', async () => {
  const dataset = await tinyDataset();
  const root = mkdtempSync(join(tmpdir(), 'wslab-restart-'));
  const config = join(root, 'exp.json');
  const runs = join(root, 'runs');
  // gnn has no fused kernels: backend "fused" fails as the run starts, before any epoch.
  writeFileSync(
    config,
    JSON.stringify({ dataset, model: { kind: 'gnn', hidden: 4, layers: 1, headHidden: 8 }, optimizer: { epochs: 1, batchSize: 16 }, backend: 'fused' }),
  );
  const failed = await run(['train', '--config', config, '--runs', runs, '--progress', 'none']);
  assert.equal(failed.code, 1);
  assert.equal((await readStatus(join(runs, 'exp')))?.state, 'failed');
  writeFileSync(config, JSON.stringify({ dataset, model: { kind: 'mlp', hidden: 8, layers: 1, headHidden: 8 }, optimizer: { epochs: 1, batchSize: 16 } }));
  const again = await run(['train', '--config', config, '--runs', runs, '--progress', 'none']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await readStatus(join(runs, 'exp')))?.state, 'done');
  // A run with a checkpoint is not started over: it needs --resume.
  const third = await run(['train', '--config', config, '--runs', runs, '--progress', 'none']);
  assert.equal(third.code, 1);
  assert.match(third.stderr, /already holds a run: pass --resume/);
});
