// CompareSession (the host side of the panel, without vscode) driven by a fake host: the runs it sends,
// live appends from a growing run folder, exports (COMPARE_RPC's `save` requests, rpc.ts) written
// atomically and answered with one reply each, and messages it must refuse or drop; a run view (one run):
// its state, config and checkpoints, resent as the run changes, and its buttons turned into commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMetrics, truncateMetrics, writeJson, writeStatus } from '../../src/core/train/runFolder';
import { COMMAND_IDS } from '../../src/extension/commandIds';
import { CHANGE_DEBOUNCE_MS, CompareSession, readRunView, runViewCommand, type CompareHost } from '../../src/extension/panels/compare/session';
import type { CompareAppendMessage, CompareRunsMessage, CompareRunViewMessage, CompareStudyMessage, HostToCompare } from '../../src/protocol/compare';
import type { RpcReply } from '../../src/protocol/rpc';
import { decodeFloat32 } from '../../src/protocol/wire';
import { FIXTURE_RUNS } from './fixtureRuns';

const FIXTURE_STUDY = join(__dirname, 'fixtures', 'study');

/** A `save` request as the webview's RpcClient sends it. */
const save = (id: unknown, params: Record<string, unknown>) => ({ rpc: 'request', id, method: 'save', params });

/** A fake host: pushed messages go to `posted`, answers to requests to `replies`. */
function fakeHost(over: Partial<CompareHost> = {}) {
  const posted: HostToCompare[] = [];
  const replies: RpcReply[] = [];
  const logged: string[] = [];
  const executed: [string, unknown[]][] = [];
  const host: CompareHost = {
    post: (m) => ('rpc' in m ? replies.push(m) : posted.push(m)),
    askSavePath: async () => undefined,
    pickRuns: async () => undefined,
    runsChanged: () => undefined,
    studyShown: () => undefined,
    execute: async (command, args) => executed.push([command, [...args]]),
    log: (line) => logged.push(line),
    ...over,
  };
  return { host, posted, replies, logged, executed };
}

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wslab-compare-'));
  await cp(FIXTURE_RUNS, dir, { recursive: true });
  return dir;
}

test('on ready it sends every run under an id, never its path; an unreadable run carries its error', async () => {
  const { host, posted } = fakeHost();
  const dirs = ['baseline-seed0', 'augmented', 'broken'].map((n) => join(FIXTURE_RUNS, n));
  const session = new CompareSession(host, dirs);
  await session.receive({ type: 'ready' });
  const runs = (posted.at(-1) as CompareRunsMessage).runs;
  assert.deepEqual(
    runs.map((r) => [r.id, r.name, r.state]),
    [
      ['r0', 'baseline-seed0', 'done'],
      ['r1', 'augmented', 'done'],
      ['r2', 'broken', 'unknown'],
    ],
  );
  assert.ok(!JSON.stringify(runs.slice(0, 2)).includes(FIXTURE_RUNS), 'a good run’s message holds no path');
  assert.equal(runs[2]!.error?.code, 'bad-run-folder');
  assert.match(runs[2]!.error!.message, /line 2/);
  assert.equal(decodeFloat32(runs[0]!.metrics.val.epoch).length, JSON.parse(await readFile(join(dirs[0]!, 'summary.json'), 'utf8')).epochsDone);
});

test('a running run’s new records arrive as one append after the debounce; a resume rewrite resends all', async () => {
  const root = await scratch();
  try {
    const dir = join(root, 'augmented');
    const { host, posted } = fakeHost();
    const session = new CompareSession(host, [dir]);
    await session.receive({ type: 'ready' });
    await writeStatus(dir, 'running');
    await appendMetrics(dir, [{ step: 1000, epoch: 9, split: 'train', loss: 0.5, accuracy: 0.9, lr: 0.01, time: 99 }]);
    session.runChanged(dir);
    session.runChanged(dir); // a burst: one read
    await new Promise((r) => setTimeout(r, CHANGE_DEBOUNCE_MS + 50));
    await session.idle();
    const appends = posted.filter((m): m is CompareAppendMessage => m.type === 'append');
    assert.equal(appends.length, 1);
    assert.equal(appends[0]!.state, 'running');
    assert.deepEqual([...decodeFloat32(appends[0]!.metrics.train.step)], [1000]);
    assert.equal(decodeFloat32(appends[0]!.metrics.val.step).length, 0);
    session.runChanged(join(root, 'not-shown')); // ignored
    await truncateMetrics(dir, 3);
    session.runChanged(dir);
    await new Promise((r) => setTimeout(r, CHANGE_DEBOUNCE_MS + 50));
    await session.idle();
    const last = posted.at(-1) as CompareRunsMessage;
    assert.equal(last.type, 'runs');
    assert.ok(decodeFloat32(last.runs[0]!.metrics.val.epoch).every((e) => e <= 3));
    session.dispose();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('save writes the PNG bytes or the CSV text where the user chose, and answers with the file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wslab-export-'));
  try {
    const asked: string[] = [];
    const { host, posted, replies } = fakeHost({ askSavePath: async (name) => (asked.push(name), join(root, name)) });
    const session = new CompareSession(host, []);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await session.receive(save(7, { format: 'png', name: 'c.png', data: `data:image/png;base64,${png.toString('base64')}` }));
    await session.receive(save(8, { format: 'csv', name: 't.csv', data: 'run,seed\r\nä,1\r\n' }));
    assert.deepEqual(asked, ['c.png', 't.csv']);
    assert.deepEqual(await readFile(join(root, 'c.png')), png);
    assert.equal(await readFile(join(root, 't.csv'), 'utf8'), 'run,seed\r\nä,1\r\n');
    assert.deepEqual(replies, [
      { rpc: 'reply', id: 7, result: join(root, 'c.png') },
      { rpc: 'reply', id: 8, result: join(root, 't.csv') },
    ]);
    assert.deepEqual(posted, []);
    assert.deepEqual((await readdir(root)).sort(), ['c.png', 't.csv']); // no temporary files left
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a cancelled dialog answers null; a failed write answers with the error about the path', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wslab-export-'));
  try {
    await writeFile(join(root, 'a-file'), 'x');
    const { host, replies } = fakeHost({ askSavePath: async (name) => (name === 'x.csv' ? undefined : join(root, 'a-file', name)) }); // a file is no folder
    const session = new CompareSession(host, []);
    await session.receive(save(1, { format: 'csv', name: 'x.csv', data: 'a' }));
    await session.receive(save(2, { format: 'csv', name: 'y.csv', data: 'a' }));
    assert.equal(replies.length, 2);
    assert.deepEqual(replies[0], { rpc: 'reply', id: 1, result: null });
    const failed = replies[1]!;
    assert.equal(failed.id, 2);
    assert.ok('error' in failed && !('result' in failed), `a failed write is an error reply, got ${JSON.stringify(failed)}`);
    assert.equal(failed.error.code, 'io');
    assert.equal(failed.error.file, join(root, 'a-file', 'y.csv'));
    assert.match(failed.error.message, /y\.csv/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('malformed notices are logged and dropped; malformed requests are answered bad-message; nothing is asked', async () => {
  let asked = 0;
  const { host, posted, replies, logged } = fakeHost({ askSavePath: async () => (asked++, '/tmp/never.png') });
  const session = new CompareSession(host, [join(FIXTURE_RUNS, 'augmented')]);
  // Notices: the old request format is no message at all now.
  for (const bad of [
    { type: 'save', requestId: 1, format: 'png', name: 'x.png', data: 'data:image/png;base64,AA==' },
    { type: 'ready', extra: 1 },
    'ready',
    null,
  ])
    await session.receive(bad);
  // Requests: a name leaving the folder (a field's check), a png named .csv (the method's cross-field check),
  // a png that is not a PNG data URL, an unknown method; and ones whose id cannot be read (dropped: nobody to answer).
  await session.receive(save(1, { format: 'png', name: '../../x.png', data: 'data:image/png;base64,AA==' }));
  await session.receive(save(2, { format: 'png', name: 'x.csv', data: 'data:image/png;base64,AA==' }));
  await session.receive(save(3, { format: 'png', name: 'x.png', data: 'javascript:alert(1)' }));
  await session.receive({ rpc: 'request', id: 4, method: 'deleteRun', params: { id: 'r0' } });
  for (const id of [-1, 1.5, '5', null]) await session.receive(save(id, { format: 'csv', name: 'x.csv', data: 'a' }));
  assert.deepEqual(posted, []);
  assert.equal(asked, 0);
  assert.equal(logged.length, 12, 'each refused notice and request is logged');
  assert.match(logged[0]!, /unknown type "save"/);
  assert.match(logged[1]!, /unknown field\(s\) "extra"/);
  assert.match(logged[4]!, /refused a request from the panel: .*name must be a plain file name/);
  assert.match(logged[7]!, /unknown method "deleteRun"/);
  for (const line of logged.slice(8)) assert.match(line, /request id must be an integer.*dropped/);
  assert.deepEqual(
    replies.map((r) => [r.id, 'error' in r ? r.error.code : 'result']),
    [
      [1, 'bad-message'],
      [2, 'bad-message'],
      [3, 'bad-message'],
      [4, 'bad-message'],
    ],
  );
  const messages = replies.map((r) => ('error' in r ? r.error.message : ''));
  assert.match(messages[0]!, /name must be a plain file name/);
  assert.match(messages[1]!, /name must end in \.png/);
  assert.match(messages[2]!, /data must be a data:image\/png;base64 URL/);
  assert.match(messages[3]!, /unknown method "deleteRun"/);
});

test('"Add runs…" adds the picked folders after the shown ones, keeping their ids', async () => {
  const changed: string[][] = [];
  const { host, posted } = fakeHost({
    pickRuns: async () => [join(FIXTURE_RUNS, 'baseline-seed1'), join(FIXTURE_RUNS, 'augmented')],
    runsChanged: (r) => changed.push([...r]),
  });
  const session = new CompareSession(host, [join(FIXTURE_RUNS, 'augmented')]);
  await session.receive({ type: 'ready' });
  await session.receive({ type: 'pickRuns' });
  const runs = (posted.at(-1) as CompareRunsMessage).runs;
  assert.deepEqual(
    runs.map((r) => [r.id, r.name]),
    [
      ['r0', 'augmented'],
      ['r1', 'baseline-seed1'],
    ],
  );
  assert.equal(changed.length, 1);
});

test('a failing run picker (no runs in the workspace) is logged, and the shown runs stay', async () => {
  const { host, posted, logged } = fakeHost({ pickRuns: async () => Promise.reject(new Error('There are no training runs in this workspace yet')) });
  const session = new CompareSession(host, [join(FIXTURE_RUNS, 'augmented')]);
  await session.receive({ type: 'pickRuns' });
  assert.deepEqual(posted, []);
  assert.match(logged.join('\n'), /no training runs/);
  assert.deepEqual(session.runs, [join(FIXTURE_RUNS, 'augmented')]);
});

test('a session with a study sends its study.json on ready and when it changes; a point opens its runs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wslab-compare-study-'));
  const study = join(root, 'augment-sizes');
  await cp(join(FIXTURE_STUDY, 'studies', 'augment-sizes'), study, { recursive: true });
  const shown: string[] = [];
  const { host, posted, logged } = fakeHost({ studyShown: (dir) => shown.push(dir) });
  const session = new CompareSession(host, []);
  await session.showStudy(study);
  assert.deepEqual(shown, [study], 'the host is told, to watch its study.json');
  assert.equal(posted.length, 0, 'nothing is sent before the webview is ready');
  await session.receive({ type: 'ready' });
  const sent = posted.find((m): m is CompareStudyMessage => m.type === 'study')!;
  const result = JSON.parse(await readFile(join(study, 'study.json'), 'utf8')) as {
    curves: { key: string; points: { size: number; mean: number; runs: { name: string }[] }[] }[];
  };
  assert.deepEqual(
    sent.study!.curves.map((c) => c.key),
    result.curves.map((c) => c.key),
  );
  assert.deepEqual(
    sent.study!.curves[1]!.points.map((p) => [p.size, p.mean, p.runs]),
    result.curves[1]!.points.map((p) => [p.size, p.mean, p.runs.length]),
  );
  assert.ok(!JSON.stringify(sent).includes(root), 'the study message holds no path');

  await session.receive({ type: 'openStudyPoint', curve: 'negation', size: 200 });
  const runs = posted.filter((m): m is CompareRunsMessage => m.type === 'runs').at(-1)!;
  assert.deepEqual(
    runs.runs.map((r) => r.name),
    result.curves[1]!.points[1]!.runs.map((r) => r.name),
  );
  assert.deepEqual(posted.at(-1), { type: 'view', view: 'runs' });
  assert.deepEqual(
    session.runs,
    runs.runs.map((r) => join(study, 'runs', r.name)),
  );
  await session.receive({ type: 'openStudyPoint', curve: 'no-such-curve', size: 200 });
  assert.match(logged.at(-1)!, /no point no-such-curve at 200/);

  // study.json rewritten (a study under way finished another run): sent again after the debounce; broken: its error.
  await writeFile(join(study, 'study.json'), '{ not json');
  session.studyChanged();
  await new Promise((r) => setTimeout(r, CHANGE_DEBOUNCE_MS + 50));
  await session.idle();
  const last = posted.filter((m): m is CompareStudyMessage => m.type === 'study').at(-1)!;
  assert.equal(last.study, null);
  assert.equal(last.error?.code, 'bad-study');
  assert.match(last.error!.message, /study\.json: not valid JSON/);
  session.dispose();
});

const runViews = (posted: readonly HostToCompare[]) => posted.filter((m): m is CompareRunViewMessage => m.type === 'runView').map((m) => m.run);

test('a run view sends its run, then its state, epochs, config.json and checkpoints; a change of the run sends them again', async () => {
  const root = await scratch();
  try {
    const dir = join(root, 'augmented');
    await writeFile(join(dir, 'best.safetensors'), 'x'); // only its existence matters here
    const { host, posted } = fakeHost();
    const session = new CompareSession(host, [dir], { runView: true, isAlive: () => false });
    await session.receive({ type: 'ready' });
    assert.deepEqual(
      posted.map((m) => m.type),
      ['runs', 'runView'],
    );
    assert.deepEqual(
      (posted[0] as CompareRunsMessage).runs.map((r) => [r.id, r.name]),
      [['r0', 'augmented']],
    );
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { epochs: number; epochsDone: number };
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as unknown;
    const first = runViews(posted)[0]!;
    assert.deepEqual(first, {
      id: 'r0',
      name: 'augmented',
      state: 'done',
      epochsDone: summary.epochsDone,
      epochs: summary.epochs,
      config: JSON.stringify(config, null, 2),
      checkpoints: { best: true, last: false },
      resumable: false,
    });
    // Cancelled mid-way: state, reason and Resume follow without the panel asking.
    await writeStatus(dir, 'cancelled', 'cancelled by the user');
    await writeFile(join(dir, 'last.safetensors'), 'x');
    session.runChanged(dir);
    await new Promise((r) => setTimeout(r, CHANGE_DEBOUNCE_MS + 50));
    await session.idle();
    const now = runViews(posted).at(-1)!;
    assert.equal(runViews(posted).length, 2);
    assert.deepEqual([now.state, now.reason, now.resumable, now.checkpoints], ['cancelled', 'cancelled by the user', true, { best: true, last: true }]);
    session.dispose();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a run view’s state: a "running" run whose process is gone is interrupted and resumable; no config is an error, no summary takes the planned epochs', async () => {
  const root = await scratch();
  try {
    const dir = join(root, 'augmented');
    await writeJson(dir, 'status', { state: 'running', updated: '', pid: 4242 });
    const alive = await readRunView('r0', dir, () => true);
    const gone = await readRunView('r0', dir, (pid) => pid !== 4242);
    assert.deepEqual([alive.state, alive.resumable], ['running', false]);
    assert.deepEqual([gone.state, gone.resumable], ['interrupted', true]);
    await rm(join(dir, 'summary.json'));
    const planned = (JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { optimizer: { epochs: number } }).optimizer.epochs;
    const early = await readRunView('r0', dir, () => true);
    assert.deepEqual([early.epochsDone, early.epochs], [null, planned]);
    await rm(join(dir, 'config.json'));
    const bare = await readRunView('r0', dir, () => true);
    assert.equal(bare.config, null);
    assert.match(bare.configError!.message, /config\.json: not found/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a run view’s buttons run the extension’s commands with the run folder; what the run does not allow is refused and logged', async () => {
  const root = await scratch();
  try {
    const dir = join(root, 'augmented');
    await writeFile(join(dir, 'best.safetensors'), 'x');
    const { host, executed, logged } = fakeHost();
    const session = new CompareSession(host, [dir], { runView: true, isAlive: () => false });
    await session.receive({ type: 'compareWith' });
    await session.receive({ type: 'openCheckpoint', checkpoint: 'best' });
    await session.receive({ type: 'openCheckpoint', checkpoint: 'last' }); // no last.safetensors
    await session.receive({ type: 'resumeRun' }); // done
    await session.receive({ type: 'evaluateRun' });
    assert.deepEqual(executed, [
      ['weightSpaceLab.compareRuns', [{ runs: [dir], pick: true }]],
      ['weightSpaceLab.inspectWeightFile', [join(dir, 'best.safetensors')]],
      ['weightSpaceLab.evaluateRun', [dir]],
    ]);
    assert.match(logged[0]!, /no last\.safetensors/);
    assert.match(logged[1]!, /not resumed, it is done/);
    await writeStatus(dir, 'failed', 'out of memory');
    await session.receive({ type: 'resumeRun' });
    assert.deepEqual(executed.at(-1), ['weightSpaceLab.resume', [{ kind: 'run', path: dir, label: 'augmented' }]]);
    // Malformed notices never reach a command.
    for (const bad of [{ type: 'openCheckpoint', checkpoint: '../../etc/passwd' }, { type: 'openCheckpoint' }, { type: 'resumeRun', run: '/elsewhere' }])
      await session.receive(bad);
    assert.equal(executed.length, 4);
    assert.equal(logged.length, 5);
    // Without a checkpoint there is nothing to evaluate.
    await rm(join(dir, 'best.safetensors'));
    await session.receive({ type: 'evaluateRun' });
    assert.equal(executed.length, 4);
    assert.match(logged.at(-1)!, /no checkpoint to evaluate yet/);
    // A failing command is logged, not thrown.
    const failing = fakeHost({ execute: async () => Promise.reject(new Error('Resuming a task is disabled in Restricted Mode')) });
    await new CompareSession(failing.host, [dir], { runView: true }).receive({ type: 'resumeRun' });
    assert.match(failing.logged.join('\n'), /weightSpaceLab\.resume failed: .*Restricted Mode/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a comparison ignores the run view’s buttons; a run view ignores "Add runs…"; every command a run view runs is the extension’s', async () => {
  let picked = 0;
  const dir = join(FIXTURE_RUNS, 'augmented');
  const { host, executed, logged } = fakeHost({ pickRuns: async () => (picked++, [join(FIXTURE_RUNS, 'baseline-seed0')]) });
  await new CompareSession(host, [dir]).receive({ type: 'compareWith' });
  const view = new CompareSession(host, [dir, join(FIXTURE_RUNS, 'baseline-seed0')], { runView: true });
  assert.deepEqual(view.runs, [dir], 'a run view shows one run');
  await view.receive({ type: 'pickRuns' });
  assert.deepEqual([executed, picked], [[], 0]);
  assert.equal(logged.length, 2);
  for (const action of [{ type: 'compareWith' }, { type: 'resumeRun' }, { type: 'openCheckpoint', checkpoint: 'last' }, { type: 'evaluateRun' }] as const)
    assert.ok((COMMAND_IDS as readonly string[]).includes(runViewCommand(action, dir).command), action.type);
});
