/**
 * What a Prometheus scrape costs: isometer's `prometheusHandler()` beside prom-client's
 * `registry.metrics()`, for the same series (counters with two labels, histograms with one),
 * the same values. isometer's figure is the scrape after a flush (the exposition is built then,
 * in slices, and reused until the next flush) and the longest the event loop waited meanwhile;
 * prom-client renders on every scrape, in one go.
 */
import { Counter, Histogram, Registry } from 'prom-client';

const COUNTERS = 1000;
const HISTOGRAMS = 1000;
const VALUES_PER_HISTOGRAM = 50;
const ROUNDS = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time of `work` and the longest gap between event-loop turns while it ran. */
async function timed(work) {
  let last = performance.now();
  let longest = 0;
  let done = false;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  done = true;
  longest = Math.max(longest, performance.now() - last);
  return { ms, stallMs: longest, result };
}

function value(i, k) {
  return 1 + ((i * 7919 + k * 104729) % 1000);
}

export async function measureScrapeCost(isometer) {
  const rows = [];
  const prometheus = isometer.prometheusHandler({ maxSeries: 100_000 });
  isometer.init({ exporters: [prometheus], flushIntervalMs: 0, serviceName: 'bench' });
  const flushes = [];
  const scrapes = [];
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < COUNTERS; i++) isometer.metrics.count('http.requests', 1, { attributes: { route: `/r${i}`, method: 'GET' } });
    for (let i = 0; i < HISTOGRAMS; i++)
      for (let k = 0; k < VALUES_PER_HISTOGRAM; k++) isometer.metrics.distribution('http.duration', value(i, k), { unit: 'millisecond', attributes: { route: `/r${i}` } });
    flushes.push(await timed(() => isometer.flush(30_000)));
    const scrape = await timed(() => prometheus.scrape('text/plain;version=0.0.4'));
    scrapes.push(scrape);
    bytes = scrape.result.body.length;
  }
  await isometer.close(30_000);
  rows.push(['isometer', 'flush (aggregate + add to totals)', median(flushes.map((f) => f.ms)), median(flushes.map((f) => f.stallMs)), '']);
  rows.push(['isometer', 'prometheusHandler().scrape(), text 0.0.4', median(scrapes.map((s) => s.ms)), median(scrapes.map((s) => s.stallMs)), bytes]);

  const registry = new Registry();
  const counter = new Counter({ name: 'http_requests_total', help: 'h', labelNames: ['route', 'method'], registers: [registry] });
  const histogram = new Histogram({ name: 'http_duration_milliseconds', help: 'h', labelNames: ['route'], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], registers: [registry] });
  const renders = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < COUNTERS; i++) counter.inc({ route: `/r${i}`, method: 'GET' });
    for (let i = 0; i < HISTOGRAMS; i++) for (let k = 0; k < VALUES_PER_HISTOGRAM; k++) histogram.observe({ route: `/r${i}` }, value(i, k));
    renders.push(await timed(() => registry.metrics()));
  }
  rows.push(['prom-client', 'registry.metrics(), text 0.0.4', median(renders.map((r) => r.ms)), median(renders.map((r) => r.stallMs)), Buffer.byteLength(renders[renders.length - 1].result)]);
  return { rows, series: COUNTERS + HISTOGRAMS, rounds: ROUNDS };
}
