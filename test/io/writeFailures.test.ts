/**
 * Failed writes: disk full and permission denied (injected into writeFileAtomic, and for real: a
 * tiny tmpfs when this machine lets us mount one, a child process running as `nobody` when we are
 * root), a file where a folder is expected. Each must throw a FileWriteError naming the file and saying
 * what went wrong, leave the previous content of the file intact, and leave no temporary file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAtomicTempName, writeFileAtomic, type AtomicWriteFs } from '../../src/core/io/atomicWrite';
import { FileWriteError, type WriteFailureReason } from '../../src/core/io/writeError';
import { writeShard, readFinishedShard } from '../../src/core/dataset/shard';
import { appendMetrics, readMetrics, writeJson } from '../../src/core/train/runFolder';
import { fakeShard } from './writeFixtures';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `wslab-writefail-${name}-`));
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

function isFailure(path: string, reason: WriteFailureReason, words: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof FileWriteError, String(e));
    assert.equal(e.reason, reason);
    assert.equal(e.code, 'io');
    assert.equal(e.file, path);
    assert.ok(e.message.startsWith(path), e.message);
    assert.match(e.message, words);
    return true;
  };
}

/** Node's fs, except that `fail` decides, call by call, to throw an OS error instead. */
function failingFs(fail: (call: string, bytesSoFar: number) => string | undefined): AtomicWriteFs {
  let written = 0;
  const check = (call: string) => {
    const code = fail(call, written);
    if (code) throw errno(code);
  };
  return {
    mkdir: async (p, o) => (check('mkdir'), fsp.mkdir(p, o)),
    rename: async (a, b) => (check('rename'), fsp.rename(a, b)),
    unlink: (p) => fsp.unlink(p),
    open: async (p, flags) => {
      check('open');
      const handle = await fsp.open(p, flags);
      return {
        write: async (buffer, offset, length) => {
          check('write');
          // Write half of what is asked, then fail on the next call: a disk that fills mid-file.
          const part = Math.max(1, Math.floor(length / 2));
          const r = await handle.write(buffer, offset, part);
          written += r.bytesWritten;
          return r;
        },
        sync: async () => (check('sync'), handle.sync()),
        close: () => handle.close(),
      };
    },
  };
}

const tempFiles = (dir: string) => readdirSync(dir).filter(isAtomicTempName);

test('disk full or permission denied at any step of an atomic write: typed error, old content intact, no temp file', async () => {
  const dir = tmp('inject');
  const path = join(dir, 'manifest.json');
  writeFileSync(path, 'old content');
  const big = new Uint8Array(100_000).fill(7);
  const cases: Array<[string, string, WriteFailureReason, RegExp]> = [
    ['mkdir', 'EACCES', 'permission-denied', /permission denied \(EACCES\)/],
    ['open', 'EACCES', 'permission-denied', /permission denied/],
    ['open', 'EROFS', 'read-only', /read-only file system/],
    ['write', 'ENOSPC', 'disk-full', /disk full \(ENOSPC\)/],
    ['write', 'EDQUOT', 'disk-full', /disk full \(quota exceeded\)/],
    ['sync', 'ENOSPC', 'disk-full', /disk full/],
    ['rename', 'EPERM', 'permission-denied', /permission denied/],
  ];
  for (const [call, code, reason, words] of cases) {
    // Fail `write` only once some bytes are in the temporary file (a disk that fills mid-file).
    const io = failingFs((c, bytes) => (c === call && (call !== 'write' || bytes > 0) ? code : undefined));
    await assert.rejects(writeFileAtomic(path, [big, big], io), isFailure(path, reason, words), `${code} on ${call}`);
    assert.equal(readFileSync(path, 'utf8'), 'old content', `${code} on ${call}: the old file is intact`);
    assert.deepEqual(tempFiles(dir), [], `${code} on ${call}: no temporary file left`);
  }
  await writeFileAtomic(
    path,
    new TextEncoder().encode('new'),
    failingFs(() => undefined),
  );
  assert.equal(readFileSync(path, 'utf8'), 'new', 'the same fs without failures writes');
});

test('a file where a folder is expected: the shard writer and the run folder say so, naming the file', async () => {
  const dir = tmp('in-the-way');
  writeFileSync(join(dir, 'shards'), 'a file, not a folder');
  const shard = join(dir, 'shards', '00000.safetensors');
  const { settings, fitted } = fakeShard(2);
  await assert.rejects(writeShard(shard, settings, fitted), isFailure(shard, 'not-a-folder', /a file is in the way where a folder is expected/));
  writeFileSync(join(dir, 'run'), 'a file, not a folder');
  await assert.rejects(writeJson(join(dir, 'run'), 'summary.json', {}), isFailure(join(dir, 'run', 'summary.json'), 'not-a-folder', /in the way/));
  await assert.rejects(
    appendMetrics(join(dir, 'run'), [{ step: 1, epoch: 1, split: 'train', loss: 1, accuracy: 0, lr: 0, time: 0 }]),
    isFailure(join(dir, 'run', 'metrics.jsonl'), 'not-a-folder', /in the way/),
  );
  assert.equal(readFileSync(join(dir, 'shards'), 'utf8'), 'a file, not a folder');
});

/** Mounts a tmpfs of `kib` KiB at a new folder, or undefined where this machine does not allow it. */
function tinyTmpfs(kib: number): string | undefined {
  const dir = tmp('tmpfs');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

test('a real full disk (a 256 KiB tmpfs): the shard writer and the run folder fail clearly and keep what was there', async (t) => {
  const disk = tinyTmpfs(256);
  if (!disk) return t.skip('cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); the injected ENOSPC test covers the logic');
  try {
    const shard = join(disk, 'shards', '00000.safetensors');
    const small = fakeShard(4);
    await writeShard(shard, small.settings, small.fitted); // ~20 KB: fits
    const before = readFileSync(shard);
    const large = fakeShard(60); // ~290 KB: does not fit next to the first one
    await assert.rejects(writeShard(shard, large.settings, large.fitted), isFailure(shard, 'disk-full', /disk full \(ENOSPC\)/));
    assert.deepEqual(readFileSync(shard), before, 'the finished shard is intact');
    assert.deepEqual(tempFiles(join(disk, 'shards')), []);
    const found = await readFinishedShard(
      shard,
      small.settings,
      small.fitted.map((f) => f.item),
    );
    assert.ok('items' in found, 'the old shard still reads as finished');

    const run = join(disk, 'run');
    await writeJson(run, 'summary.json', { epochs: 1 });
    writeFileSync(join(disk, 'filler'), Buffer.alloc(200 * 1024)); // fill most of the rest
    await assert.rejects(writeJson(run, 'summary.json', { big: 'x'.repeat(100_000) }), isFailure(join(run, 'summary.json'), 'disk-full', /disk full/));
    assert.deepEqual(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')), { epochs: 1 });
    const record = { step: 1, epoch: 1, split: 'train' as const, loss: 1, accuracy: 0, lr: 0, time: 0 };
    await appendMetrics(run, [record]);
    await assert.rejects(
      appendMetrics(
        run,
        Array.from({ length: 2000 }, () => record),
      ),
      isFailure(join(run, 'metrics.jsonl'), 'disk-full', /disk full/),
    );
    assert.ok((await readMetrics(run)).length >= 1, 'the records written before are still readable');
  } finally {
    execFileSync('umount', [disk]);
  }
});

test('permission denied for real (a folder the writer may not write): clear error, old files intact', async () => {
  const dir = tmp('readonly');
  const shards = join(dir, 'shards');
  mkdirSync(shards);
  const shard = join(shards, '00000.safetensors');
  writeFileSync(shard, 'previous shard');
  mkdirSync(join(dir, 'run'));
  writeFileSync(join(dir, 'run', 'summary.json'), '{"old":true}');
  const asRoot = process.getuid?.() === 0;
  // Root ignores permission bits, so as root the writer runs as `nobody` (uid 65534) in a folder owned by
  // root with mode 755; otherwise the folders are made read-only for us.
  if (!asRoot) {
    chmodSync(shards, 0o555);
    chmodSync(join(dir, 'run'), 0o555);
  } else chmodSync(dir, 0o755);
  const runAs = (kind: string, path: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/io/writeAs.ts', kind, path, '2'], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmpdir() } } : {}),
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; name: string; reason?: string; message: string };
  };
  try {
    for (const [kind, path] of [
      ['shard', shard],
      ['run-json', join(dir, 'run', 'summary.json')],
      ['metrics', join(dir, 'run', 'metrics.jsonl')],
    ] as const) {
      const result = runAs(kind, path);
      assert.equal(result.ok, false, `${kind}: the write was refused`);
      assert.equal(result.name, 'FileWriteError', result.message);
      assert.equal(result.reason, 'permission-denied');
      assert.ok(result.message.startsWith(path), result.message);
      assert.match(result.message, /permission denied \(EACCES\)/);
    }
    assert.equal(readFileSync(shard, 'utf8'), 'previous shard');
    assert.equal(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'), '{"old":true}');
    assert.deepEqual(tempFiles(shards), []);
  } finally {
    if (!asRoot) {
      chmodSync(shards, 0o755);
      chmodSync(join(dir, 'run'), 0o755);
    }
  }
});
