/** The fuzz targets by name: one per parser, in the order `npm run fuzz` runs them. */
import type { FuzzTarget } from '../harness';
import { canaryTarget } from './canary';
import { manifestTarget, settingsTarget, shardTarget } from './dataset';
import { npyTarget, npzTarget, pthTarget, safetensorsTarget } from './formats';
import { experimentConfigTarget } from './experimentConfig';
import { pickleTarget } from './pickle';
import { runFolderTarget } from './runFolder';
import { webviewMessagesTarget } from './webviewMessages';

export const TARGETS: readonly FuzzTarget[] = [
  safetensorsTarget,
  npyTarget,
  npzTarget,
  pthTarget,
  pickleTarget,
  manifestTarget,
  settingsTarget,
  shardTarget,
  experimentConfigTarget,
  runFolderTarget,
  webviewMessagesTarget,
];

export function loadTarget(name: string): FuzzTarget {
  const target = [...TARGETS, canaryTarget].find((t) => t.name === name);
  if (!target) throw new Error(`no fuzz target "${name}" (have: ${TARGETS.map((t) => t.name).join(', ')})`);
  return target;
}
