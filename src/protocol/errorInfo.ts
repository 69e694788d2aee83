/** An error as a panel gets it, the same for every panel: made by the host with core's toErrorInfo. */
export type { ErrorCode, ErrorInfo } from '../core/labError';
/** Any caught value as an ErrorInfo (a RemoteError keeps the other side's code). */
export { toErrorInfo } from '../core/labError';
