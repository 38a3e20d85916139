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

/**
 * Wall time of `work` and the longest gap between event-loop turns while it ran, wall-clock and
 * the CPU time of the longest-CPU gap (process.cpuUsage: on a loaded machine the wall-clock gap
 * also holds time the OS gave to other processes).
 */
async function timed(work) {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = 0;
  let longestCpu = 0;
  let done = false;
  const note = () => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    longest = Math.max(longest, now - last);
    longestCpu = Math.max(longestCpu, (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000);
    last = now;
    lastCpu = cpu;
  };
  const tick = () => {
    note();
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  last = start;
  lastCpu = process.cpuUsage();
  const result = await work();
  const ms = performance.now() - start;
  done = true;
  note();
  return { ms, stallMs: longest, stallCpuMs: longestCpu, result };
}

/**
 * 1,000 distinct sets from 50 routes × 20 shards: within isometer's default 500 values a key
 * (one key of 1,000 values would fold half of them into `__other__`).
 */
function labels(i, method) {
  const set = { route: `/r${i % 50}`, shard: `s${Math.floor(i / 50)}` };
  if (method) set.method = method;
  return set;
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
    for (let i = 0; i < COUNTERS; i++) isometer.metrics.count('http.requests', 1, { attributes: labels(i, 'GET') });
    for (let i = 0; i < HISTOGRAMS; i++) for (let k = 0; k < VALUES_PER_HISTOGRAM; k++) isometer.metrics.distribution('http.duration', value(i, k), { unit: 'millisecond', attributes: labels(i) });
    flushes.push(await timed(() => isometer.flush(30_000)));
    const scrape = await timed(() => prometheus.scrape('text/plain;version=0.0.4'));
    scrapes.push(scrape);
    bytes = scrape.result.body.length;
  }
  await isometer.close(30_000);
  rows.push(['isometer', 'flush (aggregate + add to totals)', median(flushes.map((f) => f.ms)), median(flushes.map((f) => f.stallMs)), median(flushes.map((f) => f.stallCpuMs)), '']);
  rows.push(['isometer', 'prometheusHandler().scrape(), text 0.0.4', median(scrapes.map((s) => s.ms)), median(scrapes.map((s) => s.stallMs)), median(scrapes.map((s) => s.stallCpuMs)), bytes]);

  const registry = new Registry();
  const counter = new Counter({ name: 'http_requests_total', help: 'h', labelNames: ['route', 'shard', 'method'], registers: [registry] });
  const histogram = new Histogram({ name: 'http_duration_milliseconds', help: 'h', labelNames: ['route', 'shard'], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], registers: [registry] });
  const renders = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < COUNTERS; i++) counter.inc(labels(i, 'GET'));
    for (let i = 0; i < HISTOGRAMS; i++) for (let k = 0; k < VALUES_PER_HISTOGRAM; k++) histogram.observe(labels(i), value(i, k));
    renders.push(await timed(() => registry.metrics()));
  }
  rows.push([
    'prom-client',
    'registry.metrics(), text 0.0.4',
    median(renders.map((r) => r.ms)),
    median(renders.map((r) => r.stallMs)),
    median(renders.map((r) => r.stallCpuMs)),
    Buffer.byteLength(renders[renders.length - 1].result),
  ]);
  return { rows, series: COUNTERS + HISTOGRAMS, rounds: ROUNDS };
}
