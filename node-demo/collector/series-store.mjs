/**
 * The collector's metric side: one ring of per-interval points per series (name + unit +
 * attributes, per origin and service), and per metric name a ring of time buckets that merge
 * every series, which is what the dashboard charts. Everything is bounded; what falls out is
 * counted.
 */
import { mergeHistogramData, percentilesOf, roundValue } from './histogram-math.mjs';

/**
 * @param {{ maxSeries: number, maxCharts: number, maxPointsPerSeries: number, bucketMs: number }} limits
 */
export function createSeriesStore(limits) {
  /** key → series; Map order is least recently updated first. */
  const series = new Map();
  /** key → chart (one per origin, type, name and unit); same order rule. */
  const charts = new Map();
  const evicted = { series: 0, points: 0, charts: 0, chartBuckets: 0 };

  function touch(map, key, value) {
    map.delete(key);
    map.set(key, value);
  }

  function seriesFor(origin, service, point) {
    const attributes = sortedAttributes(point.attributes);
    const key = [origin, service, point.type, point.name, point.unit, JSON.stringify(attributes)].join('\u0000');
    let entry = series.get(key);
    if (entry === undefined) {
      if (series.size >= limits.maxSeries) {
        const oldest = series.keys().next().value;
        evicted.points += series.get(oldest).points.length;
        series.delete(oldest);
        evicted.series++;
      }
      entry = { key, origin, service, type: point.type, name: point.name, unit: point.unit, attributes, points: [], total: { intervals: 0, count: 0, sum: 0 } };
    }
    touch(series, key, entry);
    return entry;
  }

  function chartFor(origin, point) {
    const key = [origin, point.type, point.name, point.unit].join('\u0000');
    let chart = charts.get(key);
    if (chart === undefined) {
      if (charts.size >= limits.maxCharts) {
        charts.delete(charts.keys().next().value);
        evicted.charts++;
      }
      chart = { origin, type: point.type, name: point.name, unit: point.unit, buckets: new Map(), overall: undefined, services: new Set() };
    }
    touch(charts, key, chart);
    return chart;
  }

  /** Stores one point; returns the exemplars it carried (the trace links). */
  function add(origin, service, point) {
    if (!point || !point.name || !['counter', 'gauge', 'distribution'].includes(point.type)) return [];
    const timeMs = Number.isFinite(point.timeMs) ? point.timeMs : Date.now();
    const startTimeMs = Number.isFinite(point.startTimeMs) ? point.startTimeMs : timeMs;
    const exemplars = (point.exemplars ?? [])
      .filter((exemplar) => typeof exemplar.traceId === 'string')
      .map((exemplar) => ({
        traceId: exemplar.traceId,
        spanId: exemplar.spanId,
        value: roundValue(exemplar.value),
        timestampMs: exemplar.timestampMs,
        sampled: exemplar.sampled,
      }));
    const entry = seriesFor(origin, service, point);
    const stored = { startTimeMs, timeMs, ...valuesOf(point), exemplars };
    entry.points.push(stored);
    if (entry.points.length > limits.maxPointsPerSeries) {
      entry.points.shift();
      evicted.points++;
    }
    entry.total.intervals++;
    entry.total.count += point.type === 'counter' ? (point.count ?? 1) : point.count;
    if (point.type === 'gauge') entry.total.sum = point.last;
    else entry.total.sum += Number.isFinite(point.sum) ? point.sum : 0;
    addToChart(chartFor(origin, point), service, point, timeMs);
    return exemplars;
  }

  function addToChart(chart, service, point, timeMs) {
    chart.services.add(service);
    const t = Math.floor(timeMs / limits.bucketMs) * limits.bucketMs;
    let bucket = chart.buckets.get(t);
    if (bucket === undefined) {
      bucket = { t, value: 0, count: 0, histogram: undefined, percentiles: undefined, max: null };
      chart.buckets.set(t, bucket);
      if (chart.buckets.size > limits.maxPointsPerSeries) {
        chart.buckets.delete(Math.min(...chart.buckets.keys()));
        evicted.chartBuckets++;
      }
      if (point.type === 'distribution') settleOldBuckets(chart, t - SETTLE_AFTER_BUCKETS * limits.bucketMs);
    }
    if (point.type === 'counter') {
      bucket.value += point.sum;
      bucket.count += point.count ?? 1;
    } else if (point.type === 'gauge') {
      bucket.value = point.last;
      bucket.count += point.count;
    } else if (bucket.settled) {
      // A point later than SETTLE_AFTER_BUCKETS intervals: counted, but the bucket's
      // percentiles stay as they were (its histogram is gone).
      bucket.count += point.count;
      chart.overall = mergeHistogramData([chart.overall, point.histogram]);
      chart.overallPercentiles = undefined;
    } else {
      bucket.histogram = mergeHistogramData([bucket.histogram, point.histogram]);
      bucket.count = bucket.histogram.count;
      bucket.max = roundValue(bucket.histogram.max);
      bucket.percentiles = undefined;
      chart.overall = mergeHistogramData([chart.overall, point.histogram]);
      chart.overallPercentiles = undefined;
    }
  }

  /** Every series, most recently updated first; `withPoints: false` leaves the point rings out. */
  function seriesJson({ withPoints = true } = {}) {
    return [...series.values()].reverse().map((entry) => ({
      origin: entry.origin,
      service: entry.service,
      type: entry.type,
      name: entry.name,
      unit: entry.unit,
      attributes: entry.attributes,
      total: entry.total,
      latest: entry.points.at(-1) ?? null,
      ...(withPoints ? { points: entry.points } : {}),
    }));
  }

  /** What the dashboard draws: counters, gauges and distributions by origin and name. */
  function chartsJson() {
    const counters = [];
    const distributions = [];
    const ordered = [...charts.values()].sort((a, b) => a.name.localeCompare(b.name) || a.origin.localeCompare(b.origin));
    for (const chart of ordered) {
      const buckets = [...chart.buckets.values()].sort((a, b) => a.t - b.t);
      const base = { origin: chart.origin, services: [...chart.services], name: chart.name, unit: chart.unit };
      if (chart.type === 'counter') {
        // One row per attribute set, summed over the services (both page variants) that sent it.
        const rows = new Map();
        for (const entry of series.values()) {
          if (entry.type !== 'counter' || entry.origin !== chart.origin || entry.name !== chart.name || entry.unit !== chart.unit) continue;
          const key = JSON.stringify(entry.attributes);
          const row = rows.get(key) ?? { attributes: entry.attributes, total: 0 };
          row.total += entry.total.sum;
          rows.set(key, row);
        }
        const breakdown = [...rows.values()].map((row) => ({ attributes: row.attributes, total: roundValue(row.total) })).sort((a, b) => b.total - a.total);
        counters.push({
          ...base,
          total: roundValue(breakdown.reduce((sum, row) => sum + row.total, 0)),
          points: buckets.map((b) => ({ t: b.t, value: roundValue(b.value) })),
          breakdown: breakdown.slice(0, 8),
        });
      } else if (chart.type === 'distribution') {
        chart.overallPercentiles ??= percentilesOf(chart.overall);
        const points = buckets.map((bucket) => {
          bucket.percentiles ??= percentilesOf(bucket.histogram);
          return { t: bucket.t, count: bucket.count, ...bucket.percentiles, max: bucket.max };
        });
        const overall = chart.overall ?? { count: 0, min: NaN, max: NaN };
        distributions.push({ ...base, overall: { count: overall.count, min: roundValue(overall.min), max: roundValue(overall.max), ...chart.overallPercentiles }, points });
      }
    }
    const gauges = gaugeGroups();
    return { bucketMs: limits.bucketMs, counters, gauges, distributions };
  }

  function gaugeGroups() {
    const groups = new Map();
    for (const entry of [...series.values()].reverse()) {
      if (entry.type !== 'gauge') continue;
      const key = `${entry.origin}\u0000${entry.name}\u0000${entry.unit}`;
      if (!groups.has(key)) groups.set(key, { origin: entry.origin, name: entry.name, unit: entry.unit, series: [] });
      const latest = entry.points.at(-1);
      groups.get(key).series.push({
        service: entry.service,
        attributes: entry.attributes,
        latest: latest ? latest.last : null,
        timeMs: latest ? latest.timeMs : null,
        min: roundValue(Math.min(...entry.points.map((p) => p.min))),
        max: roundValue(Math.max(...entry.points.map((p) => p.max))),
        points: entry.points.map((p) => ({ t: p.timeMs, value: p.last })),
      });
    }
    return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.origin.localeCompare(b.origin));
  }

  function reset() {
    series.clear();
    charts.clear();
    for (const key of Object.keys(evicted)) evicted[key] = 0;
  }

  return { add, seriesJson, chartsJson, reset, evicted, size: () => ({ series: series.size, charts: charts.size }) };
}

/**
 * Intervals from both sides arrive within a flush or two of their end; a bucket this many
 * intervals old keeps only its percentiles, so a chart holds at most a few histograms.
 */
const SETTLE_AFTER_BUCKETS = 4;

function settleOldBuckets(chart, beforeMs) {
  for (const bucket of chart.buckets.values()) {
    if (bucket.t >= beforeMs || bucket.settled) continue;
    bucket.percentiles ??= percentilesOf(bucket.histogram);
    bucket.histogram = undefined;
    bucket.settled = true;
  }
}

function valuesOf(point) {
  switch (point.type) {
    case 'counter':
      return { sum: roundValue(point.sum), count: point.count ?? null };
    case 'gauge':
      return { last: point.last, min: point.min, max: point.max, count: point.count };
    default:
      return { count: point.count, sum: roundValue(point.sum), min: roundValue(point.min), max: roundValue(point.max), ...percentilesOf(point.histogram) };
  }
}

function sortedAttributes(attributes) {
  const sorted = {};
  for (const key of Object.keys(attributes ?? {}).sort()) sorted[key] = attributes[key];
  return sorted;
}
