/**
 * The short fuzz runs of `npm test`: for every parser, the first 200 inputs of the same sequence
 * `npm run fuzz` runs 10,000 of. A run passes when every input ended in success or a typed error naming
 * the file, within the time and allocation bounds, and both outcomes occurred (mutations that never get
 * past the first check, or never break anything, would test nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TIME_BOUND_MS, formatReport, runFuzz } from './harness';
import { TARGETS } from './targets';

const SMOKE_INPUTS = 200;

for (const { name } of TARGETS) {
  test(`fuzz ${name}: ${SMOKE_INPUTS} mutated inputs each end in success or a typed error naming the file, under ${DEFAULT_TIME_BOUND_MS} ms, without large allocations`, async (t) => {
    const report = await runFuzz(name, { count: SMOKE_INPUTS });
    t.diagnostic(formatReport(report));
    assert.equal(report.tried, SMOKE_INPUTS);
    assert.deepEqual(report.failures, [], formatReport(report));
    assert.ok(report.successes > 0, 'no input was accepted');
    assert.ok(report.typedErrors > 0, 'no input was refused');
  });
}
