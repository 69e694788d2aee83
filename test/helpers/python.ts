/** Debian's Python with numpy and torch, for the interop tests (CI installs python3-torch). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const CHECK_TORCH_LOAD = join(__dirname, '..', '..', 'scripts', 'fixtures', 'check_torch_load.py');

/** Why torch cannot be used here, or undefined when it can. */
export function torchUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import torch (${probe.stderr.trim().split('\n').pop()})`;
  return undefined;
}
