/**
 * The background worker process: runs long jobs (INR generation, training) for the extension host,
 * talking the typed messages of src/protocol over IPC. Jobs arrive with later issues; for now it
 * answers a ping so the host ↔ worker channel exists end to end.
 */
process.on('message', (message: unknown) => {
  if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ping') {
    process.send?.({ type: 'pong' });
  }
});
