#!/usr/bin/env node
/**
 * `wslab`: the Weight Space Lab engine on the command line, for scripts and clusters. Exit codes:
 * 0 success, 1 a LabError: something about the input to fix (printed as `wslab: error [code] FILE: problem`),
 * 2 bad usage, 3 an unexpected internal error (a bug: printed with its stack).
 */
import { LabError } from '../core/labError';
import { closestName } from '../core/text/editDistance';
import { UsageError, type Command, type CommandIO } from './command';
import { INSPECT_OPTIONS, inspectCommand, inspectUsage } from './commands/inspect';
import { GENERATE_OPTIONS, generateCommand, generateUsage } from './commands/generate';
import { EXPORT_OPTIONS, exportCommand, exportUsage, mergeCommand, mergeUsage } from './commands/dataset';
import { RENDER_OPTIONS, renderCommand, renderUsage } from './commands/render';
import { AUGMENT_OPTIONS, augmentCommand, augmentUsage } from './commands/augment';
import { PREVIEW_OPTIONS, previewCommand, previewUsage } from './commands/preview';
import { TRAIN_OPTIONS, trainCommand, trainUsage } from './commands/train';
import { EVAL_OPTIONS, evalCommand, evalUsage } from './commands/eval';
import { DEMO_OPTIONS, demoCommand, demoUsage } from './commands/demo';
import { configHelp } from './configHelp';
import { SLURM_SUBCOMMANDS, slurmCommand, slurmUsage } from './commands/slurm';
import { STUDY_OPTIONS, studyCommand, studyUsage } from './commands/study';
import { DOCTOR_OPTIONS, doctorCommand, doctorUsage } from './commands/doctor';
import { commandHelp, type CliOptions } from './optionHelp';

interface CommandEntry {
  readonly run: Command;
  readonly usage: string;
  /** Its options, as parsed: `wslab COMMAND --help` lists each with its default. */
  readonly options?: CliOptions;
  /** Further help after the options. */
  readonly more?: () => string;
  /** `wslab slurm SUBCOMMAND --help` shows the subcommand's own usage and options. */
  readonly subcommands?: Readonly<Record<string, { readonly usage: string; readonly options: CliOptions }>>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  inspect: { run: inspectCommand, usage: inspectUsage, options: INSPECT_OPTIONS },
  generate: { run: generateCommand, usage: generateUsage, options: GENERATE_OPTIONS },
  merge: { run: mergeCommand, usage: mergeUsage },
  render: { run: renderCommand, usage: renderUsage, options: RENDER_OPTIONS },
  export: { run: exportCommand, usage: exportUsage, options: EXPORT_OPTIONS },
  augment: { run: augmentCommand, usage: augmentUsage, options: AUGMENT_OPTIONS },
  preview: { run: previewCommand, usage: previewUsage, options: PREVIEW_OPTIONS },
  train: { run: trainCommand, usage: trainUsage, options: TRAIN_OPTIONS, more: configHelp },
  eval: { run: evalCommand, usage: evalUsage, options: EVAL_OPTIONS },
  study: { run: studyCommand, usage: studyUsage, options: STUDY_OPTIONS },
  demo: { run: demoCommand, usage: demoUsage, options: DEMO_OPTIONS },
  slurm: { run: slurmCommand, usage: slurmUsage, subcommands: SLURM_SUBCOMMANDS },
  doctor: { run: doctorCommand, usage: doctorUsage, options: DOCTOR_OPTIONS },
};

function usage(): string {
  return [
    'usage: wslab <command> [options]   (wslab help COMMAND lists its options)',
    '',
    'commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
  ].join('\n');
}

/** What a command line addresses: `wslab slurm sweep …` the subcommand, else the command itself. */
function addressed(command: CommandEntry, rest: readonly string[]): { readonly usage: string; readonly options?: CliOptions; readonly more?: () => string } {
  return (rest[0] === undefined ? undefined : command.subcommands?.[rest[0]]) ?? command;
}

/** "unknown option --limt (did you mean --limit?)", from node's parseArgs message and the options known. */
function unknownOptionMessage(message: string, known: readonly string[]): string {
  const option = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (!option) return message;
  const close = closestName(option, known, 2);
  return `unknown option ${option}${close ? ` (did you mean ${close}?)` : ''}`;
}

export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [first, ...afterFirst] = argv;
  // `wslab help COMMAND [SUBCOMMAND]` is `wslab COMMAND [SUBCOMMAND] --help`.
  const [name, ...rest] = first === 'help' && afterFirst[0] !== undefined ? [...afterFirst, '--help'] : [first, ...afterFirst];
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
    const { usage, options, more } = addressed(command, rest);
    io.stdout(commandHelp(usage, options, more?.()));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Anything the user can fix (a bad file, config, dataset, path, cluster answer …) is a LabError.
    if (e instanceof LabError) {
      io.stderr(`wslab: error [${e.code}] ${e.message}`);
      return 1;
    }
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const { usage, options } = addressed(command, rest);
      io.stderr(
        `wslab ${name}: ${unknownOptionMessage(
          (e as Error).message,
          Object.keys(options ?? {}).map((o) => `--${o}`),
        )}\nusage: ${usage}`,
      );
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
  const io: CommandIO = { stdout: (text) => process.stdout.write(`${text}\n`), stderr: (text) => process.stderr.write(`${text}\n`) };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
