import type { Client } from '../core/sdk/client';
import { debugLogger } from '../core/internal/debug-logger';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** How long a signal or a crash may wait for the final flush before the process ends. */
export const EXIT_FLUSH_TIMEOUT_MS = 2000;

type ProcessListener = ((...args: unknown[]) => void) & { _errorHandler?: boolean };

/**
 * Flushes before the process ends, without changing how or with what code it ends:
 * - `beforeExit` (the event loop ran dry): a flush, which keeps the process alive while pending;
 * - SIGTERM/SIGINT: isometer's listener is prepended, so it runs first and sees every app
 *   listener, `once` ones included (they remove themselves only when called). With an app
 *   handler, isometer only flushes and the app's handler runs on, to its own exit. With none,
 *   isometer closes (at most 2 s) and re-raises the signal, so the process ends by it as before;
 * - an uncaught exception or an unhandled rejection that would crash the process (no app
 *   `uncaughtException` listener): isometer closes (at most 2 s), then rethrows the error so Node
 *   prints its usual message and exits with its usual code (1), as Sentry's `onUncaughtException`
 *   does. When the app has its own listener, the process was not going to end: isometer stays out.
 * `process.exit()` ends Node synchronously and is not flushed: `await close()` before calling it.
 */
export function installProcessFlush(client: Client): void {
  let flushedOnExit = false;
  let exitFlushPending = false;
  const onBeforeExit = (): void => {
    // `beforeExit` fires again each time the loop runs dry; flush again only for new data, or a
    // flush's own timer would revive the loop forever.
    if (exitFlushPending || (flushedOnExit && !client.hasPendingData())) return;
    flushedOnExit = true;
    exitFlushPending = true;
    void client.flush().finally(() => (exitFlushPending = false));
  };
  const onSignal: ProcessListener = (signal): void => {
    const name = signal as NodeJS.Signals;
    if (process.listenerCount(name) > 1) {
      void client.flush(EXIT_FLUSH_TIMEOUT_MS);
      return;
    }
    void client.close(EXIT_FLUSH_TIMEOUT_MS).finally(() => {
      removeListeners();
      // Re-raised only when still unhandled, so the exit status is the signal's (128 + n).
      if (process.listenerCount(name) === 0) process.kill(process.pid, name);
    });
  };
  const onUncaught: ProcessListener = (error): void => {
    if (appCrashListeners() > 0) return;
    removeListeners();
    void client.close(EXIT_FLUSH_TIMEOUT_MS).finally(() => {
      // Thrown again from a fresh tick with no listener left: Node's own report and exit code.
      setImmediate(() => {
        throw error;
      });
    });
  };
  // Sentry's onUncaughtException counts listeners not marked this way as the app's, and would
  // then keep a crashing process alive; isometer's is a flush, not a decision.
  onUncaught._errorHandler = true;
  const removeListeners = (): void => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('uncaughtException', onUncaught);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  try {
    process.on('beforeExit', onBeforeExit);
    process.on('uncaughtException', onUncaught);
    for (const signal of SIGNALS) process.prependListener(signal, onSignal);
    client.onClose(removeListeners);
  } catch (error) {
    debugLogger.internalError('node: installing exit flush', error);
  }
}

/** `uncaughtException` listeners that keep the process alive: the app's, not isometer's or Sentry's. */
function appCrashListeners(): number {
  let count = 0;
  for (const listener of process.listeners('uncaughtException') as ProcessListener[]) {
    if (listener._errorHandler === true || listener.name === 'domainUncaughtExceptionClear') continue;
    count++;
  }
  return count;
}
