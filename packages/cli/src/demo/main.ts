/**
 * `pnpm demo`: runs {@link runDemo} and exits with 0 when the action
 * succeeded. Ctrl-C stops it cleanly (workers, DynamoDB Local, servers).
 */
import { runDemo } from './run-demo.js';

const controller = new AbortController();
const onSignal = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted'));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// No top-level await: the module also builds as CommonJS.
void runDemo({ signal: controller.signal })
  .then(
    ({ action }) => {
      process.exitCode = action.status === 'Succeeded' ? 0 : 1;
    },
    (err: unknown) => {
      process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = controller.signal.aborted ? 130 : 1;
    },
  )
  .finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    setTimeout(() => process.exit(), 2000).unref();
  });
