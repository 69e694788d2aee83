/**
 * The augmentation syntax of the CLI and configs: `name[:key=value,…][+name…]`, e.g.
 *   translate:scale=0.1+siren-negation+mixup-aligned:min=0.4,max=0.6
 * Steps are separated by a `+` that does not start a number (so `scale=1e+3` stays one value). Errors
 * name the offending token.
 */
import type { AugmentStep } from './chain';
import { AugmentError } from './params';
import { AUGMENTATIONS, findAugmentation } from './registry';
import { closestName } from '../text/editDistance';

function unknownName(name: string): AugmentError {
  const names = AUGMENTATIONS.map((a) => a.name);
  const closest = closestName(name, names, 3);
  const hint = closest ? ` (did you mean "${closest}"?)` : '';
  return new AugmentError(`unknown augmentation "${name}"${hint}; known: ${names.join(', ')}`);
}

function parseStep(token: string, position: number): AugmentStep {
  if (token.trim() === '') throw new AugmentError(`augmentation ${position} is empty (steps are joined by a single "+")`);
  const colon = token.indexOf(':');
  const name = (colon < 0 ? token : token.slice(0, colon)).trim();
  const augmentation = findAugmentation(name);
  if (!augmentation) throw unknownName(name);
  const given: Record<string, number> = {};
  if (colon >= 0) {
    for (const pair of token.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new AugmentError(`"${pair}" in "${token}" is not key=value`);
      const key = pair.slice(0, eq).trim();
      const text = pair.slice(eq + 1).trim();
      if (Object.prototype.hasOwnProperty.call(given, key)) throw new AugmentError(`${name}:${key} is given twice in "${token}"`);
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) throw new AugmentError(`${name}:${key}: "${text}" is not a number`);
      given[key] = value;
    }
  }
  return { augmentation, params: augmentation.resolve(given) };
}

export function parseAugmentations(text: string): AugmentStep[] {
  if (text.trim() === '') throw new AugmentError('no augmentation given (e.g. translate or rotate:degrees=15+siren-negation)');
  return text.split(/\+(?![\d.])/).map((token, i) => parseStep(token, i + 1));
}

/** The canonical text of a chain, every parameter spelled out: parseAugmentations(format(s)) gives s again. */
export function formatAugmentations(steps: readonly AugmentStep[]): string {
  return steps
    .map(({ augmentation, params }) => {
      const pairs = augmentation.params.map((p) => `${p.name}=${params[p.name]}`);
      return pairs.length > 0 ? `${augmentation.name}:${pairs.join(',')}` : augmentation.name;
    })
    .join('+');
}
