/**
 * What the page draws, from the series a filter selected: counters (total, per-interval sums, a
 * breakdown by attributes), gauges (per series), and distributions (p50/p90/p95/p99 per
 * interval and over everything received, from histograms merged exactly). One chart per origin,
 * type, name and unit; the selected services' series are merged into it.
 */
import { MAX_INTERVAL_BUCKETS, mergeHistogramData, percentilesOf, roundValue } from './histogram-math';
import type { StoredSeries } from './series-store';

/**
 * @example
 * buildCharts(series.all().filter((s) => s.service === 'api'), 2000).distributions[0].points;
 */
export function buildCharts(selected: StoredSeries[], bucketMs: number) {
  const groups = new Map<string, StoredSeries[]>();
  for (const entry of selected) {
    const key = [entry.origin, entry.type, entry.name, entry.unit].join('\u0000');
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  const ordered = [...groups.values()].sort((a, b) => a[0].name.localeCompare(b[0].name) || a[0].origin.localeCompare(b[0].origin));
  const counters = [];
  const gauges = [];
  const distributions = [];
  for (const group of ordered) {
    const { origin, type, name, unit } = group[0];
    const base = { origin, services: [...new Set(group.map((entry) => entry.service))], sdks: [...new Set(group.map((entry) => entry.sdk))], name, unit };
    if (type === 'counter') counters.push({ ...base, ...counterChart(group) });
    else if (type === 'gauge') gauges.push({ ...base, series: group.map(gaugeSeries) });
    else distributions.push({ ...base, ...distributionChart(group) });
  }
  return { bucketMs, counters, gauges, distributions };
}

function counterChart(group: StoredSeries[]) {
  const byTime = new Map<number, number>();
  for (const entry of group) for (const interval of entry.intervals.values()) byTime.set(interval.t, (byTime.get(interval.t) ?? 0) + interval.value);
  // One row per attribute set, summed over the services that sent it.
  const rows = new Map<string, { attributes: StoredSeries['attributes']; total: number }>();
  for (const entry of group) {
    const key = JSON.stringify(entry.attributes);
    const row = rows.get(key) ?? { attributes: entry.attributes, total: 0 };
    row.total += entry.total.sum;
    rows.set(key, row);
  }
  const breakdown = [...rows.values()].map((row) => ({ attributes: row.attributes, total: roundValue(row.total) ?? 0 })).sort((a, b) => b.total - a.total);
  return {
    total: roundValue(group.reduce((sum, entry) => sum + entry.total.sum, 0)),
    points: [...byTime].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ t, value: roundValue(value) })),
    breakdown: breakdown.slice(0, 8),
  };
}

function gaugeSeries(entry: StoredSeries) {
  const intervals = [...entry.intervals.values()].sort((a, b) => a.t - b.t);
  const latest = entry.points.at(-1);
  return {
    service: entry.service,
    attributes: entry.attributes,
    latest: latest ? (latest.last as number) : null,
    timeMs: latest ? (latest.timeMs as number) : null,
    min: roundValue(Math.min(...intervals.map((interval) => interval.min))),
    max: roundValue(Math.max(...intervals.map((interval) => interval.max))),
    points: intervals.map((interval) => ({ t: interval.t, value: interval.value })),
  };
}

function distributionChart(group: StoredSeries[]) {
  const byTime = new Map<number, StoredSeries['intervals'] extends Map<number, infer I> ? I[] : never>();
  for (const entry of group) {
    for (const interval of entry.intervals.values()) {
      const list = byTime.get(interval.t);
      if (list) list.push(interval);
      else byTime.set(interval.t, [interval]);
    }
  }
  const points = [...byTime]
    .sort((a, b) => a[0] - b[0])
    .map(([t, intervals]) => {
      const merged = mergeHistogramData(
        intervals.map((interval) => interval.histogram),
        MAX_INTERVAL_BUCKETS,
      );
      const count = intervals.reduce((sum, interval) => sum + interval.count, 0);
      return { t, count, ...percentilesOf(merged), max: roundValue(Math.max(...intervals.map((interval) => interval.max))) };
    });
  const overall = mergeHistogramData(group.map((entry) => entry.overall));
  const count = group.reduce((sum, entry) => sum + entry.total.count, 0);
  return { overall: { count, min: roundValue(overall.min), max: roundValue(overall.max), ...percentilesOf(overall) }, points };
}
