/** Inline SVG charts: percentile lines over time, and sparklines. No chart library. */
import { clockTime, escapeHtml, formatValue, niceStep } from './format.js';

export const PERCENTILE_STYLES = [
  { key: 'p50', label: 'p50', color: '#5eead4' },
  { key: 'p90', label: 'p90', color: '#60a5fa' },
  { key: 'p95', label: 'p95', color: '#fbbf24' },
  { key: 'p99', label: 'p99', color: '#fb7185' },
];

/** Splits time-sorted points into runs with no gap longer than `maxGapMs` (no line across missing data). */
function runs(points, maxGapMs) {
  const result = [];
  let current = [];
  for (const point of points) {
    if (current.length && point.t - current[current.length - 1].t > maxGapMs) {
      result.push(current);
      current = [];
    }
    current.push(point);
  }
  if (current.length) result.push(current);
  return result;
}

function timeTicks(fromMs, toMs) {
  const span = toMs - fromMs;
  const step = span <= 130_000 ? 15_000 : span <= 300_000 ? 30_000 : 60_000;
  // Counted back from now, so the labels read −15s, −30s, … rather than clock remainders.
  const ticks = [];
  for (let t = toMs; t >= fromMs; t -= step) ticks.push(t);
  return ticks;
}

/**
 * p50/p90/p95/p99 lines for one distribution, with a p50–p99 band, y grid and relative time axis.
 * `points`: `[{ t, count, p50, p90, p95, p99 }]`.
 */
export function percentileChart(points, { width, height, fromMs, toMs, unit, bucketMs }) {
  const pad = { left: 58, right: 12, top: 10, bottom: 24 };
  const innerWidth = Math.max(10, width - pad.left - pad.right);
  const innerHeight = Math.max(10, height - pad.top - pad.bottom);
  const visible = points.filter((p) => p.t >= fromMs - bucketMs && p.t <= toMs && p.p50 !== null);
  const top = Math.max(...visible.map((p) => p.p99 ?? 0), 0);
  const step = niceStep(top || 1, 4);
  const yMax = Math.max(step, Math.ceil((top * 1.05) / step) * step);
  const x = (t) => pad.left + ((t - fromMs) / (toMs - fromMs)) * innerWidth;
  const y = (v) => pad.top + innerHeight - (v / yMax) * innerHeight;
  const parts = [];

  for (let v = 0; v <= yMax + step / 2; v += step) {
    parts.push(`<line class="grid" x1="${pad.left}" x2="${pad.left + innerWidth}" y1="${y(v)}" y2="${y(v)}"/>`);
    parts.push(`<text class="axis" x="${pad.left - 8}" y="${y(v) + 4}" text-anchor="end">${v === 0 ? '0' : escapeHtml(formatValue(v, unit))}</text>`);
  }
  for (const t of timeTicks(fromMs, toMs)) {
    const seconds = Math.round((toMs - t) / 1000);
    const label = seconds === 0 ? 'now' : seconds < 120 ? `−${seconds}s` : `−${Math.round(seconds / 60)}m`;
    parts.push(`<text class="axis" x="${x(t)}" y="${height - 6}" text-anchor="middle">${label}</text>`);
  }

  const segments = runs(visible, bucketMs * 2.5);
  for (const run of segments) {
    if (run.length < 2) continue;
    const upper = run.map((p) => `${x(p.t)},${y(p.p99)}`);
    const lower = run.map((p) => `${x(p.t)},${y(p.p50)}`).reverse();
    parts.push(`<polygon class="band" points="${[...upper, ...lower].join(' ')}"/>`);
  }
  for (const style of PERCENTILE_STYLES) {
    for (const run of segments) {
      if (run.length > 1)
        parts.push(
          `<polyline fill="none" stroke="${style.color}" stroke-width="${style.key === 'p50' ? 2.2 : 1.6}" stroke-linejoin="round" points="${run.map((p) => `${x(p.t)},${y(p[style.key])}`).join(' ')}"/>`,
        );
      for (const p of run.length === 1 ? run : []) parts.push(`<circle cx="${x(p.t)}" cy="${y(p[style.key])}" r="2.5" fill="${style.color}"/>`);
    }
  }
  // Invisible hover targets, one per bucket, with all four values.
  const slot = Math.max(4, (bucketMs / (toMs - fromMs)) * innerWidth);
  for (const p of visible) {
    const tip = `${clockTime(p.t)} · ${p.count} values\n${PERCENTILE_STYLES.map((s) => `${s.label} ${formatValue(p[s.key], unit)}`).join('\n')}`;
    parts.push(`<rect class="hover" x="${x(p.t) - slot / 2}" y="${pad.top}" width="${slot}" height="${innerHeight}"><title>${escapeHtml(tip)}</title></rect>`);
  }
  if (!visible.length) parts.push(`<text class="empty" x="${pad.left + innerWidth / 2}" y="${pad.top + innerHeight / 2}" text-anchor="middle">no data in this window</text>`);
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join('')}</svg>`;
}

/** One bar per time bucket (a counter's per-interval totals). */
export function sparkBars(points, { width, height, fromMs, toMs, bucketMs, color, unit }) {
  const visible = points.filter((p) => p.t >= fromMs - bucketMs && p.t <= toMs);
  const max = Math.max(...visible.map((p) => p.value), 0) || 1;
  const barWidth = Math.max(1.5, (bucketMs / (toMs - fromMs)) * width - 1);
  const bars = visible.map((p) => {
    const h = Math.max(1.5, (p.value / max) * (height - 2));
    const x = ((p.t - fromMs) / (toMs - fromMs)) * width;
    return `<rect x="${x.toFixed(1)}" y="${(height - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" rx="1" fill="${color}"><title>${escapeHtml(`${clockTime(p.t)}: ${formatValue(p.value, unit)}`)}</title></rect>`;
  });
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none"><line class="baseline" vector-effect="non-scaling-stroke" x1="0" x2="${width}" y1="${height - 0.5}" y2="${height - 0.5}"/>${bars.join('')}</svg>`;
}

/** A step line of a gauge's values over time. */
export function sparkLine(points, { width, height, fromMs, toMs, color }) {
  const visible = points.filter((p) => p.t >= fromMs && p.t <= toMs);
  if (!visible.length) return `<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none"></svg>`;
  const values = visible.map((p) => p.value);
  const low = Math.min(...values, 0);
  const high = Math.max(...values, 1);
  const x = (t) => ((t - fromMs) / (toMs - fromMs)) * width;
  const y = (v) => height - 2 - ((v - low) / (high - low || 1)) * (height - 4);
  let path = `M${x(visible[0].t)},${y(visible[0].value)}`;
  for (let i = 1; i < visible.length; i++) path += ` H${x(visible[i].t)} V${y(visible[i].value)}`;
  path += ` H${x(toMs)}`;
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none"><path d="${path}" fill="none" stroke="${color}" stroke-width="1.8" vector-effect="non-scaling-stroke"/></svg>`;
}
