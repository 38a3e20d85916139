/**
 * What the server rendered into the page (`<script id="demo-config">`) and what the URL says.
 * Shared by both variants; it imports nothing from isometer.
 */

/** `{ variant, view, rate, dsn?, environment? }` as the server rendered it; `{}` without a server. */
export function readDemoConfig() {
  try {
    return JSON.parse(document.getElementById('demo-config')?.textContent || '{}');
  } catch {
    return {};
  }
}

/** `?rate=` as a number in [0, 1]; 1 when absent or not one. The server samples the page's trace with the same rate. */
export function rateFromLocation() {
  const raw = new URLSearchParams(location.search).get('rate');
  const rate = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return rate >= 0 && rate <= 1 ? rate : 1;
}
