/**
 * resolveInsideRoot: paths inside the root resolve to their real location; `..`, absolute paths
 * elsewhere, symlinks out (to folders, files, or nothing), link loops, NUL bytes and over-long names
 * are refused with a typed UnsafePathError naming the path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInsideRoot, resolveInsideRoot, UnsafePathError, type UnsafePathReason } from '../../src/core/io/insideRoot';

function setup() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'wslab-inside-')));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'datasets', 'mnist'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  writeFileSync(join(root, 'datasets', 'mnist', 'dataset.json'), '{}');
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link'));
  symlinkSync(join(outside, 'not-there'), join(root, 'dangling'));
  symlinkSync(join(root, 'datasets'), join(root, 'link-in'));
  symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
  symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
  return { root, outside };
}

async function refused(root: string, path: string, reason: UnsafePathReason, options = {}) {
  await assert.rejects(resolveInsideRoot(root, path, options), (e: unknown) => {
    assert.ok(e instanceof UnsafePathError, `${JSON.stringify(path)}: ${String(e)}`);
    assert.equal(e.reason, reason, `${JSON.stringify(path)}: ${e.message}`);
    assert.match(e.message, /refused/);
    // eslint-disable-next-line no-control-regex -- a NUL is what must not be there
    assert.doesNotMatch(e.message, /[\u0000\n]/, 'the message carries no raw control characters');
    return true;
  });
}

test('paths inside the root resolve to their real location, existing or not', async () => {
  const { root } = setup();
  assert.equal(await resolveInsideRoot(root, 'datasets/mnist'), join(root, 'datasets', 'mnist'));
  assert.equal(await resolveInsideRoot(root, join(root, 'datasets', 'mnist', 'dataset.json')), join(root, 'datasets', 'mnist', 'dataset.json'));
  assert.equal(await resolveInsideRoot(root, '.'), root);
  assert.equal(
    await resolveInsideRoot(root, 'datasets/../datasets/new/shards/00000.safetensors'),
    join(root, 'datasets', 'new', 'shards', '00000.safetensors'),
  );
  // A symlink that stays inside is followed, and the real path is returned.
  assert.equal(await resolveInsideRoot(root, 'link-in/mnist/not-yet.json'), join(root, 'datasets', 'mnist', 'not-yet.json'));
  // A file where a folder is expected cannot exist; it still resolves (the write fails later, by itself).
  assert.equal(await resolveInsideRoot(root, 'datasets/mnist/dataset.json/x'), join(root, 'datasets', 'mnist', 'dataset.json', 'x'));
  assert.equal(await isInsideRoot(root, 'datasets'), true);
  assert.equal(await isInsideRoot(root, '../outside'), false);
});

test('`..`, absolute paths elsewhere and symlinks out are refused', async () => {
  const { root, outside } = setup();
  await refused(root, '..', 'outside-root');
  await refused(root, '../outside/secret.txt', 'outside-root');
  await refused(root, 'datasets/../../outside', 'outside-root');
  await refused(root, '/etc/passwd', 'outside-root');
  await refused(root, outside, 'outside-root');
  await refused(root, `${root}-sibling/x`, 'outside-root'); // a common prefix is not containment
  await refused(root, 'link-out', 'outside-root');
  await refused(root, 'link-out/secret.txt', 'outside-root');
  await refused(root, 'link-out/new-file', 'outside-root');
  await refused(root, 'secret-link', 'outside-root');
  await refused(root, 'dangling', 'dangling-link');
  await refused(root, 'loop-a/x', 'link-loop');
  assert.equal(await resolveInsideRoot(root, 'datasets/mnist', { allowAbsolute: false }), join(root, 'datasets', 'mnist'));
  await refused(root, join(root, 'datasets'), 'absolute', { allowAbsolute: false });
});

test('NUL bytes, empty paths, over-long names and missing roots are refused with a clear reason', async () => {
  const { root } = setup();
  await refused(root, 'datasets/mnist\0/../../../etc', 'nul-byte');
  await refused(root, '', 'outside-root');
  await refused(root, 'a'.repeat(256), 'too-long');
  await refused(root, `${'abcdefgh/'.repeat(500)}x`, 'too-long');
  await refused(join(root, 'no-such-root'), 'x', 'no-root');
  const e = await resolveInsideRoot(root, 'bad\nname/../../..').catch((error: unknown) => error);
  assert.ok(e instanceof UnsafePathError);
  assert.match(e.message, /bad\\x0aname/, 'control characters are escaped in the message');
  const named = await resolveInsideRoot(root, '../x', { what: 'the dataset path in exp.wslab.json' }).catch((error: unknown) => error);
  assert.match(String(named), /the dataset path in exp\.wslab\.json is outside/);
});
