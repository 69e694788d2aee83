/** Study files: planning every run (names, settings, order), and errors that name the file, key or run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStudy, resolveStudy, StudyError } from '../../src/core/study/studyConfig';
import { planStudy, runExperiment, validatePlan } from '../../src/core/study/studyPlan';
import { resolveConfig } from '../../src/core/train/experimentConfig';

const root = mkdtempSync(join(tmpdir(), 'wslab-study-plan-'));
const file = join(root, 'sizes.study.wslab.json');

test('a study plans curve × size × seed runs, each the base experiment with its keys set', async () => {
  const study = await resolveStudy(
    {
      base: { dataset: 'data/inrs', optimizer: { epochs: 7 } },
      sizes: [800, 100],
      conditions: [
        { name: 'none', augment: [] },
        { name: 'mix', augment: [{ name: 'mixup', p: 0.5 }] },
      ],
      models: [
        { name: 'dws', model: { kind: 'dwsnet' } },
        { name: 'nfn', model: { kind: 'nfn-np', hidden: 8 } },
      ],
      axes: [{ key: 'optimizer.lr', values: [0.001, 0.003] }],
      seeds: [4, 2],
    },
    file,
  );
  assert.equal(study.name, 'sizes');
  assert.deepEqual(study.sizes, [100, 800], 'sizes sorted');
  assert.equal(study.base.dataset, join(root, 'data', 'inrs'), 'the dataset is relative to the study file');
  const plan = planStudy(study);
  assert.equal(plan.series.length, 2 * 2 * 2);
  assert.equal(plan.runs.length, 8 * 2 * 2);
  assert.equal(new Set(plan.runs.map((r) => r.name)).size, plan.runs.length, 'run names are unique');
  assert.deepEqual(plan.series.map((s) => s.key).slice(0, 3), ['none-dws-lr0.001', 'none-dws-lr0.003', 'none-nfn-lr0.001']);
  assert.equal(plan.series[1]!.label, 'none · dws · lr 0.003');
  // Curves differing only in the condition share a group (data-equivalents compare within it).
  assert.equal(plan.series[0]!.group, plan.series[4]!.group);
  assert.notEqual(plan.series[0]!.group, plan.series[1]!.group);

  const run = plan.runs.find((r) => r.name === 'mix-nfn-lr0.003-n800-seed2')!;
  assert.ok(run, plan.runs.map((r) => r.name).join(' '));
  const config = resolveConfig(runExperiment(study, run), file);
  assert.equal(config.name, run.name);
  assert.equal(config.trainLimit, 800);
  assert.equal(config.seed, 2);
  assert.equal(config.optimizer.lr, 0.003);
  assert.equal(config.optimizer.epochs, 7, 'base keys are kept');
  assert.equal(config.model.kind, 'nfn-np');
  assert.equal(config.model.hidden, 8);
  assert.deepEqual(
    config.augment.map((a) => [a.name, a.p]),
    [['mixup', 0.5]],
  );
  assert.deepEqual(study.base.optimizer, { epochs: 7 }, 'planning does not edit the base');
});

test('a base experiment in its own file is read relative to the study, its dataset relative to itself', async () => {
  const dir = mkdtempSync(join(root, 'base-'));
  writeFileSync(join(dir, 'exp.wslab.json'), JSON.stringify({ dataset: '../inrs', model: { kind: 'statnn' } }));
  writeFileSync(join(dir, 'mine.study.wslab.json'), JSON.stringify({ base: 'exp.wslab.json', sizes: [10] }));
  const study = await readStudy(join(dir, 'mine.study.wslab.json'));
  assert.equal(study.base.dataset, join(root, 'inrs'));
  assert.deepEqual(study.seeds, [0, 1, 2]);
  const plan = planStudy(study);
  assert.deepEqual(
    plan.runs.map((r) => r.name),
    ['mine-n10-seed0', 'mine-n10-seed1', 'mine-n10-seed2'],
  );
  assert.equal(plan.series[0]!.condition, null);
});

test('bad studies fail with errors naming the file and the problem', async () => {
  const bad = async (raw: unknown, pattern: RegExp) => {
    await assert.rejects(
      (async () => {
        const study = await resolveStudy(raw, file);
        validatePlan(study, planStudy(study));
      })(),
      (e: unknown) => e instanceof StudyError && e.message.includes(file) && pattern.test(e.message),
    );
  };
  await bad({ base: { dataset: 'x' } }, /sizes/);
  await bad({ base: { dataset: 'x' }, sizes: [10], sizez: 1 }, /sizez/);
  await bad({ base: { dataset: 'x' }, sizes: [0] }, /sizes/);
  await bad(
    {
      base: { dataset: 'x' },
      sizes: [10],
      conditions: [
        { name: 'a', augment: [] },
        { name: 'a', augment: [] },
      ],
    },
    /condition "a" is given twice/,
  );
  await bad({ base: { dataset: 'x' }, sizes: [10], axes: [{ key: 'trainLimit', values: [1, 2] }] }, /trainLimit" cannot be an axis/);
  await bad({ base: { dataset: 'x' }, sizes: [10], models: [{ name: 'm', model: {} }], axes: [{ key: 'model.hidden', values: [1] }] }, /the models set model/);
  await bad({ base: { model: {} }, sizes: [10] }, /needs a "dataset"/);
  await bad({ base: 'missing.wslab.json', sizes: [10] }, /cannot read the base experiment/);
  // A bad key in the base or a condition fails before anything trains, naming the run it breaks.
  await bad({ base: { dataset: 'x', optimizer: { lr: -1 } }, sizes: [10] }, /run sizes-n10-seed0: .*optimizer\.lr/);
  await bad(
    { base: { dataset: 'x' }, sizes: [10], conditions: [{ name: 'odd', augment: [{ name: 'no-such-aug' }] }] },
    /run odd-n10-seed0: .*unknown augmentation "no-such-aug"/,
  );
});
