/**
 * The keys of an experiment config for `wslab train --help`, from schemas/experiment.schema.json (the one
 * home of their descriptions, which VS Code also shows) and the defaults resolveConfig fills in, so the help
 * cannot drift from what is checked and trained.
 */
import schema from '../../schemas/experiment.schema.json';
import { resolveConfig } from '../core/train/experimentConfig';

interface SchemaNode {
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

const HIDDEN = new Set(['$schema', '$comment', 'description']);

/** One line per key (nested keys dotted): `key  description [values] (default: …)`. */
export function configHelp(): string {
  const defaults = resolveConfig({ dataset: '.' }, 'defaults.json') as unknown as Record<string, unknown>;
  const lines: string[] = [];
  const walk = (node: SchemaNode, prefix: string, values: Record<string, unknown> | undefined) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (HIDDEN.has(key)) continue;
      const path = `${prefix}${key}`;
      const value = values?.[key];
      if (child.properties && key !== 'augment') {
        lines.push(`  ${path}: ${child.description ?? ''}`.trimEnd());
        walk(child, `${path}.`, value as Record<string, unknown> | undefined);
        continue;
      }
      const shown = key === 'dataset' ? '(required)' : value === undefined || key === 'name' ? '' : `(default: ${JSON.stringify(value)})`;
      const choices = child.enum ? ` One of ${child.enum.map((v) => JSON.stringify(v)).join(', ')}.` : '';
      lines.push(`  ${path.padEnd(22)} ${child.description ?? ''}${choices} ${shown}`.trimEnd());
    }
  };
  walk(schema as SchemaNode, '', defaults);
  return [
    'The config (*.wslab.json, schema: schemas/experiment.schema.json) — every key but dataset is optional;',
    'the model keys default per model.kind (dwsnet shown):',
    ...lines,
  ].join('\n');
}
