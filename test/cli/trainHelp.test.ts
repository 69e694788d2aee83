/** `wslab train --help` lists every key of the experiment schema with its description and default. */
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import schema from '../../schemas/experiment.schema.json';
import { main } from '../../src/cli/main';
import { MODEL_DEFAULTS } from '../../src/core/models/modelConfig';

interface Node {
  readonly description?: string;
  readonly properties?: Record<string, Node>;
}

function keys(node: Node, prefix = ''): { path: string; description: string }[] {
  return Object.entries(node.properties ?? {})
    .filter(([k]) => !['$schema', '$comment', 'description'].includes(k))
    .flatMap(([k, child]) => [
      { path: `${prefix}${k}`, description: child.description ?? '' },
      ...(child.properties && k !== 'augment' ? keys(child, `${prefix}${k}.`) : []),
    ]);
}

test('train --help describes every config key, with the defaults a config gets', async () => {
  let out = '';
  const code = await main(['train', '--help'], { stdout: (t) => (out += `${t}\n`), stderr: () => {} });
  assert.equal(code, 0);
  const lines = out.split('\n');
  for (const { path, description } of keys(schema as Node)) {
    assert.ok(description.length > 10, `the schema describes ${path}`);
    const line = lines.find((l) => l.trimStart().startsWith(`${path} `) || l.trimStart().startsWith(`${path}:`));
    assert.ok(line?.includes(description), `help line for ${path}: ${line}`);
  }
  for (const [key, value] of Object.entries(MODEL_DEFAULTS.dwsnet)) {
    assert.match(out, new RegExp(`model\\.${key} .*\\(default: ${JSON.stringify(value)}\\)`));
  }
});

test('train --backend and --threads are checked like the config keys they set', async () => {
  const config = join(__dirname, '..', '..', 'examples', 'mnist-dwsnet.wslab.json');
  for (const [flag, value, message] of [
    ['--backend', 'gpu-please', /backend must be one of "auto", "fused", "wasm", "cpu", "tfjs-node-gpu"/],
    ['--threads', '1.5', /threads must be integer/],
  ] as const) {
    let err = '';
    const code = await main(['train', '--config', config, flag, value, '--runs', join(tmpdir(), 'wslab-never-written')], {
      stdout: () => {},
      stderr: (t) => (err += `${t}\n`),
    });
    assert.notEqual(code, 0);
    assert.match(err, message);
  }
});

test("wslab help COMMAND prints that command's help, as COMMAND --help does", async () => {
  const capture = async (args: string[]) => {
    let out = '';
    const code = await main(args, { stdout: (t) => (out += `${t}\n`), stderr: () => {} });
    return { code, out };
  };
  const viaHelp = await capture(['help', 'train']);
  assert.equal(viaHelp.code, 0);
  assert.match(viaHelp.out, /^usage: wslab train --config FILE/);
  assert.deepEqual(viaHelp, await capture(['train', '--help']));
  assert.match((await capture(['help'])).out, /^usage: wslab <command>/);
});
