// The host side of the preview panel (src/extension/panels/preview/session.ts) with a fake webview, thread
// and dialog: every webview message is either a PREVIEW_RPC request (src/protocol/rpc.ts), answered by
// exactly one { rpc: 'reply', id, result | error }, or a notice checked by parsePreviewMessage. Malformed or
// malicious requests are answered with the error naming the field (or dropped when their id cannot be
// read) and never reach the render thread; ids name only the host's own list; parameters are checked by
// the registry's parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { AUGMENTATIONS } from '../../src/core/augment/registry';
import { BUNDLED_DATASETS } from '../../src/core/dataset/bundledDatasets';
import { RemoteError, type ErrorInfo } from '../../src/core/labError';
import {
  augmentationInfos,
  datasetInrs,
  inrLabel,
  defaultSelection,
  PreviewSession,
  selectionFromArgs,
  type InrSource,
} from '../../src/extension/panels/preview/session';
import type { HostToPreview, PickedFile, PreviewSelection, PreviewThreadRequest, WirePreview } from '../../src/protocol/preview';
import type { RpcReply } from '../../src/protocol/rpc';

const TINY = join(resolve(__dirname, '..', '..'), 'test', 'fixtures', 'dataset', 'tiny');

type Posted = HostToPreview | RpcReply;

interface Fake {
  session: PreviewSession;
  posted: Posted[];
  rendered: PreviewThreadRequest[];
  logs: string[];
  /** Settles the thread's oldest pending render: with a preview of its selection, or rejected with `error`. */
  finish(error?: ErrorInfo): void;
  /** What the dialog answers, in turn: a path, undefined (cancelled), or an Error (the dialog failed). */
  picks: (string | undefined | Error)[];
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
  const posted: Posted[] = [];
  const rendered: PreviewThreadRequest[] = [];
  const logs: string[] = [];
  const pending: { request: PreviewThreadRequest; resolve(preview: WirePreview): void; reject(error: Error): void }[] = [];
  const picks: (string | undefined | Error)[] = [];
  const session = new PreviewSession(
    {
      post: (m) => posted.push(m),
      render: (request) => {
        rendered.push(request);
        if (autoFinish) return Promise.resolve(fakePreview(request.selection));
        // The thread's channel rejects a failed render with the thread's typed error (RpcClient).
        return new Promise((resolveRender, rejectRender) => pending.push({ request, resolve: resolveRender, reject: rejectRender }));
      },
      pickFile: async () => {
        const pick = picks.shift();
        if (pick instanceof Error) throw pick;
        return pick;
      },
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
    finish: (error) => {
      const oldest = pending.shift()!;
      if (error) oldest.reject(new RemoteError(error));
      else oldest.resolve(fakePreview(oldest.request.selection));
    },
  };
}

const INRS: InrSource[] = [
  { id: 'a', label: 'a · 0 (train)', target: '/data/set#a' },
  { id: 'b', label: 'b · 1 (train)', target: '/data/set#b' },
];

/** A PREVIEW_RPC request as the webview's RpcClient sends it. */
const request = (method: string, params: unknown, id: unknown = 7) => ({ rpc: 'request', id, method, params });
const renderParams = (fields: Record<string, unknown> = {}) => ({
  inrId: 'a',
  augmentation: 'rotate',
  params: { degrees: 10 },
  seed: 3,
  count: 1,
  partnerId: null,
  ...fields,
});
const render = (fields: Record<string, unknown> = {}, id: unknown = 7) => request('render', renderParams(fields), id);
const tick = () => new Promise((r) => setImmediate(r));

/** The replies among the posted messages (the rest are `init`). */
const replies = (posted: readonly Posted[]): RpcReply[] => posted.filter((m): m is RpcReply => 'rpc' in m && m.rpc === 'reply');
const isError = (reply: RpcReply | undefined): reply is Extract<RpcReply, { error: ErrorInfo }> => reply !== undefined && 'error' in reply;
/** [id, 'result' | error code] of each reply, in order. */
const summary = (posted: readonly Posted[]) => replies(posted).map((r) => [r.id, isError(r) ? r.error.code : 'result']);

test('ready: init lists the registry and the INRs by id and label only — never where they are', async () => {
  const f = fake(INRS);
  await f.session.handle({ type: 'ready' });
  const init = f.posted[0];
  assert.equal(f.posted.length, 1);
  assert.ok(init && 'type' in init && init.type === 'init', JSON.stringify(init));
  assert.deepEqual(init.inrs, [
    { id: 'a', label: 'a · 0 (train)' },
    { id: 'b', label: 'b · 1 (train)' },
  ]);
  assert.ok(!JSON.stringify(init).includes('/data/set'));
  assert.deepEqual(
    init.augmentations.map((a) => a.name),
    AUGMENTATIONS.map((a) => a.name),
  );
  assert.deepEqual(
    init.augmentations.find((a) => a.name === 'mixup-aligned')?.params.map((p) => p.name),
    ['min', 'max', 'iterations'],
  );
  assert.equal(init.augmentations.find((a) => a.name === 'mixup')?.requiresPartner, true);
  assert.equal(init.augmentations.find((a) => a.name === 'rotate')?.requiresPartner, false);
  assert.deepEqual(init.selection, { inrId: 'a', augmentation: 'translate', params: { scale: 0.25 }, seed: 0, count: 1, partnerId: null });
});

test('render: the thread gets the INR’s target, the partner’s, and every parameter resolved; the reply carries the request’s id', async () => {
  const f = fake(INRS);
  await f.session.handle(render({ augmentation: 'mixup-aligned', params: { max: 0.6 }, partnerId: 'b', count: 8 }));
  await tick();
  const selection: PreviewSelection = {
    inrId: 'a',
    augmentation: 'mixup-aligned',
    params: { min: 0, max: 0.6, iterations: 100 },
    seed: 3,
    count: 8,
    partnerId: 'b',
  };
  assert.deepEqual(f.rendered, [{ target: '/data/set#a', partnerTarget: '/data/set#b', selection, size: 8 }]);
  assert.deepEqual(f.posted, [{ rpc: 'reply', id: 7, result: fakePreview(selection) }]);
  const outcome = await f.session.whenRendered();
  assert.equal(outcome.ok, true);
});

test('malformed and malicious requests are refused with the field named, and never reach the thread', async () => {
  const cases: [string, unknown, ErrorInfo['code'], RegExp][] = [
    ['unknown method', request('renderAll', {}), 'bad-message', /unknown method "renderAll" \(known: render, pickFile\)/],
    ['a notice’s type as a method', request('ready', {}), 'bad-message', /unknown method "ready"/],
    ['extra field', render({ path: '/etc/passwd' }), 'bad-message', /unknown field\(s\) "path"/],
    ['extra field on the request', { ...render(), path: '/etc/passwd' }, 'bad-message', /request has unknown field\(s\) "path"/],
    ['missing field', request('render', (({ seed: _, ...rest }) => rest)(renderParams())), 'bad-message', /seed must be an integer/],
    ['params missing', request('render', undefined), 'bad-message', /"render" params must be an object, got undefined/],
    ['pickFile with params', request('pickFile', { path: '/etc/passwd' }), 'bad-message', /"pickFile" params has unknown field\(s\) "path"/],
    ['a path instead of an id', render({ inrId: '/etc/passwd' }), 'invalid-request', /inrId "\/etc\/passwd" is not in this panel's list/],
    ['a dataset#id that is not in the list', render({ inrId: '/data/set#c' }), 'invalid-request', /not in this panel's list/],
    [
      'unknown partner',
      render({ augmentation: 'mixup', params: {}, partnerId: '../../x.pth' }),
      'invalid-request',
      /partnerId "..\/..\/x.pth" is not in this panel's list/,
    ],
    ['huge id', render({ inrId: 'x'.repeat(100_000) }), 'bad-message', /inrId must be at most 512 characters/],
    ['count 3', render({ count: 3 }), 'bad-message', /count must be 1 or 8, got 3/],
    ['negative seed', render({ seed: -1 }), 'bad-message', /seed must be an integer in \[0, 4294967295\]/],
    ['seed past 32 bits', render({ seed: 2 ** 32 }), 'bad-message', /seed must be an integer/],
    ['fractional seed', render({ seed: 1.5 }), 'bad-message', /seed must be an integer/],
    ['unknown augmentation', render({ augmentation: 'rm -rf', params: {} }), 'augment', /unknown augmentation "rm -rf"/],
    ['a chain smuggled in the name', render({ augmentation: 'rotate+permute', params: {} }), 'augment', /unknown augmentation "rotate\+permute"/],
    ['unknown parameter', render({ params: { degree: 10 } }), 'augment', /rotate has no parameter "degree" \(parameters: degrees\)/],
    ['out of range', render({ params: { degrees: 500 } }), 'augment', /rotate:degrees must be a number in \[0, 180\], got 500/],
    ['non-integer where an integer is needed', render({ augmentation: 'siren-bias', params: { kmax: 2.5 } }), 'augment', /siren-bias:kmax must be an integer/],
    ['min above max', render({ augmentation: 'mixup', params: { min: 0.9, max: 0.1 } }), 'augment', /mixup: min \(0.9\) must not exceed max \(0.1\)/],
    ['a string parameter', render({ params: { degrees: '10' } }), 'bad-message', /params.degrees must be a finite number, got "10"/],
    ['Infinity (JSON has none, but a message could)', render({ params: { degrees: Infinity } }), 'bad-message', /params.degrees must be a finite number/],
    ['params as an array', render({ params: [10] }), 'bad-message', /params must be an object, got an array/],
    ['too many params', render({ params: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, 1])) }), 'bad-message', /at most 16 allowed/],
    [
      '__proto__ in params (as JSON.parse makes it)',
      render({ params: JSON.parse('{"__proto__": {"degrees": 10}}') }),
      'bad-message',
      /params.__proto__ must be a finite number, got an object/,
    ],
    ['__proto__ key with a number', render({ params: JSON.parse('{"__proto__": 5}') }), 'augment', /rotate has no parameter "__proto__"/],
    [
      'a getter',
      request('render', {
        ...renderParams(),
        get inrId() {
          return 'a';
        },
      }),
      'bad-message',
      /inrId must be a data property/,
    ],
    [
      'a getter in params',
      render({ params: Object.defineProperty({}, 'degrees', { get: () => 10, enumerable: true }) }),
      'bad-message',
      /params.degrees must be a data property/,
    ],
    [
      'a getter for the request’s params',
      {
        rpc: 'request',
        id: 7,
        method: 'render',
        get params() {
          return renderParams();
        },
      },
      'bad-message',
      /params must be a data property/,
    ],
    ['a class instance', request('render', Object.assign(Object.create({ evil: true }), renderParams())), 'bad-message', /must be a plain object/],
    ['a class instance as the request', Object.assign(Object.create({ evil: true }), render()), 'bad-message', /request must be a plain object/],
  ];
  for (const [name, message, code, pattern] of cases) {
    const f = fake(INRS);
    await f.session.handle(message);
    await tick();
    assert.equal(f.rendered.length, 0, `${name}: reached the thread`);
    assert.equal(f.posted.length, 1, `${name}: ${JSON.stringify(f.posted)}`);
    const reply = f.posted[0]!;
    assert.ok('rpc' in reply && reply.rpc === 'reply', `${name}: ${JSON.stringify(reply)}`);
    assert.equal(reply.id, 7, name);
    assert.ok(isError(reply), `${name}: answered with a result`);
    assert.equal(reply.error.code, code, `${name}: ${reply.error.message}`);
    assert.match(reply.error.message, pattern, name);
  }
});

test('messages that are neither a notice nor a request are refused and logged; nothing else happens', async () => {
  for (const message of [null, 'ready', 42, [], { type: 'render' }, { type: 'init' }, { type: 'ready', extra: 1 }, { rpc: 'reply', id: 1, result: {} }]) {
    const f = fake(INRS);
    await f.session.handle(message);
    assert.deepEqual(f.posted, [], JSON.stringify(message));
    assert.deepEqual(f.rendered, []);
    assert.equal(f.logs.length, 1, JSON.stringify(message));
    assert.match(f.logs[0]!, /refused a message from the webview/);
  }
});

test('requests without a readable id are dropped and logged: no reply, no render', async () => {
  const noId = (({ id: _, ...rest }) => rest)(render());
  for (const message of [
    noId,
    render({}, -1),
    render({}, '7'),
    render({}, 1.5),
    render({}, null),
    request('pickFile', {}, 2 ** 53),
    {
      ...render(),
      get id() {
        return 7;
      },
    },
  ]) {
    const f = fake(INRS);
    f.picks.push('/home/me/x.pth');
    await f.session.handle(message);
    await tick();
    assert.deepEqual(f.posted, [], JSON.stringify(message));
    assert.deepEqual(f.rendered, []);
    assert.deepEqual(f.picks, ['/home/me/x.pth'], 'the dialog was opened');
    assert.equal(f.logs.length, 1, JSON.stringify(message));
    assert.match(f.logs[0]!, /refused a message from the webview: .*dropped/);
  }
});

test('a render that the thread fails is answered with its typed error and reported to whenRendered', async () => {
  const f = fake(INRS, false);
  const error: ErrorInfo = { code: 'augment', file: '/data/set#a', message: 'rotate needs a 2-D INR' };
  const handled = f.session.handle(render());
  f.finish(error);
  await handled;
  const outcome = await f.session.whenRendered();
  assert.deepEqual(outcome, { ok: false, error });
  assert.deepEqual(f.posted, [{ rpc: 'reply', id: 7, error }]);
});

test('renders run one at a time; a request still waiting when a newer one comes is answered superseded', async () => {
  const f = fake(INRS, false);
  const handled = [f.session.handle(render({ seed: 1 }, 1)), f.session.handle(render({ seed: 2 }, 2)), f.session.handle(render({ seed: 3 }, 3))];
  await tick();
  assert.deepEqual(
    f.rendered.map((r) => r.selection.seed),
    [1],
  ); // one in flight
  assert.deepEqual(f.posted, [{ rpc: 'reply', id: 2, error: { code: 'superseded', file: '', message: 'a newer render was requested' } }]);
  f.finish();
  await tick();
  assert.deepEqual(
    f.rendered.map((r) => r.selection.seed),
    [1, 3],
  );
  assert.deepEqual(summary(f.posted), [
    [2, 'superseded'],
    [1, 'result'],
  ]);
  f.finish();
  await Promise.all(handled);
  assert.deepEqual(summary(f.posted), [
    [2, 'superseded'],
    [1, 'result'],
    [3, 'result'],
  ]);
  const last = replies(f.posted).at(-1);
  assert.equal(!isError(last) && (last?.result as WirePreview).selection.seed, 3);
});

test('pickFile: the dialog’s file joins the list under a fresh id; the webview never sees its path; cancel adds nothing', async () => {
  const f = fake(INRS);
  f.picks.push('/home/me/nets/my siren.pth', undefined, '/home/me/nets/my siren.pth');
  await f.session.handle(request('pickFile', {}, 1));
  await f.session.handle(request('pickFile', {}, 2));
  await f.session.handle(request('pickFile', {}, 3));
  const inrs = [...INRS.map(({ id, label }) => ({ id, label })), { id: 'file-1', label: 'my siren.pth (file)' }];
  assert.deepEqual(f.posted[0], { rpc: 'reply', id: 1, result: { picked: 'file-1', inrs } satisfies PickedFile });
  assert.ok(!JSON.stringify(f.posted).includes('/home/me'));
  const picked = replies(f.posted).map((r) => [r.id, isError(r) ? r.error : (r.result as PickedFile).picked]);
  assert.deepEqual(picked, [
    [1, 'file-1'],
    [2, null],
    [3, 'file-1'],
  ]); // cancelled; then the same file again: the same entry
  await f.session.handle(render({ inrId: 'file-1' }, 4));
  await tick();
  assert.equal(f.rendered[0]?.target, '/home/me/nets/my siren.pth');
  // A MixUp of a file INR needs a partner picked: there is no split to draw one from.
  await f.session.handle(render({ inrId: 'file-1', augmentation: 'mixup', params: {} }, 5));
  const refused = f.posted.at(-1);
  assert.ok(refused && 'rpc' in refused && isError(refused) && refused.id === 5, JSON.stringify(refused));
  assert.equal(refused.error.code, 'augment');
  assert.match(refused.error.message, /mixup needs a partner: pick one under "MixUp partner"/);
  await f.session.handle(render({ inrId: 'file-1', augmentation: 'mixup', params: {}, partnerId: 'a' }, 6));
  await tick();
  assert.deepEqual([f.rendered.length, f.rendered[1]?.partnerTarget], [2, '/data/set#a']);
});

test('a dialog that fails is answered with an error, not left waiting', async () => {
  const f = fake(INRS);
  f.picks.push(new Error('no window'));
  await f.session.handle(request('pickFile', {}, 9));
  const reply = f.posted[0];
  assert.ok(reply && 'rpc' in reply && isError(reply) && reply.id === 9, JSON.stringify(reply));
  assert.match(reply.error.message, /the file dialog failed: no window/);
});

test('datasetInrs lists a dataset’s INRs with class and split, addressed DIR#ID (MNIST’s classes read "label N")', async () => {
  const inrs = await datasetInrs(TINY);
  assert.deepEqual(inrs, [
    { id: 'img409-v0', label: 'img409-v0 · label 0 (train)', target: `${TINY}#img409-v0` },
    { id: 'img9564-v0', label: 'img9564-v0 · label 9 (train)', target: `${TINY}#img9564-v0` },
    { id: 'img8176-v0', label: 'img8176-v0 · label 8 (train)', target: `${TINY}#img8176-v0` },
  ]);
  assert.equal(augmentationInfos().length, AUGMENTATIONS.length);
});

test('inrLabel: a class with a name is called by it; a class without one (or named by its number) is "label N"', () => {
  const fashion = BUNDLED_DATASETS['fashion-mnist'].classes;
  assert.equal(inrLabel('img7-v0', 5, 'test', fashion), 'img7-v0 · Sandal (test)');
  assert.equal(inrLabel('img7-v0', 5, 'test', BUNDLED_DATASETS.mnist.classes), 'img7-v0 · label 5 (test)');
  assert.equal(inrLabel('a', 3, 'val', []), 'a · label 3 (val)');
  assert.equal(inrLabel('a', 1, 'train', ['cats', '']), 'a · label 1 (train)');
});

test('selectionFromArgs: the command’s { id, aug, copies, seed } become the panel’s starting selection; bad ones are refused', () => {
  const inrs = [
    { id: 'a', label: 'a' },
    { id: 'b', label: 'b' },
  ];
  assert.deepEqual(selectionFromArgs(inrs, undefined), { selection: defaultSelection('a') });
  assert.deepEqual(selectionFromArgs(inrs, { dataset: 'd', id: 'b', aug: 'rotate:degrees=12', copies: 4, seed: 9 }), {
    selection: { inrId: 'b', augmentation: 'rotate', params: { degrees: 12 }, seed: 9, count: 8, partnerId: null },
  });
  assert.equal(selectionFromArgs(inrs, { dataset: 'd', copies: 1 }).selection.count, 1);
  const chain = selectionFromArgs(inrs, { dataset: 'd', aug: 'rotate+permute' });
  assert.equal(chain.selection.augmentation, 'rotate');
  assert.match(chain.note ?? '', /one augmentation at a time: showing rotate, the first step of rotate\+permute/);
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', id: 'zz' }), { name: 'UserError', message: 'd: no INR with id "zz" in its manifest' });
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', aug: 'rotat' }), {
    name: 'UserError',
    message: /aug: unknown augmentation "rotat" \(did you mean "rotate"\?\)/,
  });
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', aug: 'rotate:degrees=999' }), { name: 'UserError', message: /rotate:degrees must be/ });
  assert.throws(() => selectionFromArgs(inrs, { dataset: 'd', seed: -2 }), { name: 'UserError', message: /seed must be an integer/ });
});
