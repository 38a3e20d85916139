import { debugLogger } from '../internal/debug-logger';
import type { DropReason } from '../internal/drop-counter';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch } from '../export/exporter';
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
      const items = toSentryMetricItems(batch, {
        ...options,
        release: clientOptions.release,
        environment: clientOptions.environment,
        fallbackTraceId: module?.getCurrentScope?.()?.getPropagationContext?.()?.traceId,
      });
      const header: Record<string, unknown> = { sdk: { name: batch.resource.sdk.name, version: batch.resource.sdk.version } };
      // With a tunnel, the DSN travels in the envelope header so the tunnel knows where to forward.
      if (clientOptions.tunnel && clientOptions.dsn) header.dsn = clientOptions.dsn;
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
        await client.sendEnvelope(envelope);
      }
      reportDrops(client, context);
      return { ok: true };
    },
  };
}
