/**
 * The page of sentry-replay.spec.ts: isometer/browser from src, and the real @sentry/browser,
 * bundled with code splitting so the Sentry glue is its own chunk, fetched over the network as in
 * an app. `window.scenario` runs one way of turning Sentry on, records synchronously right after
 * `init`, and returns what was dropped by then.
 */
import * as Sentry from '@sentry/browser';
import { flush, getDroppedCounts, init, metrics, startInactiveSpan, startSpan } from '../../../../src/browser/index';

interface Run {
  how: 'module' | 'script-tag';
  dsn: string;
  spans: number;
  series: number;
}

const ids: Record<string, { traceId: string; spanId: string; parentSpanId?: string }> = {};

function scenario({ how, dsn, spans, series }: Run) {
  if (how === 'module') init({ dsn, sentry: Sentry, tracesSampleRate: 1, flushIntervalMs: 0 });
  else {
    // Sentry's script tag: the app's own Sentry, initialised before the glue arrives, found on window.
    (window as unknown as { Sentry: unknown }).Sentry = Sentry;
    Sentry.init({ dsn, tracesSampleRate: 1, transportOptions: { bufferSize: 5000 } });
    init({ dsn, tracesSampleRate: 1, flushIntervalMs: 0, maxSeriesPerMetric: 20_000 });
  }
  startSpan({ name: 'first-line', op: 'task' }, (span) => {
    ids['first-line'] = { traceId: span.traceId, spanId: span.spanId };
    metrics.count('first.metric', 3);
    const child = startInactiveSpan({ name: 'first-child' });
    ids['first-child'] = { traceId: child.traceId, spanId: child.spanId, parentSpanId: child.parentSpanId };
    child.end();
  });
  for (let i = 0; i < spans; i++) startSpan({ name: `extra-${i}` }, () => undefined);
  // Four names, so no attribute passes its share of maxSeriesPerMetric and folds.
  for (let i = 0; i < series; i++) metrics.count(`many.series.${i % 4}`, 1, { attributes: { i } });
  // The synchronous part of a flush hands everything to the exporters, before the glue can load.
  (window as unknown as { flushed: Promise<boolean> }).flushed = flush(20_000);
  return { dropped: getDroppedCounts(), ids };
}

Object.assign(window, { scenario, flush, getDroppedCounts });
