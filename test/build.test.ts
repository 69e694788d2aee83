/**
 * The build (scripts/build.mjs): `--if-stale` (what `npm start` runs, right after `npm ci` has built) skips
 * the work when no input is newer than the last successful build. (That the build has no warnings is
 * enforced by the build itself: it fails on any esbuild warning, and `npm test` builds first.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('build --if-stale builds when something changed since the last build, and otherwise says it is up to date', () => {
  const build = () => spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { encoding: 'utf8' });
  const first = build();
  assert.equal(first.status, 0, first.stderr);
  const second = build();
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^build: dist\/ is up to date$/m);
});
