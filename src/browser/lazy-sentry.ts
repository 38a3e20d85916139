import type { ExportContext, Exporter, ExportOutcome, MetricBatch, SpanBatch } from '../core/export/exporter';
import { debugLogger } from '../core/internal/debug-logger';
import { cancelTimeout, scheduleTimeout } from '../core/internal/runtime-globals';
import type { Client } from '../core/sdk/client';
import type { SentryExporterOptions, SentryModuleLike } from '../core/sentry/sentry-exporter';
import { ensureSentryClient } from '../core/sentry/sentry-setup';
import type { SpanData } from '../core/trace/span-data';

type Glue = typeof import('./sentry');

/** Finished spans kept while the Sentry glue loads; past it, each is counted as `queue_overflow`. */
export const MAX_PENDING_SENTRY_SPANS = 1000;
/** Metric points kept while the Sentry glue loads; past it, each is counted as `queue_overflow`. */
export const MAX_PENDING_SENTRY_POINTS = 10_000;

let glue: Promise<Glue> | undefined;
/** Settles once `attachSentryLazily` has set Sentry up (Sentry.init run for `dsn`): replay waits for it. */
let attached: Promise<unknown> | undefined;

/** The glue, loaded once: bundlers put `./sentry` in its own chunk, so pages without Sentry never download it. */
const loadGlue = (): Promise<Glue> => (glue ??= import('./sentry'));

/**
 * Connects the client to the page's Sentry SDK, its glue loaded lazily. A Sentry module given as
 * `init({ dsn, sentry: Sentry })` is initialised at once, since `init` already handed tracing to it:
 * the span started on the next line is then a recording Sentry span, not one of a Sentry with no client.
 */
export function attachSentryLazily(client: Client): void {
  const given = client.options.sentry as SentryModuleLike | undefined;
  if (client.options.dsn && typeof given?.getClient === 'function') void ensureSentryClient(() => given, client.options);
  attached = loadGlue()
    .then((module) => new Promise((resolve) => module.attachPageSentry(client, resolve)))
    .catch((error: unknown) => debugLogger.internalError('loading the Sentry glue', error));
}

const NOT_LOADED: ExportOutcome = { ok: false, retryable: false, reason: 'the Sentry glue could not be loaded' };

/**
 * The Sentry exporter, its glue loaded lazily. What is finished before the glue has loaded and
 * Sentry is set up — metric batches, and spans Sentry did not make itself — is kept, bounded
 * (MAX_PENDING_SENTRY_SPANS, MAX_PENDING_SENTRY_POINTS; past them each is counted as
 * `queue_overflow`), and replayed into Sentry once it is: nothing recorded after `init` misses it.
 */
export function lazySentryExporter(sentry: unknown, options?: SentryExporterOptions): Exporter {
  let ready: { glue: Glue; exporter: Exporter } | undefined;
  let failed = false;
  let loading: Promise<void> | undefined;
  const metricBatches: Array<[MetricBatch, ExportContext | undefined]> = [];
  const spanBatches: Array<[SpanData[], ExportContext | undefined]> = [];
  let pendingPoints = 0;
  let pendingSpans = 0;
  let lost = 0;
  const waiting = new Set<() => void>();

  const count = (context: ExportContext | undefined, reason: 'queue_overflow' | 'export_error' | 'export_timeout', items: number): void => {
    if (items <= 0) return;
    lost += items;
    context?.drops.record(reason, items);
  };

  const replaySpans = (spans: SpanData[], context: ExportContext | undefined): void => {
    const replayed = ready!.glue.replayPageSpans(sentry, spans);
    // No Sentry SDK that makes spans: they were never Sentry's (the warning said how to give one).
    if (replayed !== undefined) count(context, 'export_error', spans.length - replayed);
  };

  const replay = async (): Promise<void> => {
    const batches = metricBatches.splice(0);
    for (const [spans, context] of spanBatches.splice(0)) replaySpans(spans, context);
    const outcomes = batches.map(([batch, context]) => Promise.resolve(ready!.exporter.exportMetrics!(batch, context)).catch(() => NOT_LOADED));
    for (let i = 0; i < batches.length; i++) {
      const outcome = await outcomes[i];
      if (outcome && outcome.ok === false && outcome.counted !== true) count(batches[i][1], 'export_error', batches[i][0].points.length);
    }
  };

  const settle = (): void => {
    pendingPoints = 0;
    pendingSpans = 0;
    for (const done of [...waiting]) done();
  };

  const load = (): Promise<void> =>
    (loading ??= loadGlue()
      .then(async (module) => {
        await attached;
        ready = { glue: module, exporter: module.pageSentryExporter(sentry, options) };
        await replay();
      })
      .catch((error: unknown) => {
        debugLogger.internalError('loading the Sentry glue', error);
        failed = true;
        for (const [spans, context] of spanBatches.splice(0)) count(context, 'export_error', spans.length);
        for (const [batch, context] of metricBatches.splice(0)) count(context, 'export_error', batch.points.length);
      })
      .then(settle));

  /** Resolves true once what is kept has been replayed with nothing lost, false at `timeoutMs`. */
  const drain = (timeoutMs: number | undefined): Promise<boolean> => {
    if (pendingPoints + pendingSpans === 0) return Promise.resolve(true);
    const lostBefore = lost;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        waiting.delete(onDrained);
        cancelTimeout(timer);
        resolve(ok);
      };
      const onDrained = (): void => done(lost === lostBefore);
      const timer = scheduleTimeout(() => done(false), timeoutMs ?? 10_000);
      waiting.add(onDrained);
    });
  };

  const overflow = (context: ExportContext | undefined, items: number, what: string): ExportOutcome => {
    count(context, 'queue_overflow', items);
    debugLogger.warnOnce(`sentry:pending:${what}`, `more ${what} were finished before Sentry loaded than isometer keeps for it; the rest were dropped and counted (queue_overflow).`);
    return { ok: false, retryable: false, counted: true };
  };

  return {
    name: 'sentry',
    exportMetrics(batch: MetricBatch, context?: ExportContext) {
      if (ready) return ready.exporter.exportMetrics!(batch, context);
      if (failed) return NOT_LOADED;
      void load();
      const room = Math.max(0, MAX_PENDING_SENTRY_POINTS - pendingPoints);
      const kept = batch.points.length <= room ? batch : { ...batch, points: batch.points.slice(0, room) };
      if (kept.points.length > 0) metricBatches.push([kept, context]);
      pendingPoints += kept.points.length;
      if (kept !== batch) return overflow(context, batch.points.length - kept.points.length, 'metric points');
      return undefined;
    },
    exportSpans(batch: SpanBatch, context?: ExportContext) {
      const own = batch.spans.filter((span) => span.sentryOwned !== true);
      if (own.length === 0) return undefined;
      if (ready) return replaySpans(own, context);
      if (failed) return NOT_LOADED;
      void load();
      const kept = own.slice(0, Math.max(0, MAX_PENDING_SENTRY_SPANS - pendingSpans));
      if (kept.length > 0) spanBatches.push([kept, context]);
      pendingSpans += kept.length;
      if (kept.length < own.length) return overflow(context, own.length - kept.length, 'spans');
      return undefined;
    },
    forceFlush: (context?: ExportContext) => drain(context?.timeoutMs),
    async shutdown(context?: ExportContext) {
      if (await drain(context?.timeoutMs)) return;
      // Sentry never came within the close: what is still kept is lost to it.
      for (const [spans, keptContext] of spanBatches.splice(0)) count(keptContext, 'export_timeout', spans.length);
      for (const [batch, keptContext] of metricBatches.splice(0)) count(keptContext, 'export_timeout', batch.points.length);
      pendingPoints = 0;
      pendingSpans = 0;
    },
  };
}

/**
 * Sends metrics to Sentry as `trace_metric` items through the page's Sentry client (`window.Sentry`,
 * or the client the app initialised); its code loads on the first export. `init({ dsn, sentry: Sentry })`
 * adds it for you.
 *
 * @example
 * Sentry.init({ dsn });
 * init({ exporters: [sentryExporter()] });
 */
export function sentryExporter(options?: SentryExporterOptions): Exporter {
  return lazySentryExporter(undefined, options);
}
