import type { Client } from '../core/sdk/client';
import { debugLogger } from '../core/internal/debug-logger';
import { instrumentFetch } from './fetch-instrumentation';
import { instrumentHttpClient } from './http-client-instrumentation';
import { instrumentHttpServer } from './http-server-instrumentation';

// One installation per process, whichever copy of isometer (ESM or CJS) made it.
const INSTALLED = Symbol.for('isometer.node-tracing');
const globalState = globalThis as { [INSTALLED]?: Client };

/**
 * Installs Node's trace propagation for `client`: incoming `node:http`/`node:https` requests
 * continue their caller's trace, and outgoing `fetch`, `http.request`/`get` and
 * `https.request`/`get` carry it on. Everything is undone when the client closes. Idempotent:
 * while one client's installation is in place, further calls do nothing. Never throws.
 *
 * @example
 * // `init` from isometer/node calls it; a custom runtime setup can too:
 * initWithRuntime(options, { contextManager: createAsyncContextManager(), setup: installTracing });
 */
export function installTracing(client: Client): void {
  try {
    if (globalState[INSTALLED] !== undefined || !client.isActive) return;
    const undos = [instrumentHttpServer(), instrumentHttpClient(), instrumentFetch()];
    globalState[INSTALLED] = client;
    client.onClose(() => {
      for (const undo of undos) {
        try {
          undo();
        } catch (error) {
          debugLogger.internalError('node: removing trace propagation', error);
        }
      }
      if (globalState[INSTALLED] === client) globalState[INSTALLED] = undefined;
    });
  } catch (error) {
    debugLogger.internalError('node: installing trace propagation', error);
  }
}
