// The host side of the preview panel (src/extension/panels/previewSession.ts) with a fake webview, thread
// and dialog: every webview message goes through parsePreviewMessage; malformed or malicious ones are
// answered `failed` (or dropped without a requestId) and never reach the render thread; ids name only
// the host's own list; parameters are checked by the registry's parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { AUGMENTATIONS } from '../../src/core/augment/registry';
import { augmentationInfos, datasetInrs, defaultSelection, PreviewSession, selectionFromArgs, type InrSource } from '../../src/extension/panels/previewSession';
import type { HostToPreview, PreviewThreadReply, PreviewThreadRequest, WirePreview } from '../../src/protocol/preview';

const TINY = join(resolve(__dirname, '..', '..'), 'test', 'fixtures', 'dataset', 'tiny');

interface Fake {
  session: PreviewSession;
  posted: HostToPreview[];
  rendered: Omit<PreviewThreadRequest, 'id'>[];
  logs: string[];
  /** Resolves the thread's oldest pending render. */
  finish(reply?: Partial<PreviewThreadReply>): void;
  picks: (string | undefined)[];
}

const fakePreview = (selection: WirePreview['selection']): WirePreview => ({
  selection,
  size: 8,
  channels: 1,
  warped: false,
  original: { pixels: '', weights: [] },
  samples: [],
  mix: null,
  elapsedMs: 1,
});

function fake(inrs: InrSource[], autoFinish = true): Fake {
  const posted: HostToPreview[] = [];
  const rendered: Omit<PreviewThreadRequest, 'id'>[] = [];
  const logs: string[] = [];
  const pending: ((reply: PreviewThreadReply) => void)[] = [];
  const picks: (string | undefined)[] = [];
  const session = new PreviewSession(
    {
      post: (m) => posted.push(m),
      render: (request) => {
        rendered.push(request);
        return new Promise((resolveReply) => {
          const reply = (r: PreviewThreadReply) => resolveReply(r);
          if (autoFinish) reply({ id: 0, ok: true, preview: fakePreview(request.selection) });
          else pending.push(reply);
        });
      },
      pickFile: async () => picks.shift(),
      log: (line) => logs.push(line),
    },
    { title: 'tiny', inrs, selection: defaultSelection(inrs[0]!.id), size: 8 },
  );
  return {
    session,
    posted,
    rendered,
    logs,
    picks,
    finish: (reply) => pending.shift()!({ id: 0, ok: true, preview: fakePreview(rendered[0]!.selection), ...reply } as PreviewThreadReply),
  };
}

const INRS: InrSource[] = [
  { id: 'a', label: 'a · 0 (train)', target: '/data/set#a' },
  { id: 'b', label: 'b · 1 (train)', target: '/data/set#b' },
];

const render = (fields: Record<string, unknown> = {}) => ({ type: 'render', requestId: 7, inrId: 'a', augmentation: 'rotate', params: { degrees: 10 }, seed: 3, count: 1, partnerId: null, ...fields });
const tick = () => new Promise((r) => setImmediate(r));

test('ready: init lists the registry and the INRs by id and label only — never where they are', async () => {
  const f = fake(INRS);
  await f.session.handle({ type: 'ready' });
  const init = f.posted[0];
  assert.equal(init?.type, 'init');
  if (init?.type !== 'init') return;
  assert.deepEqual(init.inrs, [{ id: 'a', label: 'a · 0 (train)' }, { id: 'b', label: 'b · 1 (train)' }]);
  assert.ok(!JSON.stringify(init).includes('/data/set'));
  assert.deepEqual(init.augmentations.map((a) => a.name), AUGMENTATIONS.map((a) => a.name));
  assert.deepEqual(init.augmentations.find((a) => a.name === 'mixup-aligned')?.params.map((p) => p.name), ['min', 'max', 'iterations']);
  assert.equal(init.augmentations.find((a) => a.name === 'mixup')?.requiresPartner, true);
  assert.equal(init.augmentations.find((a) => a.name === 'rotate')?.requiresPartner, false);
  assert.deepEqual(init.selection, { inrId: 'a', augmentation: 'translate', params: { scale: 0.25 }, seed: 0, count: 1, partnerId: null });
});

test('render: the thread gets the INR’s target, the partner’s, and every parameter resolved; the answer carries replyTo', async () => {
  const f = fake(INRS);
  await f.session.handle(render({ augmentation: 'mixup-aligned', params: { max: 0.6 }, partnerId: 'b', count: 8 }));
  await tick();
  assert.deepEqual(f.rendered, [
    {
      target: '/data/set#a',
      partnerTarget: '/data/set#b',
      selection: { inrId: 'a', augmentation: 'mixup-aligned', params: { min: 0, max: 0.6, iterations: 100 }, seed: 3, count: 8, partnerId: 'b' },
      size: 8,
    },
  ]);
  assert.equal(f.posted[0]?.type, 'rendered');
  assert.equal((f.posted[0] as { replyTo: number }).replyTo, 7);
  const outcome = await f.session.whenRendered();
  assert.equal(outcome.ok, true);
});

test('malformed and malicious messages are refused with the field named, and never reach the thread', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['unknown type', { type: 'renderAll', requestId: 7 }, /unknown type "renderAll"/],
    ['extra field', render({ path: '/etc/passwd' }), /unknown field\(s\) "path"/],
    ['missing field', (({ seed: _, ...rest }) => rest)(render()), /seed must be an integer/],
    ['a path instead of an id', render({ inrId: '/etc/passwd' }), /inrId "\/etc\/passwd" is not in this panel's list/],
    ['a dataset#id that is not in the list', render({ inrId: '/data/set#c' }), /not in this panel's list/],
    ['unknown partner', render({ augmentation: 'mixup', params: {}, partnerId: '../../x.pth' }), /partnerId "..\/..\/x.pth" is not in this panel's list/],
    ['huge id', render({ inrId: 'x'.repeat(100_000) }), /inrId must be at most 512 characters/],
    ['count 3', render({ count: 3 }), /count must be 1 or 8, got 3/],
    ['negative seed', render({ seed: -1 }), /seed must be an integer in \[0, 4294967295\]/],
    ['seed past 32 bits', render({ seed: 2 ** 32 }), /seed must be an integer/],
    ['fractional seed', render({ seed: 1.5 }), /seed must be an integer/],
    ['unknown augmentation', render({ augmentation: 'rm -rf', params: {} }), /unknown augmentation "rm -rf"/],
    ['a chain smuggled in the name', render({ augmentation: 'rotate+permute', params: {} }), /unknown augmentation "rotate\+permute"/],
    ['unknown parameter', render({ params: { degree: 10 } }), /rotate has no parameter "degree" \(parameters: degrees\)/],
    ['out of range', render({ params: { degrees: 500 } }), /rotate:degrees must be a number in \[0, 180\], got 500/],
    ['non-integer where an integer is needed', render({ augmentation: 'siren-bias', params: { kmax: 2.5 } }), /siren-bias:kmax must be an integer/],
    ['min above max', render({ augmentation: 'mixup', params: { min: 0.9, max: 0.1 } }), /mixup: min \(0.9\) must not exceed max \(0.1\)/],
    ['a string parameter', render({ params: { degrees: '10' } }), /params.degrees must be a finite number, got "10"/],
    ['Infinity (JSON has none, but a message could)', render({ params: { degrees: Infinity } }), /params.degrees must be a finite number/],
    ['params as an array', render({ params: [10] }), /params must be an object, got an array/],
    ['too many params', render({ params: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, 1])) }), /at most 16 allowed/],
    ['__proto__ in params (as JSON.parse makes it)', render({ params: JSON.parse('{"__proto__": {"degrees": 10}}') }), /params.__proto__ must be a finite number, got an object/],
    ['__proto__ key with a number', render({ params: JSON.parse('{"__proto__": 5}') }), /rotate has no parameter "__proto__"/],
    ['a getter', { ...render(), get inrId() { return 'a'; } }, /inrId must be a data property/],
    ['a getter in params', render({ params: Object.defineProperty({}, 'degrees', { get: () => 10, enumerable: true }) }), /params.degrees must be a data property/],
    ['a class instance', Object.assign(Object.create({ evil: true }), render()), /must be a plain object/],
  ];
  for (const [name, message, pattern] of cases) {
    const f = fake(INRS);
    await f.session.handle(message);
    await tick();
    assert.equal(f.rendered.length, 0, `${name}: reached the thread`);
    assert.equal(f.posted.length, 1, `${name}: ${JSON.stringify(f.posted)}`);
    const reply = f.posted[0]!;
    assert.equal(reply.type, 'failed', name);
    if (reply.type !== 'failed') continue;
    assert.equal(reply.replyTo, 7, name);
    assert.match(reply.error.message, pattern, name);
  }
});

test('messages without a usable requestId are dropped and logged; nothing else happens', async () => {
  for (const message of [null, 'ready', 42, [], { type: 'render' }, { ...render(), requestId: -1 }, { ...render(), requestId: '7' }, { type: 'pickFile', requestId: 1.5 }]) {
    const f = fake(INRS);
    await f.session.handle(message);
    assert.deepEqual(f.posted, [], JSON.stringify(message));
    assert.deepEqual(f.rendered, []);
    assert.equal(f.logs.length, 1);
    assert.match(f.logs[0]!, /refused a message from the webview/);
  }
});

test('a render that the thread fails is answered with its typed error and reported to whenRendered', async () => {
  const f = fake(INRS, false);
  await f.session.handle(render());
  f.finish({ ok: false, error: { code: 'augment', file: '/data/set#a', message: 'rotate needs a 2-D INR' } } as Partial<PreviewThreadReply>);
  const outcome = await f.session.whenRendered();
  assert.deepEqual(outcome, { ok: false, error: { code: 'augment', file: '/data/set#a', message: 'rotate needs a 2-D INR' } });
  assert.deepEqual(f.posted.at(-1), { type: 'failed', replyTo: 7, error: { code: 'augment', file: '/data/set#a', message: 'rotate needs a 2-D INR' } });
});

test('renders run one at a time; a request still waiting when a newer one comes is answered superseded', async () => {
  const f = fake(INRS, false);
  await f.session.handle(render({ requestId: 1, seed: 1 }));
  await f.session.handle(render({ requestId: 2, seed: 2 }));
  await f.session.handle(render({ requestId: 3, seed: 3 }));
  assert.deepEqual(f.rendered.map((r) => r.selection.seed), [1]); // one in flight
  assert.deepEqual(f.posted, [{ type: 'failed', replyTo: 2, error: { code: 'superseded', file: '', message: 'a newer render was requested' } }]);
  f.finish();
  await tick();
  assert.deepEqual(f.rendered.map((r) => r.selection.seed), [1, 3]);
  assert.deepEqual(f.posted.map((m) => [m.type, (m as { replyTo: number }).replyTo]), [['failed', 2], ['rendered', 1]]);
});

test('pickFile: the dialog’s file joins the list under a fresh id; the webview never sees its path; cancel adds nothing', async () => {
  const f = fake(INRS);
  f.picks.push('/home/me/nets/my siren.pth', undefined, '/home/me/nets/my siren.pth');
  await f.session.handle({ type: 'pickFile', requestId: 1 });
  await f.session.handle({ type: 'pickFile', requestId: 2 });
  await f.session.handle({ type: 'pickFile', requestId: 3 });
  assert.deepEqual(f.posted[0], { type: 'picked', replyTo: 1, picked: 'file-1', inrs: [...INRS.map(({ id, label }) => ({ id, label })), { id: 'file-1', label: 'my siren.pth (file)' }] });
  assert.ok(!JSON.stringify(f.posted).includes('/home/me'));
  assert.equal((f.posted[1] as { picked: unknown }).picked, null);
  assert.equal((f.posted[2] as { picked: unknown }).picked, 'file-1'); // the same file again: the same entry
  await f.session.handle(render({ inrId: 'file-1', requestId: 4 }));
  await tick();
  assert.equal(f.rendered[0]?.target, '/home/me/nets/my siren.pth');
  // A MixUp of a file INR needs a partner picked: there is no split to draw one from.
  await f.session.handle(render({ inrId: 'file-1', requestId: 5, augmentation: 'mixup', params: {} }));
  assert.match(JSON.stringify(f.posted.at(-1)), /"replyTo":5.*mixup needs a partner: pick one under \\"MixUp partner\\"/);
  await f.session.handle(render({ inrId: 'file-1', requestId: 6, augmentation: 'mixup', params: {}, partnerId: 'a' }));
  await tick();
  assert.deepEqual([f.rendered.length, f.rendered[1]?.partnerTarget], [2, '/data/set#a']);
});

test('datasetInrs lists a dataset’s INRs with class and split, addressed DIR#ID', async () => {
  const inrs = await datasetInrs(TINY);
  assert.deepEqual(inrs, [
    { id: 'img409-v0', label: 'img409-v0 · 0 (train)', target: `${TINY}#img409-v0` },
    { id: 'img9564-v0', label: 'img9564-v0 · 9 (train)', target: `${TINY}#img9564-v0` },
    { id: 'img8176-v0', label: 'img8176-v0 · 8 (train)', target: `${TINY}#img8176-v0` },
  ]);
  assert.equal(augmentationInfos().length, AUGMENTATIONS.length);
});

test('selectionFromArgs: the command’s { id, aug, copies, seed } become the panel’s starting selection; bad ones are refused', () => {
  const inrs = [{ id: 'a', label: 'a' }, { id: 'b', label: 'b' }];
  assert.deepEqual(selectionFromArgs(inrs, undefined), { selection: defaultSelection('a') });
  assert.deepEqual(selectionFromArgs(inrs, { dataset: 'd', id: 'b', aug: 'rotate:degrees=12', copies: 4, seed: 9 }), {
    selection: { inrId: 'b', augmentation: 'rotate', params: { degrees: 12 }, seed: 9, count: 8, partnerId: null },
  });
  assert.equal(selectionFromArgs(inrs, { dataset: 'd', copies: 1 }).selection.count, 1);
  const chain = selectionFromArgs(inrs, { dataset: 'd', aug: 'rotate+permute' });
  assert.equal(chain.selection.augmentation, 'rotate');
  assert.match(chain.note ?? '', /one augmentation at a time: showing rotate, the first step of rotate\+permute/);
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', id: 'zz' }), { name: 'UserError', message: 'd: no INR with id "zz" in its manifest' });
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', aug: 'rotat' }), { name: 'UserError', message: /aug: unknown augmentation "rotat" \(did you mean "rotate"\?\)/ });
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', aug: 'rotate:degrees=999' }), { name: 'UserError', message: /rotate:degrees must be/ });
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', seed: -2 }), { name: 'UserError', message: /seed must be an integer/ });
});
