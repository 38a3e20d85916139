/** Number, time and attribute formatting for the dashboard. */

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** 0.42 ms, 12.3 ms, 480 ms, 1.25 s, 2.1 min. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** 950, 1.2k, 34k, 1.5M; small values keep their decimals. */
export function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value));
  if (abs >= 1) return value.toFixed(1).replace(/\.0$/, '');
  return value.toPrecision(2);
}

/** A value in its metric's unit. */
export function formatValue(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'millisecond' || unit === 'ms') return formatDuration(value);
  if (unit === 'second' || unit === 's') return formatDuration(value * 1000);
  if (unit === 'usd') return `$${value.toFixed(value >= 100 ? 0 : 2)}`;
  if (unit === 'byte' || unit === 'By') return `${formatNumber(value)} B`;
  return formatNumber(value);
}

/** Short unit label for chart titles. */
export function unitLabel(unit) {
  if (!unit || unit === '1') return '';
  return { millisecond: 'ms', ms: 'ms', second: 's', s: 's', usd: 'USD', item: 'items', '{item}': 'items' }[unit] ?? unit;
}

/** `plan=pro · view=shop` (values only for well-known keys would hide too much). */
export function formatAttributes(attributes, limit = 4) {
  const entries = Object.entries(attributes ?? {});
  if (!entries.length) return '';
  const shown = entries.slice(0, limit).map(([key, value]) => `${key}=${value}`);
  return shown.join(' · ') + (entries.length > limit ? ` · +${entries.length - limit}` : '');
}

/** "12:04:31". */
export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "3 s ago", "2 min ago". */
export function ago(ms, nowMs) {
  const seconds = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

/** Axis-friendly step: 1, 2 or 5 × 10^n, giving about `ticks` intervals over `span`. */
export function niceStep(span, ticks = 4) {
  if (!(span > 0)) return 1;
  const raw = span / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}
