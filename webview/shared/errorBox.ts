/** The error box every panel shows for a failed request: the ErrorInfo the host sent, and a retry button. */
import type { ErrorInfo } from '../../src/protocol/errorInfo';
import { actionButton } from './controls/button';
import { baseName, el } from './dom';

/**
 * The error box: `.error-box[role=alert]` with the title (`title` + the file's base name, its full path as
 * the tooltip), `.error-code code` and `.error-message`; `retry` adds a "Try again" button (a vscode-button `.retry`).
 */
export function errorBox(error: ErrorInfo, title: string, retry?: () => void): HTMLElement {
  const box = el('div', 'error-box');
  box.setAttribute('role', 'alert');
  const heading = el('h1', 'error-title', title);
  if (error.file) {
    const name = el('span', 'file-name', ` ${baseName(error.file)}`);
    name.title = error.file;
    heading.append(name);
  }
  const code = el('p', 'error-code');
  code.append('Error code: ', el('code', undefined, error.code));
  box.append(heading, code, el('p', 'error-message', error.message));
  if (retry) {
    box.append(
      actionButton('retry', 'Try again', (button) => {
        button.disabled = true;
        retry();
      }),
    );
  }
  return box;
}
