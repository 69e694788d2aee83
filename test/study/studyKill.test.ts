/**
 * `wslab study` killed (SIGKILL to its process group: the study and the training run it started) in the
 * middle of a run, then run again, writes the same study.json as a study that ran straight through —
 * finished runs are kept and the interrupted one resumes from its last epoch, bit-exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../../src/core/train/checkpoint';
import { tinyDataset } from '../helpers/tinyDataset';
import { waitFor } from '../helpers/waitFor';

const CLI = 'dist/cli.js';

test('a study killed mid-run and run again writes the same study.json as an uninterrupted one', async () => {
  const dataset = await tinyDataset();
  const root = mkdtempSync(join(tmpdir(), 'wslab-study-kill-'));
  const file = join(root, 'kill.study.wslab.json');
  writeFileSync(
    file,
    JSON.stringify({
      base: { dataset, model: { kind: 'dwsnet', hidden: 4, layers: 2, headHidden: 8 }, optimizer: { epochs: 4, batchSize: 6, warmupSteps: 2 }, logEvery: 2 },
      sizes: [12, 36],
      conditions: [
        { name: 'none', augment: [] },
        { name: 'neg', augment: [{ name: 'siren-negation', p: 0.5 }] },
      ],
      seeds: [3],
    }),
  );
  const study = (out: string) => [CLI, 'study', file, '--out', out, '--progress', 'none'];
  const whole = join(root, 'whole');
  const straight = spawnSync(process.execPath, study(whole), { encoding: 'utf8' });
  assert.equal(straight.status, 0, straight.stderr);

  // Kill the study and its training process once the second run has saved an epoch but not finished.
  const killed = join(root, 'killed');
  const child = spawn(process.execPath, study(killed), { stdio: 'ignore', detached: true });
  const last = join(killed, 'runs', 'none-n36-seed3', 'last.safetensors');
  await waitFor(async () => existsSync(last) && ((await readCheckpoint(last).catch(() => undefined))?.progress?.epoch ?? 0) >= 1, 60_000);
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const partial = JSON.parse(readFileSync(join(killed, 'study.json'), 'utf8')) as { runsFinished: number; complete: boolean };
  assert.equal(partial.complete, false);
  assert.ok(partial.runsFinished >= 1 && partial.runsFinished < 4, `killed with ${partial.runsFinished} runs finished`);

  const rerun = spawnSync(process.execPath, study(killed), { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.equal(readFileSync(join(killed, 'study.json'), 'utf8'), readFileSync(join(whole, 'study.json'), 'utf8'));
  assert.match(readFileSync(join(killed, 'report.html'), 'utf8'), /complete: 4 runs/);
});
