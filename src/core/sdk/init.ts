import { Client } from './client';
import type { ContextManager } from '../internal/context';
import { getContextManager, retireClient, setCarrierClient, setContextManager, setRuntimeTransportFactory } from '../carrier';
import { attachTracingBridge } from '../sentry/attach-tracing-bridge';
import { getClient } from './get-client';
import type { HttpTransport } from '../export/http/http-transport';
import { debugLogger } from '../internal/debug-logger';
import type { Exporter } from '../export/exporter';
import { resolveOptions, type IsometerOptions, type ResolvedOptions } from './options';
import { setUpIntegrations, warnInitAgain } from './set-up-integrations';

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
      warnInitAgain();
      return existing;
    }
    const resolved = resolveOptions(options);
    if (resolved === undefined) return createDisabledClient();
    const client = buildClient(resolved, options, runtime);
    setCarrierClient(client);
    // From here on the client is live: a failing extra (the runtime's listeners, a log line) is
    // reported but must not leave it orphaned on the carrier while init returns a disabled one.
    try {
      setUpClient(client, runtime);
      setUpIntegrations(client, resolved.integrations);
      reportExporters(client);
    } catch (error) {
      debugLogger.internalError('init: runtime setup', error);
    }
    return client;
  } catch (error) {
    debugLogger.internalError('init', error);
    return createDisabledClient();
  }
}

/**
 * The client for validated options, with the runtime's environment, context manager, transport
 * and default exporters applied; it leaves the carrier when it closes. It is not put on the
 * carrier here: `init` does that at once, a browser page once its engine chunk has loaded.
 */
export function buildClient(resolved: ResolvedOptions, given: IsometerOptions | undefined, runtime: RuntimeSetup): Client {
  runtime.applyEnvironment?.(resolved, given);
  if (runtime.contextManager) setContextManager(runtime.contextManager);
  if (runtime.createHttpTransport) setRuntimeTransportFactory(runtime.createHttpTransport);
  if (runtime.defaultExporters) resolved.exporters.push(...runtime.defaultExporters(resolved));
  const client = new Client(resolved, getContextManager());
  client.onClose(() => retireClient(client));
  return client;
}

/** Hands tracing to Sentry when asked, and runs the runtime's setup (listeners, patches). */
export function setUpClient(client: Client, runtime: RuntimeSetup): void {
  if (client.options.sentry !== undefined) attachTracingBridge(client, client.options.sentry);
  runtime.setup?.(client);
}

/** Says once when nothing will leave, and (with `debug`) which exporters are on. */
export function reportExporters(client: Client): void {
  if (client.options.exporters.length === 0)
    debugLogger.warnOnce('init:no-exporters', 'init(): no exporter is configured (no dsn, no exporters, no environment variables); metrics are aggregated and then discarded.');
  debugLogger.log(`initialised with exporters: ${client.exporterNames().join(', ') || 'none'}`);
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
