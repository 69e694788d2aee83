/**
 * The text field.
 * A @vscode-elements/elements web component, which themes itself from VS Code's CSS variables (its styles
 * are adoptedStyleSheets, allowed by the webview's CSP). One file per component, so a panel bundles only
 * the components it uses; the class name stays on each element so selectors keep meaning.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { el } from '../dom';

export type { VscodeTextfield };

/** A vscode-textfield; `onInput` gets the text after every keystroke. */
export function textField(
  className: string,
  type: 'text' | 'search',
  placeholder: string,
  ariaLabel: string,
  value: string,
  onInput: (value: string) => void,
): VscodeTextfield {
  const field = el('vscode-textfield', className);
  field.type = type;
  field.placeholder = placeholder;
  field.label = ariaLabel; // the inner input's aria-label
  field.value = value;
  field.addEventListener('input', () => onInput(field.value));
  return field;
}
