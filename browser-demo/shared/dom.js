/** Small DOM and formatting helpers for the shop UI. */

/** `&` `<` `>` `"` `'` escaped for HTML text and attributes. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** The element with `data-testid="id"` inside `root`. */
export function byTestId(root, id) {
  return root.querySelector(`[data-testid="${id}"]`);
}

export function formatPrice(cents) {
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A log-normal draw around `medianMs` (UI work is long-tailed too). */
export function lognormal(medianMs, spread = 0.5) {
  const u = 1 - Math.random();
  const v = Math.random();
  return medianMs * Math.exp(spread * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/**
 * Keeps the main thread busy for about `ms`: the demo's stand-in for real rendering or
 * computation, so the client-side timings have something to measure.
 */
export function busyWork(ms) {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}
