/**
 * The drop-down list.
 * A @vscode-elements/elements web component, which themes itself from VS Code's CSS variables (its styles
 * are adoptedStyleSheets, allowed by the webview's CSP). One file per component, so a panel bundles only
 * the components it uses; the class name stays on each element so selectors keep meaning.
 */
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { el } from '../dom';

export type { VscodeSingleSelect };

/** A vscode-single-select of `options` ([value, label]) showing `value`; `onChange` gets the chosen value. */
export function singleSelect(
  className: string,
  ariaLabel: string,
  options: readonly (readonly [string, string])[],
  value: string,
  onChange: (value: string) => void,
): VscodeSingleSelect {
  const select = el('vscode-single-select', className);
  select.label = ariaLabel; // the inner control's aria-label
  for (const [optionValue, label] of options) {
    const option = el('vscode-option', undefined, label);
    option.value = optionValue;
    option.selected = optionValue === value;
    select.append(option);
  }
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  return select;
}
