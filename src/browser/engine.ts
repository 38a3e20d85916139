import { getAmbientPropagation, getCarrierClient, setCarrierClient } from '../core/carrier';
import { debugLogger } from '../core/internal/debug-logger';
import type { DropReason } from '../core/internal/drop-counter';
import type { Client } from '../core/sdk/client';
import { buildClient, reportExporters, setUpClient, type RuntimeSetup } from '../core/sdk/init';
import { completeOptions } from '../core/sdk/options';
import { finishHttpClientRequest } from '../core/trace/http-client-request';
import { settleTraceState } from '../core/trace/incoming';
import { wantsSentry } from '../core/sentry/detect-sentry';
import type { FrontClient } from './front-client';
import { attachSentryLazily, lazySentryExporter } from './lazy-sentry';
import { installLifecycleFlush } from './lifecycle-flush';
import { createPageTransport } from './page-transport';
import { replayEarlyCalls } from './replay-early-calls';
import { takeKeptEarlyCalls, takeKeptEarlySpans } from './take-kept-early-calls';

/** What the browser plugs into the core client: the page transport, Sentry when asked, page-lifecycle flushing. */
const BROWSER_RUNTIME: RuntimeSetup = {
  createHttpTransport: createPageTransport,
  defaultExporters(resolved) {
    if (!wantsSentry(resolved) || resolved.exporters.some((exporter) => exporter.name === 'sentry')) return [];
    return [lazySentryExporter(resolved.sentry)];
  },
  setup(client) {
    installLifecycleFlush(client);
    if (wantsSentry(client.options)) attachSentryLazily(client);
  },
};

/**
 * isometer's engine in a page, loaded in its own chunk right after `init` (see browser/init.ts):
 * validates the options the front left (`completeOptions`), builds the real client from them, replays into its aggregator the calls
 * kept in storage by pages hidden before their engine loaded, then the front's own, in the order
 * they were made, and hands the front's place over to it. Never throws.
 */
export function startEngine(front: FrontClient): void {
  try {
    const closedEarly = front.closed;
    // This file is a bundle of its own, with its own copy of the logger.
    debugLogger.setVerbose(front.options.debug);
    const client = buildClient(completeOptions(front.options, (front.given ?? {}) as Record<string, unknown>), front.given, BROWSER_RUNTIME);
    // The client brought the tracestate codec: the page's trace reads what its meta tags carried.
    settleTraceState(getAmbientPropagation());
    // Requests that ended meanwhile are recorded now (into the front's recorder, replayed next) at the times they ended.
    front.finishRequest = finishHttpClientRequest;
    for (const [request, statusCode, error, endClock] of front.endedRequests.splice(0)) finishHttpClientRequest(request, statusCode, error, endClock);
    replayEarlyCalls(takeKeptEarlyCalls(), client.aggregator);
    replayEarlyCalls(front.aggregator.take(), client.aggregator);
    for (const span of takeKeptEarlySpans()) client.recordSpan(span);
    handOver(front, client);
    // A front closed meanwhile only needs its calls flushed: its close() closes the client next.
    if (closedEarly) return;
    setUpClient(client, BROWSER_RUNTIME);
    reportExporters(client);
    // Hidden before the engine arrived: the page-hide flush it missed happens now.
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') void client.flush();
  } catch (error) {
    debugLogger.internalError('init: starting the engine', error);
    front.arrived(undefined);
  }
}

/**
 * The real client takes over what the front kept — its drops, cleanups and ended spans (the calls
 * were replayed just before) — and the front's place on the carrier, unless the front was closed
 * or replaced meanwhile; `flush`/`close` calls waiting for the engine go on with it.
 */
function handOver(front: FrontClient, client: Client): void {
  const counts = front.drops.snapshot();
  for (const reason in counts) client.drops.record(reason as DropReason, counts[reason as DropReason]);
  for (const cleanup of front.cleanups.splice(0)) client.onClose(cleanup);
  const spans = front.spans;
  front.spans = [];
  front.engine = client;
  if (!front.closed && getCarrierClient() === front) setCarrierClient(client);
  for (const span of spans) client.onSpanEnd(span);
  front.arrived(client);
}
