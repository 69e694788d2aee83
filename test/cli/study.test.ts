/** `wslab study`: usage, and a bad study file failing with exit 1 and an error naming the file and the key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const wslab = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });

test('wslab study --help and wslab help list the command; no file is a usage error', () => {
  assert.match(wslab('study', '--help').stdout, /^usage: wslab study FILE\.study\.wslab\.json/);
  assert.match(wslab('--help').stdout, /wslab study FILE/);
  const none = wslab('study');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /study needs one study file/);
});

test('a bad study fails with exit 1 before anything trains, naming the file and the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-study-cli-'));
  const file = join(dir, 'bad.study.wslab.json');
  writeFileSync(file, JSON.stringify({ base: { dataset: 'inrs', optimizer: { epochs: 0 } }, sizes: [10] }));
  const r = wslab('study', file, '--out', join(dir, 'out'));
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^wslab: error \\[study\\] ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: run bad-n10-seed0: .*optimizer\\.epochs`));
});
