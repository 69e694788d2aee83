/**
 * `npm run fuzz`: the full fuzz run — every target with 10,000 inputs (or --count N), seed 1 (or
 * --seed S), optionally only the named targets. Prints one report per target and exits 1 when any input
 * failed; failing inputs are in test-results/fuzz/<target>/.
 *
 *   node --import tsx test/fuzz/run.ts [--count 10000] [--seed 1] [--time-bound-ms 2000] [--from 0] [target…]
 *
 * --from N runs only inputs N… of the same sequence (to replay a failure quickly).
 */
import { parseArgs } from 'node:util';
import { formatReport, runFuzz } from './harness';
import { TARGETS } from './targets';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      count: { type: 'string', default: '10000' },
      from: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      'time-bound-ms': { type: 'string', default: '2000' },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const timeBoundMs = Number(values['time-bound-ms']);
  const from = Number(values.from);
  if (![count, seed, timeBoundMs, from].every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new Error('--count, --from, --seed and --time-bound-ms take non-negative integers');
  const unknown = positionals.filter((p) => !TARGETS.some((t) => t.name === p));
  if (unknown.length > 0) throw new Error(`unknown target(s) ${unknown.join(', ')} (have: ${TARGETS.map((t) => t.name).join(', ')})`);
  const chosen = positionals.length > 0 ? TARGETS.filter((t) => positionals.includes(t.name)) : TARGETS;
  let failed = 0;
  const started = Date.now();
  for (const target of chosen) {
    const t0 = Date.now();
    const report = await runFuzz(target.name, { count, from, seed, timeBoundMs });
    console.log(`${formatReport(report)}  [${((Date.now() - t0) / 1000).toFixed(1)} s]`);
    failed += report.failures.length;
  }
  console.log(`${chosen.length} targets, ${failed} failing inputs, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);
