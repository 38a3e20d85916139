import { getCarrierClient, setCarrierClient } from '../core/carrier';
import { debugLogger } from '../core/internal/debug-logger';
import { setUpIntegrations, warnInitAgain } from '../core/sdk/set-up-integrations';
import { resolveFrontOptions, type IsometerOptions } from '../core/sdk/options';
import type { BrowserClient } from './browser-client';
import { FrontClient } from './front-client';
import { keepEarlyCallsWhenHidden } from './keep-early-calls';

/** The engine module as the front loads it: a chunk of the app's bundle, or the script tag's companion file. */
export interface EngineModule {
  startEngine(front: FrontClient): void;
}

/**
 * The browser `init` without its engine: validates the options tracing needs and keeps the rest
 * for the engine (`completeOptions`), puts a `FrontClient` on
 * the carrier (metrics calls are kept from now on), sets integrations up against it (fetch/XHR
 * tracing decides and propagates synchronously), and starts loading the engine right away.
 * Idempotent while a client is active; never throws (a bad `init` returns a closed front).
 */
export function startFront(options: IsometerOptions | undefined, loadEngine: () => Promise<EngineModule>): BrowserClient {
  try {
    // The carrier holds a `Client` or a `FrontClient`, and both are `BrowserClient`s.
    const existing = getCarrierClient() as BrowserClient | undefined;
    if (existing?.isActive) {
      warnInitAgain();
      return existing;
    }
    const resolved = resolveFrontOptions(options);
    if (resolved === undefined) return closedFront();
    const front = new FrontClient(resolved, options);
    setCarrierClient(front);
    keepEarlyCallsWhenHidden(front);
    setUpIntegrations(front, resolved.integrations);
    loadEngine().then(
      (engine) => engine.startEngine(front),
      (error: unknown) => {
        debugLogger.warnOnce(
          'init:engine',
          process.env.NODE_ENV !== 'production' && `isometer could not load its engine (${String(error)}); metrics are kept until the page is hidden, then stored for the next load.`,
        );
        front.arrived(undefined);
      },
    );
    return front;
  } catch (error) {
    debugLogger.internalError('init', error);
    return closedFront();
  }
}

/** What a failed `init` returns: a front that keeps, sends and schedules nothing. */
function closedFront(): FrontClient {
  const front = new FrontClient(resolveFrontOptions({})!, undefined);
  void front.close();
  front.arrived(undefined);
  return front;
}
