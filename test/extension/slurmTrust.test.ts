// "Submit to Slurm…" and the Slurm job commands from the built commands' bundle, in plain Node with a
// stand-in `vscode`: in Restricted Mode every command that runs a program (sbatch, scancel, a merge
// worker) is refused before it does anything; trusted but without sbatch or a login host, submitting
// says what is missing. And how availability is decided (sbatch on PATH, or a login host). Needs the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findOnPath } from '../../src/core/cluster/findTool';
import { DEFAULT_SETTINGS } from '../../src/extension/settings';
import { slurmAvailable } from '../../src/extension/tree/slurmAvailability';
import { createFakeVscode, withFakeVscode } from '../helpers/fakeVscode';

const COMMANDS_BUNDLE = resolve(__dirname, '../../dist/extension-commands.js');

type SlurmCommand = (lab: unknown, arg?: unknown) => Promise<unknown>;
interface Commands {
  COMMAND_HANDLERS: Record<'weightSpaceLab.submitToSlurm' | 'weightSpaceLab.cancelSlurmJob' | 'weightSpaceLab.mergeSlurmDataset', SlurmCommand>;
}

function load() {
  assert.ok(existsSync(COMMANDS_BUNDLE), `${COMMANDS_BUNDLE} is missing: run node scripts/build.mjs first`);
  const fake = createFakeVscode();
  const warnings: string[] = [];
  const workspace = fake.module.workspace as { isTrusted: boolean };
  (fake.module.window as Record<string, unknown>).showWarningMessage = (message: string) => {
    warnings.push(message);
    return Promise.resolve(undefined);
  };
  delete require.cache[COMMANDS_BUNDLE];
  const commands = withFakeVscode(fake, () => require(COMMANDS_BUNDLE) as Commands);
  let started = 0;
  const lab = {
    requireRoot: () => mkdtempSync(join(tmpdir(), 'wslab-trust-')),
    settings: () => DEFAULT_SETTINGS,
    inRoot: (p: string) => p,
    startTask: () => {
      started++;
      throw new Error('no task may start');
    },
    tree: { slurmAvailability: async () => false, slurm: { list: () => [] } },
  };
  return { commands, warnings, workspace, lab, started: () => started };
}

const JOB_NODE = { id: 'slurmJob:/w/datasets/d:12', kind: 'slurmJob', path: '/w/datasets/d' };

test('in Restricted Mode, submitting, cancelling and merging are refused before anything runs', async () => {
  const { commands, warnings, workspace, lab, started } = load();
  workspace.isTrusted = false;
  const calls = [
    ['Submitting to Slurm', () => commands.COMMAND_HANDLERS['weightSpaceLab.submitToSlurm'](lab, { what: 'generate', generate: { dataset: 'mnist' } })],
    ['Cancelling a Slurm job', () => commands.COMMAND_HANDLERS['weightSpaceLab.cancelSlurmJob'](lab, { ...JOB_NODE, confirmed: true })],
    ['Merging a dataset', () => commands.COMMAND_HANDLERS['weightSpaceLab.mergeSlurmDataset'](lab, JOB_NODE)],
  ] as const;
  for (const [action, call] of calls) {
    const result = (await call()) as { refused?: string; message?: string };
    assert.equal(result.refused, 'untrusted', action);
    assert.match(result.message!, new RegExp(`^${action} is disabled in Restricted Mode`));
  }
  assert.equal(warnings.length, 3);
  assert.equal(started(), 0);
});

test('trusted, without sbatch on PATH and without a login host, submitting says what is missing', async () => {
  const { commands, workspace, lab, started } = load();
  workspace.isTrusted = true;
  await assert.rejects(commands.COMMAND_HANDLERS['weightSpaceLab.submitToSlurm'](lab, { what: 'generate', generate: { dataset: 'mnist' } }), (e: Error) => {
    assert.equal(e.name, 'UserError');
    assert.match(e.message, /sbatch is not on PATH here, and the setting weightSpaceLab\.slurm\.loginHost .* is empty/);
    return true;
  });
  assert.equal(started(), 0);
});

test('Slurm is available with sbatch on PATH (found, not run) or with a login host', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'wslab-path-'));
  const empty = mkdtempSync(join(tmpdir(), 'wslab-path-empty-'));
  writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\ntouch "$0.ran"\n');
  writeFileSync(join(empty, 'sbatch'), 'not executable');
  chmodSync(join(bin, 'sbatch'), 0o755);
  assert.equal(await findOnPath('sbatch', `${empty}:${bin}`), join(bin, 'sbatch'));
  assert.equal(await findOnPath('sbatch', empty), undefined, 'a file that is not executable does not count');
  assert.equal(await slurmAvailable({ loginHost: null }, (p) => findOnPath(p, `${empty}:${bin}`)), true);
  assert.equal(await slurmAvailable({ loginHost: null }, (p) => findOnPath(p, empty)), false);
  let looked = false;
  const find = async () => {
    looked = true;
    return undefined;
  };
  assert.equal(await slurmAvailable({ loginHost: 'login1' }, find), true);
  assert.equal(looked, false, 'a login host needs no PATH lookup');
  assert.equal(existsSync(join(bin, 'sbatch.ran')), false, 'sbatch was never run');
});
