/**
 * A training run killed with SIGKILL mid-way and resumed with --resume ends exactly where an
 * uninterrupted run with the same config ends: bit-identical model and optimizer tensors, the same
 * metric records (wall time aside) and the same summary accuracies — on TensorFlow.js (wasm) and on the fused
 * kernels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWeightSet } from '../../src/core/formats/registry';
import { readCheckpoint } from '../../src/core/train/checkpoint';
import { readMetrics, readStatus, readSummary } from '../../src/core/train/runFolder';
import { tinyDataset } from '../helpers/tinyDataset';
import { waitFor } from '../helpers/waitFor';

const CLI = 'dist/cli.js';

function trainArgs(config: string, runs: string, resume = false): string[] {
  return [CLI, 'train', '--config', config, '--runs', runs, '--progress', 'none', ...(resume ? ['--resume'] : [])];
}

for (const backend of ['wasm', 'fused'] as const)
  test(`a run killed with SIGKILL and resumed equals an uninterrupted run (backend ${backend})`, async () => {
    const dataset = await tinyDataset();
    const root = mkdtempSync(join(tmpdir(), 'wslab-resume-'));
    const config = join(root, 'exp.json');
    writeFileSync(
      config,
      JSON.stringify({
        dataset,
        model: { kind: 'dwsnet', hidden: 8, layers: 2, headHidden: 16 },
        optimizer: { epochs: 6, batchSize: 8, warmupSteps: 5 },
        augment: [
          { name: 'siren-negation', p: 0.5 },
          { name: 'mixup', p: 0.5 },
        ],
        labelSmoothing: 0.1,
        backend,
        seed: 4,
        logEvery: 2,
      }),
    );
    const whole = join(root, 'whole');
    const killed = join(root, 'killed');
    assert.equal(spawnSync(process.execPath, trainArgs(config, whole), { encoding: 'utf8' }).status, 0);

    // Kill as soon as the checkpoint of epoch ≥ 2 exists (mid-epoch 3 or later), then resume.
    const child = spawn(process.execPath, trainArgs(config, killed), { stdio: 'ignore' });
    const last = join(killed, 'exp', 'last.safetensors');
    await waitFor(async () => existsSync(last) && ((await readCheckpoint(last).catch(() => undefined))?.progress?.epoch ?? 0) >= 2, 60_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const stoppedAt = (await readCheckpoint(last)).progress!.epoch;
    assert.ok(stoppedAt < 6, `killed before the end (after epoch ${stoppedAt})`);
    assert.equal((await readStatus(join(killed, 'exp')))?.state, 'running', 'a killed run is left marked running');
    const again = spawnSync(process.execPath, trainArgs(config, killed), { encoding: 'utf8' });
    assert.notEqual(again.status, 0, 'without --resume an existing run is refused');
    assert.match(again.stderr, /--resume/);
    assert.equal(spawnSync(process.execPath, trainArgs(config, killed, true), { encoding: 'utf8' }).status, 0);

    for (const file of ['last.safetensors', 'best.safetensors']) {
      const a = await readWeightSet(join(whole, 'exp', file));
      const b = await readWeightSet(join(killed, 'exp', file));
      assert.deepEqual(b.names, a.names);
      for (const t of a.tensors) assert.deepEqual(Buffer.from(b.get(t.name).data.buffer), Buffer.from(t.data.buffer), `${file} ${t.name}`);
    }
    const strip = (records: Awaited<ReturnType<typeof readMetrics>>) => records.map(({ time: _time, ...rest }) => rest);
    assert.deepEqual(strip(await readMetrics(join(killed, 'exp'))), strip(await readMetrics(join(whole, 'exp'))));
    const [sa, sb] = [await readSummary(join(whole, 'exp')), await readSummary(join(killed, 'exp'))];
    assert.equal(sb!.bestValAccuracy, sa!.bestValAccuracy);
    assert.equal(sb!.testAccuracyAtBest, sa!.testAccuracyAtBest);
    assert.equal((await readStatus(join(killed, 'exp')))?.state, 'done');
  });
