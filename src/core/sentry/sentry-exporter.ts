import { SENTRY_DEFAULT_ENVIRONMENT } from './adopt-sentry-options';
import { debugLogger } from '../internal/debug-logger';
import type { DropReason } from '../internal/drop-counter';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch } from '../export/exporter';
import { createRateLimits, type RateLimits } from '../export/http/rate-limits';
import { toSentryMetricItems, type SentryItemOptions } from './sentry-metric-items';

/** The part of a Sentry client isometer uses: Sentry's own transport does the sending. */
export interface SentryClientLike {
  sendEnvelope(envelope: unknown): PromiseLike<unknown> | unknown;
  /** Feeds Sentry's client reports (outcomes), which Sentry sends on its own schedule. */
  recordDroppedEvent?(reason: string, category: string, quantity?: number): void;
  getOptions(): { release?: string; environment?: string; tunnel?: string; dsn?: string };
  getDsn?(): unknown;
}

/** The part of the Sentry SDK module isometer uses. */
export interface SentryModuleLike {
  getClient(): SentryClientLike | undefined;
  getCurrentScope?(): { getPropagationContext?(): { traceId?: string } };
}

export interface SentryExporterOptions extends Omit<SentryItemOptions, 'fallbackTraceId' | 'release' | 'environment'> {
  /** A Sentry client to send through; default: the one the Sentry SDK has initialised. */
  client?: SentryClientLike;
}

/**
 * isometer's drop reasons as Sentry's client-report reasons (`EventDropReason`). Points that were
 * kept but altered (cleaned attributes, folded series) are not drops and are not reported.
 */
const SENTRY_OUTCOMES: Partial<Record<DropReason, string>> = {
  invalid_name: 'invalid',
  invalid_value: 'invalid',
  too_many_metrics: 'buffer_overflow',
  before_send: 'before_send',
  before_send_error: 'callback_error',
  sampled_out: 'sample_rate',
  export_error: 'send_error',
  export_timeout: 'send_error',
  queue_overflow: 'queue_overflow',
  rate_limited: 'ratelimit_backoff',
  network_error: 'network_error',
};

/**
 * What `client.sendEnvelope` resolving with `response` means for the envelope: undefined when
 * Sentry accepted it (2xx), else the drop reason. `@sentry/core` resolves `{}` with no status when
 * its transport did not send (rate-limited category, full buffer, network error, disabled client);
 * a client that resolves with no object at all is taken at its word.
 */
function undeliveredReason(response: unknown, rateLimits: RateLimits): DropReason | undefined {
  // A client that says nothing (not Sentry's own) cannot be judged: taken as sent.
  if (typeof response !== 'object' || response === null) return undefined;
  const { statusCode: status, headers } = response as { statusCode?: unknown; headers?: Record<string, string | null> };
  if (typeof status !== 'number') return rateLimits.remainingMs(TRACE_METRIC) > 0 ? 'rate_limited' : 'network_error';
  rateLimits.update({ status, headers: typeof headers === 'object' && headers !== null ? headers : {} }, TRACE_METRIC);
  if (status >= 200 && status < 300) return undefined;
  return status === 429 ? 'rate_limited' : 'export_error';
}

const TRACE_METRIC = 'trace_metric';

/** Sentry batches at most this many metric items per envelope. */
const MAX_ITEMS_PER_ENVELOPE = 1000;

/**
 * The Sentry exporter, given a way to reach the Sentry SDK of the runtime. Metrics go out as
 * `trace_metric` envelope items through the Sentry client, so Sentry's transport, tunnel, rate
 * limits and offline queue apply. Without a Sentry client it warns once and reports failure.
 */
export function createSentryExporter(loadSentry: () => Promise<SentryModuleLike | undefined>, options: SentryExporterOptions = {}): Exporter {
  let sentry: Promise<SentryModuleLike | undefined> | undefined;
  const reported: Partial<Record<DropReason, number>> = {};
  // Sentry's transport skips a rate-limited category without a word (it resolves `{}`); the same
  // headers read here tell that skip apart from a network error.
  const rateLimits = createRateLimits();
  // What isometer dropped since the last export goes into Sentry's client reports, so Sentry's
  // stats show it next to Sentry's own drops.
  const reportDrops = (client: SentryClientLike, context: ExportContext | undefined): void => {
    if (typeof client.recordDroppedEvent !== 'function') return;
    const counts = context?.drops.snapshot() ?? {};
    for (const reason of Object.keys(SENTRY_OUTCOMES) as DropReason[]) {
      const fresh = (counts[reason] ?? 0) - (reported[reason] ?? 0);
      if (fresh <= 0) continue;
      reported[reason] = counts[reason];
      client.recordDroppedEvent(SENTRY_OUTCOMES[reason] as string, 'trace_metric', fresh);
    }
  };
  return {
    name: 'sentry',
    async exportMetrics(batch: MetricBatch, context?: ExportContext): Promise<ExportOutcome> {
      sentry ??= loadSentry().catch(() => undefined);
      const module = await sentry;
      const client = options.client ?? module?.getClient();
      if (!client || typeof client.sendEnvelope !== 'function') {
        debugLogger.warnOnce(
          'sentry:no-client',
          'the Sentry exporter found no initialised Sentry client (pass init({ dsn }) or initialise the Sentry SDK first); metrics meant for Sentry were dropped, the other exporters still run.',
        );
        return { ok: false, retryable: false, reason: 'no Sentry client' };
      }
      const clientOptions = client.getOptions();
      const owners: number[] = [];
      const items = toSentryMetricItems(
        batch,
        {
          ...options,
          release: clientOptions.release,
          environment: clientOptions.environment || SENTRY_DEFAULT_ENVIRONMENT,
          fallbackTraceId: module?.getCurrentScope?.()?.getPropagationContext?.()?.traceId,
        },
        owners,
      );
      const header: Record<string, unknown> = { sdk: { name: batch.resource.sdk.name, version: batch.resource.sdk.version } };
      // With a tunnel, the DSN travels in the envelope header so the tunnel knows where to forward.
      if (clientOptions.tunnel && clientOptions.dsn) header.dsn = clientOptions.dsn;
      // Points (not items) are what drops count: a distribution is several items but one point.
      const lost = new Map<DropReason, Set<number>>();
      for (let start = 0; start < items.length; start += MAX_ITEMS_PER_ENVELOPE) {
        const chunk = items.slice(start, start + MAX_ITEMS_PER_ENVELOPE);
        const envelope = [
          header,
          [
            [
              { type: 'trace_metric', item_count: chunk.length, content_type: 'application/vnd.sentry.items.trace-metric+json' },
              { version: 2, items: chunk },
            ],
          ],
        ];
        const reason = undeliveredReason(await client.sendEnvelope(envelope), rateLimits);
        if (reason === undefined) continue;
        const points = lost.get(reason) ?? new Set<number>();
        for (let i = start; i < start + chunk.length; i++) points.add(owners[i]);
        lost.set(reason, points);
      }
      let lostPoints = 0;
      for (const [reason, points] of lost) {
        context?.drops.record(reason, points.size);
        lostPoints += points.size;
        // Sentry's transport already put these in its client reports (rate limit, full queue,
        // network error), or Relay counts them itself (429): not reported a second time.
        if (reason !== 'export_error') reported[reason] = (reported[reason] ?? 0) + points.size;
      }
      reportDrops(client, context);
      if (lostPoints === 0) return { ok: true };
      debugLogger.warnOnce('sentry:undelivered', `Sentry's transport did not deliver ${lostPoints} metric point(s) (HTTP error, rate limit, full queue or network); getDroppedCounts() counts them.`);
      return { ok: false, retryable: false, reason: "Sentry's transport did not deliver every envelope", counted: true };
    },
  };
}
