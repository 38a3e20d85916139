import { gzip } from 'node:zlib';
import { CumulativeStore } from '../../core/export/cumulative-store';
import type { DropReason, DropRecorder } from '../../core/internal/drop-counter';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch, Resource } from '../../core/export/exporter';
import { debugLogger } from '../../core/internal/debug-logger';
import type { Exemplar, MetricPoint } from '../../core/metrics/types';
import { encodePrometheusProtobuf, PROTOBUF_CONTENT_TYPE } from './encode-prometheus-protobuf';
import { negotiateFormat, type ExpositionFormat } from './negotiate-format';
import { prometheusFamilies, type PrometheusFamily } from './prometheus-families';
import { renderPrometheusText } from './render-prometheus-text';
import { runSliced } from '../run-sliced';
import { answerScrape, type ScrapeResponse } from './answer-scrape';

export type { ScrapeResponse } from './answer-scrape';

export interface PrometheusHandlerOptions {
  /** Series kept at most, all metrics together; past it new series fold into `isometer_overflow="true"` (counted). Default 20000. */
  maxSeries?: number;
  /** A series no flush has touched for this long leaves the endpoint (counted as `series_expired`). Default 15 minutes. */
  expireAfterMs?: number;
}

/** An exporter that keeps cumulative totals and answers scrapes with them. */
export interface PrometheusHandler extends Exporter {
  /**
   * Answers a scrape. Mount it on any server: `(req, res)` for node:http, `(req, res, next)` for
   * Express or Connect, `(request, reply)` for Fastify, `(ctx, next)` for Koa. Never throws.
   */
  readonly handle: (...args: unknown[]) => Promise<unknown>;
  /** The answer to a scrape with these `Accept` and `Accept-Encoding` headers. */
  scrape(accept?: string, acceptEncoding?: string): Promise<ScrapeResponse>;
}

const OK: ExportOutcome = Object.freeze({ ok: true });
const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  protobuf: PROTOBUF_CONTENT_TYPE,
};

/**
 * A Prometheus scrape endpoint to mount on a server the app already runs. Each flush adds the
 * interval's aggregates to running totals per series (counters and distributions cumulative since
 * the series' first point, gauges their last value; bounded, see the options), and a scrape reads
 * the totals as of the last flush, in the format the scraper asks for: text 0.0.4, OpenMetrics
 * 1.0.0 with exemplars, or protobuf with native histograms. Gzipped when the scraper accepts it.
 * The exposition is built at the first scrape after a flush, in slices of a few milliseconds, and
 * reused by the scrapes that follow until the next flush.
 *
 * @example
 * import express from 'express';
 * import { init, prometheusHandler } from 'isometer/node';
 * const prometheus = prometheusHandler();
 * init({ exporters: [prometheus] });
 * express().get('/metrics', prometheus.handle).listen(3000);
 */
export function prometheusHandler(options: PrometheusHandlerOptions = {}): PrometheusHandler {
  const raw: PrometheusHandlerOptions = typeof options === 'object' && options !== null ? options : {};
  let drops: DropRecorder | undefined;
  const store = new CumulativeStore({ maxSeries: raw.maxSeries, expireAfterMs: raw.expireAfterMs, drops: { record: (reason: DropReason, quantity?: number) => drops?.record(reason, quantity) } });
  let resource: Resource | undefined;
  let exemplars = new Map<string, Exemplar[]>();
  // Built at the first scrape after a flush, and each format rendered once per build.
  let families: Promise<PrometheusFamily[]> | undefined;
  const rendered = new Map<string, Promise<Uint8Array>>();

  const build = (): Promise<PrometheusFamily[]> => {
    if (families === undefined) {
      // Read in slices, after any add already under way: the totals of whole flushes, never half of one.
      families = Promise.resolve(store.collectSliced()).then((points) => {
        exemplars = keepExemplars(points, exemplars);
        return runSliced(prometheusFamilies(points, resource));
      });
    }
    return families;
  };

  /** The body in `format`, gzipped or not: made once per flush, whoever asks first. */
  const render = (format: ExpositionFormat, gzipped: boolean): Promise<Uint8Array> => {
    const key = `${format}${gzipped ? '+gzip' : ''}`;
    let body = rendered.get(key);
    if (body === undefined) {
      body = gzipped
        ? render(format, false).then(gzipAsync)
        : build().then((built) => (format === 'protobuf' ? runSliced(encodePrometheusProtobuf(built)) : runSliced(renderPrometheusText(built, format)).then((text) => new TextEncoder().encode(text))));
      rendered.set(key, body);
    }
    return body;
  };

  const scrape = async (accept?: string, acceptEncoding?: string): Promise<ScrapeResponse> => {
    try {
      const format = negotiateFormat(accept);
      const gzipped = typeof acceptEncoding === 'string' && /\bgzip\b/i.test(acceptEncoding);
      const body = await render(format, gzipped);
      const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[format], vary: 'accept, accept-encoding' };
      if (gzipped) headers['content-encoding'] = 'gzip';
      return { status: 200, headers, body };
    } catch (error) {
      // Built again at the next scrape rather than failing until the next flush.
      families = undefined;
      rendered.clear();
      debugLogger.internalError('prometheus: scrape', error);
      return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: new TextEncoder().encode('isometer could not render the metrics\n') };
    }
  };

  const handle = async (...args: unknown[]): Promise<unknown> => {
    try {
      return await answerScrape(args, scrape);
    } catch (error) {
      debugLogger.internalError('prometheus: answering a scrape', error);
      return undefined;
    }
  };

  return {
    name: 'prometheus',
    handle,
    scrape,
    async exportMetrics(batch: MetricBatch, context?: ExportContext): Promise<ExportOutcome> {
      try {
        drops = context?.drops ?? drops;
        resource = batch?.resource ?? resource;
        const points = Array.isArray(batch?.points) ? batch.points : [];
        // Only the interval's points are added here, in slices; the totals are read when a scraper
        // asks. A scrape from now on builds anew, and its read waits for this add to finish.
        families = undefined;
        rendered.clear();
        await store.addSliced(points);
        return OK;
      } catch (error) {
        debugLogger.internalError('prometheus: collecting', error);
        return { ok: false, retryable: false, reason: 'the batch could not be added' };
      }
    },
  };
}

/**
 * The store hands a series' exemplars out once, with the interval that recorded them; a scrape
 * endpoint shows the latest one until a newer comes, so every scrape has it.
 */
function keepExemplars(points: MetricPoint[], previous: Map<string, Exemplar[]>): Map<string, Exemplar[]> {
  const kept = new Map<string, Exemplar[]>();
  for (const point of points) {
    if (point.type === 'gauge' || (point.exemplars.length === 0 && previous.size === 0)) continue;
    let key = `${point.type}\u0000${point.name}\u0000${point.unit}`;
    for (const name in point.attributes) key += `\u0000${name}\u0001${String(point.attributes[name])}`;
    if (point.exemplars.length === 0) point.exemplars = previous.get(key) ?? [];
    if (point.exemplars.length > 0) kept.set(key, point.exemplars);
  }
  return kept;
}

function gzipAsync(body: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => gzip(body, (error, result) => (error ? reject(error) : resolve(result))));
}
