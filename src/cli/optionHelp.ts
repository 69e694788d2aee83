/**
 * A command's options, declared once: what node's parseArgs needs to parse them, plus what `--help`
 * says about each (its value, what it does, its default), so the help cannot drift from what is parsed.
 */

export interface CliOption {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly default?: string | boolean | string[];
  /** The value's placeholder in the help (FILE, N, …); string options only. */
  readonly value?: string;
  readonly help: string;
  /** The default in words where it is not a fixed value ("one per core"). */
  readonly defaultText?: string;
  /** The command cannot run without it. */
  readonly required?: boolean;
}

export type CliOptions = Readonly<Record<string, CliOption>>;

function defaultOf(option: CliOption): string | undefined {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.type === 'boolean' || option.default === undefined) return undefined;
  return Array.isArray(option.default) ? (option.default.length ? option.default.join(' ') : undefined) : String(option.default);
}

/** Option names longer than this put their text on the next line. */
const HEAD_WIDTH = 24;

/** One line per option: `--name VALUE   what it does (default: …)`, required and repeatable ones marked. */
export function optionsHelp(options: CliOptions): string {
  const rows = Object.entries(options).map(([name, option]) => {
    const head = `--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
    const shown = defaultOf(option);
    const notes = [
      option.required ? 'required' : undefined,
      option.multiple ? 'repeatable' : undefined,
      shown === undefined ? undefined : `default: ${shown}`,
    ].filter(Boolean);
    return { head, text: `${option.help}${notes.length ? ` (${notes.join('; ')})` : ''}` };
  });
  const width = Math.min(HEAD_WIDTH, Math.max(...rows.map((r) => r.head.length))) + 2;
  return rows.map((r) => (r.head.length <= HEAD_WIDTH ? `  ${r.head.padEnd(width)}${r.text}` : `  ${r.head}\n  ${' '.repeat(width)}${r.text}`)).join('\n');
}

/** `wslab COMMAND --help`: the usage, then every option. */
export function commandHelp(usage: string, options: CliOptions | undefined, more?: string): string {
  const parts = [`usage: ${usage}`];
  if (options && Object.keys(options).length) parts.push(`options:\n${optionsHelp(options)}`);
  if (more) parts.push(more);
  return parts.join('\n\n');
}
