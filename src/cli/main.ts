#!/usr/bin/env node
/**
 * `wslab`: the Weight Space Lab engine on the command line, for scripts and clusters. Exit codes:
 * 0 success, 1 a typed error about the input (printed as `wslab: error [code] FILE: problem`), 2 bad
 * usage, 3 an unexpected internal error.
 */
import { isWeightFileError } from '../core/errors';
import { NotAnMlpError } from '../core/weights/mlp';
import { closestName } from '../core/text/editDistance';
import { UsageError, type Command, type CommandIO } from './command';
import { inspectCommand, inspectUsage } from './commands/inspect';
import { generateCommand, generateUsage } from './commands/generate';
import { exportCommand, exportUsage, mergeCommand, mergeUsage } from './commands/dataset';
import { renderCommand, renderUsage } from './commands/render';
import { augmentCommand, augmentUsage } from './commands/augment';
import { previewCommand, previewUsage } from './commands/preview';
import { trainCommand, trainUsage } from './commands/train';
import { evalCommand, evalUsage } from './commands/eval';
import { demoCommand, demoUsage } from './commands/demo';
import { ConfigError } from '../core/train/experimentConfig';
import { configHelp } from './configHelp';
import { RunFolderError } from '../core/train/runFolder';
import { CheckpointError } from '../core/train/checkpoint';
import { slurmCommand, slurmUsage } from './commands/slurm';
import { ClusterError } from '../core/cluster/errors';
import { DatasetError } from '../core/dataset/imageSource';
import { ImageDecodeError } from '../core/image/codec';
import { StudyError } from '../core/study/studyConfig';
import { studyCommand, studyUsage } from './commands/study';
import { doctorCommand, doctorUsage } from './commands/doctor';

/** Each command, its one-line usage and, for `wslab COMMAND --help`, optional further help. */
const COMMANDS: Record<string, { run: Command; usage: string; help?: () => string }> = {
  inspect: { run: inspectCommand, usage: inspectUsage },
  generate: { run: generateCommand, usage: generateUsage },
  merge: { run: mergeCommand, usage: mergeUsage },
  render: { run: renderCommand, usage: renderUsage },
  export: { run: exportCommand, usage: exportUsage },
  augment: { run: augmentCommand, usage: augmentUsage },
  preview: { run: previewCommand, usage: previewUsage },
  train: { run: trainCommand, usage: trainUsage, help: configHelp },
  eval: { run: evalCommand, usage: evalUsage },
  study: { run: studyCommand, usage: studyUsage },
  demo: { run: demoCommand, usage: demoUsage },
  slurm: { run: slurmCommand, usage: slurmUsage },
  doctor: { run: doctorCommand, usage: doctorUsage },
};

function usage(): string {
  return ['usage: wslab <command> [options]', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join('\n');
}

/** "unknown option --limt (did you mean --limit?)", from node's parseArgs message and the command's usage. */
function unknownOptionMessage(message: string, commandUsage: string): string {
  const option = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (!option) return message;
  const known = [...new Set(commandUsage.match(/--[a-z][a-z0-9-]*/g) ?? [])];
  const close = closestName(option, known, 2);
  return `unknown option ${option}${close ? ` (did you mean ${close}?)` : ''}`;
}

export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [first, ...afterFirst] = argv;
  // `wslab help COMMAND` is `wslab COMMAND --help`.
  const [name, ...rest] = first === 'help' && afterFirst[0] !== undefined ? [afterFirst[0], '--help'] : [first, ...afterFirst];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`wslab: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${command.usage}${command.help ? `\n\n${command.help()}` : ''}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isWeightFileError(e)) {
      io.stderr(`wslab: error [${e.code}] ${e.message}`);
      return 1;
    }
    if (e instanceof NotAnMlpError) {
      io.stderr(`wslab: error [not-mlp] ${e.message}`);
      return 1;
    }
    if (e instanceof DatasetError || e instanceof ImageDecodeError || e instanceof ConfigError || e instanceof RunFolderError || e instanceof CheckpointError || e instanceof ClusterError || e instanceof StudyError) {
      io.stderr(`wslab: error ${e.message}`);
      return 1;
    }
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.stderr(`wslab ${name}: ${unknownOptionMessage((e as Error).message, command.usage)}\nusage: ${command.usage}`);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`wslab: ${(e as Error).message}`);
      return 2;
    }
    io.stderr(`wslab: internal error: ${(e as Error).stack ?? String(e)}`);
    return 3;
  }
}

if (require.main === module) {
  // `wslab inspect FILE | head`: the reader closed the pipe; stop quietly, as a Unix tool does.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  const io: CommandIO = {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
