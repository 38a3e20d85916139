import { Client } from './client';
import type { ContextManager } from '../internal/context';
import { getContextManager, setCarrierClient, setContextManager, setRuntimeTransportFactory } from '../carrier';
import { attachTracingBridge } from '../sentry/attach-tracing-bridge';
import { getClient } from './get-client';
import type { HttpTransport } from '../export/http/http-transport';
import { debugLogger } from '../internal/debug-logger';
import type { Exporter } from '../export/exporter';
import { resolveOptions, type IsometerOptions, type ResolvedOptions } from './options';
import { errorMessage } from '../internal/error-message';

/** What a runtime entry (browser, node) plugs into `init`. */
export interface RuntimeSetup {
  /** How the active context is kept; default: a synchronous stack. */
  contextManager?: ContextManager;
  /** Fills what the options left unset from the runtime's environment (an option always wins). */
  applyEnvironment?(resolved: ResolvedOptions, given: IsometerOptions | undefined): void;
  /** Exporters the runtime adds from its environment (a DSN, environment variables). */
  defaultExporters?(options: ResolvedOptions): Exporter[];
  /** The runtime's HTTP transport, for exporters that were not given one. */
  createHttpTransport?: () => HttpTransport;
  /** Installs listeners and patches; called once with the new client (use `client.onClose` to undo). */
  setup?(client: Client): void;
}

/**
 * Builds the client for a runtime. Idempotent: while a client is active, it is returned as is
 * (call `close()` first to start over). Bad options give a disabled client, never a throw.
 */
export function initWithRuntime(options: IsometerOptions | undefined, runtime: RuntimeSetup): Client {
  try {
    const existing = getClient();
    if (existing?.isActive) {
      debugLogger.warnOnce('init:again', 'init() was called again; the first configuration stays. Call close() first to start over.');
      return existing;
    }
    const resolved = resolveOptions(options);
    if (resolved === undefined) return createDisabledClient();
    runtime.applyEnvironment?.(resolved, options);
    if (runtime.contextManager) setContextManager(runtime.contextManager);
    if (runtime.createHttpTransport) setRuntimeTransportFactory(runtime.createHttpTransport);
    if (runtime.defaultExporters) resolved.exporters.push(...runtime.defaultExporters(resolved));
    const client = new Client(resolved, getContextManager());
    setCarrierClient(client);
    client.onClose(() => {
      if (getClient() === client) setCarrierClient(undefined);
    });
    // From here on the client is live: a failing extra (the runtime's listeners, a log line) is
    // reported but must not leave it orphaned on the carrier while init returns a disabled one.
    try {
      if (resolved.sentry !== undefined) attachTracingBridge(client, resolved.sentry);
      runtime.setup?.(client);
      for (const integration of resolved.integrations) {
        try {
          integration.setup(client);
        } catch (error) {
          debugLogger.warnOnce(`integration:${integration.name}`, `integration "${integration.name}" failed to set up (${errorMessage(error)}); it was skipped.`);
        }
      }
      if (resolved.exporters.length === 0)
        debugLogger.warnOnce('init:no-exporters', 'init(): no exporter is configured (no dsn, no exporters, no environment variables); metrics are aggregated and then discarded.');
      debugLogger.log(`initialised with exporters: ${client.exporterNames().join(', ') || 'none'}`);
    } catch (error) {
      debugLogger.internalError('init: runtime setup', error);
    }
    return client;
  } catch (error) {
    debugLogger.internalError('init', error);
    return createDisabledClient();
  }
}

/** What a failed `init` returns: a client that records, sends and schedules nothing. */
function createDisabledClient(): Client {
  const client = new Client({ ...resolveOptions({})!, flushIntervalMs: 0 }, getContextManager());
  void client.close();
  return client;
}

/**
 * Starts isometer with the runtime-neutral defaults (no listeners, no environment): for workers
 * and other hosts. Browsers and Node use `isometer/browser` and `isometer/node`.
 *
 * @example
 * init({ exporters: [consoleExporter()], flushIntervalMs: 5000 });
 */
export function init(options?: IsometerOptions): Client {
  return initWithRuntime(options, {});
}
