import type { Client } from '../core/sdk/client';
import { debugLogger } from '../core/internal/debug-logger';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const SIGNAL_EXIT_TIMEOUT_MS = 2000;

/**
 * Flushes before the process ends: on `beforeExit`, and on SIGTERM/SIGINT. When the app has its
 * own handler for a signal, isometer only flushes and leaves exiting to it; when it has none,
 * isometer flushes (at most 2 s) and then ends the process the way the signal would have.
 */
export function installProcessFlush(client: Client): void {
  const onBeforeExit = (): void => void client.flush();
  const onSignal = (signal: NodeJS.Signals): void => {
    // The app's own handler decides when to exit and may still record during its shutdown, so
    // isometer only flushes then; its own `close()` drains the rest.
    if (process.listenerCount(signal) > 1) {
      void client.flush(SIGNAL_EXIT_TIMEOUT_MS);
      return;
    }
    void client.close(SIGNAL_EXIT_TIMEOUT_MS).finally(() => {
      process.removeListener(signal, onSignal);
      // Re-raise so the exit code and the parent's view are those of the signal (128 + n).
      process.kill(process.pid, signal);
    });
  };
  try {
    process.on('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.on(signal, onSignal);
    client.onClose(() => {
      process.removeListener('beforeExit', onBeforeExit);
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    });
  } catch (error) {
    debugLogger.internalError('node: installing exit flush', error);
  }
}
