/**
 * `wslab COMMAND --help` (and `wslab slurm SUBCOMMAND --help`) lists every option the command parses,
 * with its default; the usage line names no option the command does not declare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, main } from '../../src/cli/main';
import type { CliOptions } from '../../src/cli/optionHelp';

async function help(args: string[]): Promise<string> {
  let out = '';
  const code = await main(args, { stdout: (t) => (out += `${t}\n`), stderr: () => {} });
  assert.equal(code, 0, `${args.join(' ')} exits 0`);
  return out;
}

/** Every (sub)command with declared options, as the words that address it. */
const targets: { words: string[]; usage: string; options: CliOptions }[] = Object.entries(COMMANDS).flatMap(([name, c]) => [
  ...(c.options ? [{ words: [name], usage: c.usage, options: c.options }] : []),
  ...Object.entries(c.subcommands ?? {}).map(([sub, s]) => ({ words: [name, sub], usage: s.usage, options: s.options })),
]);

test('every command but merge (which takes none) declares its options, and every slurm subcommand too', () => {
  const without = Object.entries(COMMANDS)
    .filter(([, c]) => !c.options && !c.subcommands)
    .map(([name]) => name);
  assert.deepEqual(without, ['merge']);
  assert.deepEqual(
    targets.filter((t) => t.words[0] === 'slurm').map((t) => t.words[1]),
    ['generate', 'sweep', 'study', 'status'],
  );
});

for (const { words, usage, options } of targets) {
  test(`wslab ${words.join(' ')} --help lists every option with its default`, async () => {
    const out = await help([...words, '--help']);
    const lines = out.split('\n');
    for (const [name, option] of Object.entries(options)) {
      const at = lines.findIndex((l) => new RegExp(`^  --${name}(\\s|$)`).test(l));
      assert.ok(at >= 0, `--${name} is listed:\n${out}`);
      // The option's text may follow on the next line when its name and value are long.
      const text = `${lines[at]} ${lines[at + 1] ?? ''}`;
      assert.ok(text.includes(option.help), `--${name} has its description`);
      const fixed = option.type === 'string' && typeof option.default === 'string' ? option.default : undefined;
      const shown = option.defaultText ?? fixed;
      if (shown !== undefined) assert.ok(text.includes(`default: ${shown}`), `--${name} shows its default ${shown}: ${text}`);
      if (option.required) assert.match(text, /\(required/);
    }
  });

  test(`wslab ${words.join(' ')}: its usage names only options it declares`, () => {
    const named = [...new Set(usage.match(/--[a-z][a-z0-9-]*/g) ?? [])].map((o) => o.slice(2));
    // slurm generate's usage points at wslab generate's options by name, and the one-liners may say "(--shard i/n)".
    const undeclared = named.filter((o) => !(o in options));
    assert.deepEqual(undeclared, [], `usage of ${words.join(' ')}`);
  });
}

test('wslab help slurm sweep is wslab slurm sweep --help', async () => {
  const direct = await help(['slurm', 'sweep', '--help']);
  assert.match(direct, /^usage: wslab slurm sweep CONFIG/);
  assert.equal(await help(['help', 'slurm', 'sweep']), direct);
});

test("a misspelt slurm option is matched against that subcommand's options", async () => {
  let err = '';
  const code = await main(['slurm', 'sweep', 'x.wslab.json', '--gird', 'a=1'], { stdout: () => {}, stderr: (t) => (err += t) });
  assert.equal(code, 2);
  assert.match(err, /unknown option --gird \(did you mean --grid\?\)/);
  assert.match(err, /usage: wslab slurm sweep CONFIG/);
});
