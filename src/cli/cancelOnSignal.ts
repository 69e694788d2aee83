/**
 * Ctrl-C (SIGINT) and SIGTERM cancel a long CLI job through an AbortSignal, so it stops at its next
 * check and keeps what it finished; `dispose` removes the handlers when the job is over.
 */
export interface SignalCancellation {
  readonly controller: AbortController;
  dispose(): void;
}

export function cancelOnSignal(): SignalCancellation {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    controller,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
