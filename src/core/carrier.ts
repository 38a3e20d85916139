import { createStackContextManager, type ContextManager } from './internal/context';
import { debugLogger } from './internal/debug-logger';
import { DropCounter } from './export/drop-counter';
import type { Client } from './sdk/client';
import type { MetricsAggregator } from './metrics/aggregator';
import type { PropagationContext } from './trace/propagation-context';
import type { HttpTransport } from './export/http/http-transport';
import { bridgeAwareContextManager } from './sentry/tracing-bridge';

/**
 * The state every copy of isometer in one runtime shares (an ESM and a CJS copy in Node, a
 * script tag and a bundle in a page), kept on `globalThis` the way Sentry keeps its carrier.
 */
interface Carrier {
  client: Client | undefined;
  /** The last client that closed: its drops (counted during and after its close) stay readable. */
  closedClient?: Client;
  contextManager: ContextManager;
  /** The trace used when nothing else is active: the page's in a browser, the process's in Node. */
  ambientPropagation?: PropagationContext;
  /** The runtime's HTTP transport (set by the browser and Node entries' `init`), for exporters not given one. */
  createHttpTransport?: () => HttpTransport;
}

const CARRIER_KEY = '__ISOMETER__';
const globalObject = globalThis as unknown as Record<string, Carrier | undefined>;
const carrier: Carrier = (globalObject[CARRIER_KEY] ??= { client: undefined, contextManager: bridgeAwareContextManager(createStackContextManager()) });

/** What a call made before `init`, after a failed `init` or after `close()` reaches. */
const notInitializedDrops = new DropCounter();
function notInitialized(): void {
  notInitializedDrops.record('not_initialized');
  debugLogger.warnOnce('not-initialized', 'a metric was recorded before init() (or after close()); it was ignored. Call init() first.');
}

/** Shared no-op aggregator: every recording call is accepted and ignored. */
export const NOOP_AGGREGATOR = {
  epoch: -1,
  count: notInitialized,
  gauge: notInitialized,
  distribution: notInitialized,
  boundCounterAdd: (): undefined => {
    notInitialized();
    return undefined;
  },
} as unknown as MetricsAggregator;

/** The active client, or undefined before `init` and after `close()`. */
export function getClient(): Client | undefined {
  return carrier.client;
}

/** The aggregator metrics calls go to: the client's, or the no-op one. */
export function getAggregator(): MetricsAggregator {
  const client = carrier.client;
  return client === undefined ? NOOP_AGGREGATOR : client.aggregator;
}

export function setClient(client: Client | undefined): void {
  carrier.client = client;
}

/** The client `getDroppedCounts()` reads: the active one, else the last one that closed. */
export function getReportingClient(): Client | undefined {
  return carrier.client ?? carrier.closedClient;
}

/** Called as a client closes: it leaves the carrier but stays the one drops are read from. */
export function retireClient(client: Client): void {
  if (carrier.client === client) carrier.client = undefined;
  carrier.closedClient = client;
}

/** The context manager in use: the runtime's once `init` set it, else a synchronous stack. */
export function getContextManager(): ContextManager {
  return carrier.contextManager;
}

export function setContextManager(manager: ContextManager): void {
  carrier.contextManager = manager;
}

/** Points recorded while no client was active. */
export function getNotInitializedDrops(): number {
  return notInitializedDrops.total();
}

/** The trace used when no span or continued trace is active. */
export function getAmbientPropagation(): PropagationContext | undefined {
  return carrier.ambientPropagation;
}

export function setAmbientPropagation(context: PropagationContext | undefined): void {
  carrier.ambientPropagation = context;
}

/** The runtime's HTTP transport factory, once a runtime entry's `init` set it. */
export function getRuntimeTransportFactory(): (() => HttpTransport) | undefined {
  return carrier.createHttpTransport;
}

export function setRuntimeTransportFactory(factory: (() => HttpTransport) | undefined): void {
  carrier.createHttpTransport = factory;
}
