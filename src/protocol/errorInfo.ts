/** An error as a panel gets it, the same for every panel: made by the host with core's toErrorInfo. */
export type { ErrorCode, ErrorInfo } from '../core/labError';
