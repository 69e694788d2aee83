/**
 * Every error a user can cause and fix is a LabError with a code from ERROR_CODES, so the CLI (exit 1,
 * `wslab: error [code] …`) and the panels (their error box) treat them alike; anything else is `internal`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODES, LabError, RemoteError, toErrorInfo } from '../../src/core/labError';
import { WeightFileError } from '../../src/core/errors';
import { NotAnMlpError } from '../../src/core/weights/mlp';
import { DatasetError } from '../../src/core/dataset/imageSource';
import { ImageDecodeError } from '../../src/core/image/codec';
import { ConfigError } from '../../src/core/train/experimentConfig';
import { RunFolderError } from '../../src/core/train/runFolder';
import { CheckpointError } from '../../src/core/train/checkpoint';
import { AugmentError } from '../../src/core/augment/params';
import { UnsafePathError } from '../../src/core/io/insideRoot';
import { StudyError } from '../../src/core/study/studyConfig';
import { StudyResultError } from '../../src/core/study/studyResult';
import { ClusterError } from '../../src/core/cluster/errors';
import { GpuError } from '../../src/core/gpu/webgpuDevice';
import { MeshError } from '../../src/core/mesh/mesh';
import { main } from '../../src/cli/main';

const USER_ERRORS: [LabError, string][] = [
  [new WeightFileError('truncated', '/w.safetensors', 'ends early'), 'truncated'],
  [new NotAnMlpError('not an MLP'), 'not-mlp'],
  [new DatasetError('no images'), 'dataset'],
  [new ImageDecodeError('bad PNG'), 'image-decode'],
  [new ConfigError('bad key'), 'config'],
  [new RunFolderError('not a run'), 'bad-run-folder'],
  [new CheckpointError('bad checkpoint'), 'checkpoint'],
  [new AugmentError('unknown augmentation'), 'augment'],
  [new UnsafePathError('outside-root', '../x', '/root', 'path is outside'), 'unsafe-path'],
  [new StudyError('bad study'), 'study'],
  [new StudyResultError('bad study.json'), 'bad-study'],
  [new ClusterError('sbatch failed'), 'cluster'],
  [new GpuError('no adapter'), 'gpu'],
  [new MeshError('/m.stl', 'truncated'), 'mesh'],
];

test('each user error is a LabError with its own code, kept by toErrorInfo', () => {
  for (const [error, code] of USER_ERRORS) {
    assert.ok(error instanceof LabError, error.name);
    assert.equal(error.code, code);
    assert.ok((ERROR_CODES as readonly string[]).includes(error.code));
    assert.deepEqual(toErrorInfo(error, '/given'), { code, file: error.file ?? '/given', message: error.message });
  }
  assert.equal(new Set(USER_ERRORS.map(([, code]) => code)).size, USER_ERRORS.length, 'one code per class');
  assert.equal(toErrorInfo(new WeightFileError('truncated', '/w.safetensors', 'x'), '/given').file, '/w.safetensors');
  assert.deepEqual(toErrorInfo(new TypeError('a bug'), '/f'), { code: 'internal', file: '/f', message: 'a bug' });
  assert.equal(toErrorInfo(new RangeError('no such INR'), '/f').code, 'invalid-request');
  const remote = { code: 'internal' as const, file: '/worker/side', message: 'it crashed' };
  assert.deepEqual(toErrorInfo(new RemoteError(remote), '/f'), remote, 'a RemoteError keeps the other side’s ErrorInfo');
});

/** Error classes in src/ that are not LabErrors, and why: none of them is a problem with the user's input. */
const NOT_USER_ERRORS: Record<string, string> = {
  LabError: 'the base itself',
  UsageError: 'bad command-line usage: exit 2 with the usage',
  ProtocolError: 'a malformed message between our own processes',
  RemoteError: "carries the other side's ErrorInfo across a channel (protocol/rpc.ts), code 'internal' included",
  UserError: 'the extension host wraps a message for showErrorMessage',
  NothingYet: 'not an error: an empty state (no runs, no dataset) shown as an information message with the command that makes one',
  TeamAborted: 'cancellation',
  TrainCancelled: 'cancellation',
  StudyCancelled: 'cancellation',
  TrainProcessError: 'a study run that failed or was cancelled; the runner records it',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('no other error class in src/ is outside LabError', () => {
  const root = join(__dirname, '..', '..');
  const plain = sourceFiles(join(root, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends Error\b/g)].map((m) => ({ name: m[1]!, file: relative(root, file) })),
  );
  const unexplained = plain.filter((c) => !(c.name in NOT_USER_ERRORS));
  assert.deepEqual(unexplained, [], 'a new error class a user can fix should extend LabError (src/core/labError.ts)');
});

test('the CLI reports a LabError as `wslab: error [code] …` with exit 1, not as an internal error', async () => {
  let err = '';
  const code = await main(['inspect', join(__dirname, 'no-such-file.safetensors')], { stdout: () => {}, stderr: (t) => (err += t) });
  assert.equal(code, 1);
  assert.match(err, /^wslab: error \[not-found\] .*no-such-file\.safetensors/);
  err = '';
  const study = await main(['study', join(__dirname, 'no-such.study.wslab.json')], { stdout: () => {}, stderr: (t) => (err += t) });
  assert.equal(study, 1);
  assert.match(err, /^wslab: error \[study\] /);
});
