// The augment list in words (webview/compare/augmentText.ts), from the compact JSON the host flattens it to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentText } from '../../webview/compare/augmentText';
import { configCell } from '../../webview/compare/tables';
import { fixtureRun } from './fixtureRuns';

test('the fixture runs’ augment lists read as names with their probabilities, or "none"', async () => {
  const augmented = await fixtureRun('augmented');
  const baseline = await fixtureRun('baseline-seed0');
  assert.equal(configCell('augment', augmented.config.augment), 'translate p 0.5, rotate p 0.5, siren-negation p 0.5');
  assert.equal(configCell('augment', baseline.config.augment), 'none');
  // Only the augment key is rewritten; other JSON-valued keys stay as they came.
  assert.equal(configCell('other', augmented.config.augment), augmented.config.augment);
});

test('parameters follow the probability as "key value"; a non-numeric one stays JSON', () => {
  const json = JSON.stringify([{ name: 'rotate', p: 0.25, params: { degrees: 30 } }, { name: 'warp', p: 1, params: { axes: [0, 1] } }, { name: 'flip' }]);
  assert.equal(augmentText(json), 'rotate p 0.25 degrees 30, warp p 1 axes [0,1], flip');
});

test('anything that is not a list of named steps is shown as it came', () => {
  for (const value of ['not json', '{"name":"rotate"}', '[1,2]', '[{"p":0.5}]', '"rotate"']) assert.equal(augmentText(value), value);
});
