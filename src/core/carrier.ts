import { createStackContextManager, type ActiveContext, type ContextManager, type TraceLink } from './internal/context';
import { debugLogger } from './internal/debug-logger';
import { DropCounter } from './internal/drop-counter';
import type { PropagationContext, TraceStateCodec } from './internal/propagation-context';
import { externalSampled, type SentryTracingLike } from './internal/tracing-bridge';

/**
 * The one place isometer keeps state that every copy of it in a runtime shares (an ESM and a CJS
 * copy in Node, a script tag and a bundle in a page), on `globalThis` the way Sentry keeps its
 * carrier: the active client, the recorder metrics calls reach, the tracing bridge, the ambient
 * trace, the runtime's HTTP transport and what was dropped while nothing was initialised.
 *
 * The carrier sits just above `internal/` and names no type of a higher layer: the client is held
 * as the little every layer may rely on, and each layer reads the part it needs through its own
 * accessor (`metrics` through `getRecorder`, `trace` through `getTracingClient`).
 */

/** The part of a bound counter's series that `add` updates in place. */
export interface CounterCell {
  sum: number;
  count: number;
}

/**
 * Where metrics calls go: the active client's aggregator, or the no-op recorder. `epoch` changes
 * whenever a series handed out by `boundCounterAdd` stops being the live one.
 */
export interface MetricsRecorder {
  readonly epoch: number;
  count(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined): void;
  gauge(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined): void;
  distribution(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined, where?: string): void;
  boundCounterAdd(name: unknown, value: unknown, unit: unknown, attributes: unknown): CounterCell | undefined;
}

/**
 * What the carrier knows of a client: enough to tell whether one is live, to reach its recorder,
 * and to flush or close it (a page's client may still be loading its engine, see browser/init.ts).
 */
export interface CarrierClient {
  readonly isActive: boolean;
  readonly drops: DropCounter;
  readonly aggregator: MetricsRecorder;
  flush(timeoutMs?: number): Promise<boolean>;
  close(timeoutMs?: number): Promise<boolean>;
}

interface Carrier {
  client: CarrierClient | undefined;
  /** The last client that closed: its drops (counted during and after its close) stay readable. */
  closedClient?: CarrierClient;
  contextManager: ContextManager;
  /** The Sentry SDK that owns tracing in this runtime, when the app handed tracing to it. */
  tracingBridge?: SentryTracingLike;
  /** How spans are made and traces continued while it does (trace/bridged-tracing.ts), set with it: a page's front never loads that code. */
  bridgedTracing?: unknown;
  /** The trace used when nothing else is active: the page's in a browser, the process's in Node. */
  ambientPropagation?: PropagationContext;
  /** The runtime's HTTP transport factory (set by the browser and Node entries' `init`). */
  createHttpTransport?: () => unknown;
  /** W3C tracestate and OpenTelemetry `ot` support, once loaded (a client brings it). */
  traceStateCodec?: TraceStateCodec;
  /** Points recorded while no client was active, by every copy. */
  notInitializedDrops: DropCounter;
}

const CARRIER_KEY = '__ISOMETER__';
const globalObject = globalThis as unknown as Record<string, Carrier | undefined>;
const carrier: Carrier = (globalObject[CARRIER_KEY] ??= {
  client: undefined,
  contextManager: bridgeAwareContextManager(createStackContextManager()),
  notInitializedDrops: new DropCounter(),
});
// A carrier left by an older copy may lack the fields added since.
carrier.notInitializedDrops ??= new DropCounter();

function notInitialized(): void {
  carrier.notInitializedDrops.record('not_initialized');
  debugLogger.warnOnce('not-initialized', process.env.NODE_ENV !== 'production' && 'a metric was recorded before init() (or after close()); it was ignored. Call init() first.');
}

/** What a call made before `init`, after a failed `init` or after `close()` reaches: it records nothing and counts the point. */
class NoopRecorder implements MetricsRecorder {
  readonly epoch = -1;
  count(): void {
    notInitialized();
  }
  gauge(): void {
    notInitialized();
  }
  distribution(): void {
    notInitialized();
  }
  boundCounterAdd(): undefined {
    notInitialized();
    return undefined;
  }
}

/** The shared no-op recorder. */
export const NOOP_RECORDER: MetricsRecorder = new NoopRecorder();

/** The active client as the carrier holds it, or undefined before `init` and after `close()`. */
export function getCarrierClient(): CarrierClient | undefined {
  return carrier.client;
}

export function setCarrierClient(client: CarrierClient | undefined): void {
  carrier.client = client;
}

/** The recorder metrics calls go to: the client's aggregator, or the no-op one. */
export function getRecorder(): MetricsRecorder {
  const client = carrier.client;
  return client === undefined ? NOOP_RECORDER : client.aggregator;
}

/** The client `getDroppedCounts()` reads: the active one, else the last one that closed. */
export function getReportingClient(): CarrierClient | undefined {
  return carrier.client ?? carrier.closedClient;
}

/** Called as a client closes: it leaves the carrier but stays the one drops are read from. */
export function retireClient(client: CarrierClient): void {
  if (carrier.client === client) carrier.client = undefined;
  carrier.closedClient = client;
}

/** The context manager in use: the runtime's once `init` set it, else a synchronous stack. */
export function getContextManager(): ContextManager {
  return carrier.contextManager;
}

/** Installs a runtime's context manager, made aware of the tracing bridge. */
export function setContextManager(manager: ContextManager): void {
  carrier.contextManager = bridgeAwareContextManager(manager);
}

/** Points recorded while no client was active. */
export function getNotInitializedDrops(): number {
  return carrier.notInitializedDrops.total();
}

/** The trace used when no span or continued trace is active. */
export function getAmbientPropagation(): PropagationContext | undefined {
  return carrier.ambientPropagation;
}

export function setAmbientPropagation(context: PropagationContext | undefined): void {
  carrier.ambientPropagation = context;
}

/** The runtime's HTTP transport factory, once a runtime entry's `init` set it. */
export function getRuntimeTransportFactory(): (() => unknown) | undefined {
  return carrier.createHttpTransport;
}

export function setRuntimeTransportFactory(factory: (() => unknown) | undefined): void {
  carrier.createHttpTransport = factory;
}

/** The tracestate codec, once a client (or the Node entry) brought it; see {@link TraceStateCodec}. */
export function getTraceStateCodec(): TraceStateCodec | undefined {
  return carrier.traceStateCodec;
}

export function setTraceStateCodec(codec: TraceStateCodec | undefined): void {
  carrier.traceStateCodec = codec;
}

/** Hands tracing to Sentry, with the code that makes spans and continues traces through it (or back to isometer with undefined). */
export function setTracingBridge(sentry: SentryTracingLike | undefined, bridgedTracing?: unknown): void {
  carrier.tracingBridge = sentry;
  carrier.bridgedTracing = sentry === undefined ? undefined : bridgedTracing;
}

/** What was set with the tracing bridge (typed by trace/bridged-tracing-api.ts, the layer that knows spans). */
export function getBridgedTracing(): unknown {
  return carrier.bridgedTracing;
}

export function getTracingBridge(): SentryTracingLike | undefined {
  return carrier.tracingBridge;
}

/**
 * Wraps a context manager so that, while Sentry owns tracing, a metric recorded inside one of
 * Sentry's own spans (its http.server span, say) still links to that span.
 */
function bridgeAwareContextManager(inner: ContextManager): ContextManager {
  return {
    active(): ActiveContext | undefined {
      const context = inner.active();
      const bridge = carrier.tracingBridge;
      if (bridge === undefined || context?.trace !== undefined) return context;
      const span = bridge.getActiveSpan();
      if (span === undefined) return context;
      const { traceId, spanId } = span.spanContext();
      const trace: TraceLink = { traceId, spanId, sampled: externalSampled(span) };
      return { ...context, trace };
    },
    with: (context, fn) => inner.with(context, fn),
  };
}
