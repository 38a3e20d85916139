/**
 * The page's calls to the shop API. Each user action is a `ui.action` span; the `fetch` it makes
 * starts inside it (isometer then adds an `http.client` span and the `sentry-trace`/`baggage`
 * headers, so the server continues the page's trace), and the metrics recorded for it are
 * recorded inside it too, so they carry the trace as their exemplar.
 *
 * Browsers have no async context: a span is active only during the synchronous part of a
 * callback, so the code below re-enters the span (`withActiveSpan`) after each `await`.
 */

/**
 * @param {object} isometer `{ metrics, startSpan, startInactiveSpan, withActiveSpan }`
 * @param {(entry: object) => void} log receives one entry per finished request
 */
export function createShopClient(isometer, log) {
  /** One request, timed and logged; resolves to `{ ok, status, body, ms }`, never rejects. */
  async function request(method, path, body) {
    const started = performance.now();
    let response;
    try {
      response = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : undefined, body: body ? JSON.stringify(body) : undefined });
    } catch (error) {
      const entry = { method, path, status: 0, ms: performance.now() - started, note: 'network error' };
      log(entry);
      return { ok: false, status: 0, body: { error: String(error) }, ms: entry.ms };
    }
    let parsed = {};
    try {
      parsed = await response.json();
    } catch {
      // A non-JSON error page; the status says enough.
    }
    const ms = performance.now() - started;
    log({ method, path, status: response.status, ms, note: parsed.cache ? `cache ${parsed.cache}` : (parsed.error ?? '') });
    return { ok: response.ok, status: response.status, body: parsed, ms };
  }

  /**
   * Runs `work(span)` as a `ui.action` span that stays open until the returned promise settles.
   * `work` must start its fetch synchronously (before any await) to parent it to the span.
   */
  async function action(name, attributes, work) {
    const span = isometer.startInactiveSpan({ name, op: 'ui.action', attributes });
    try {
      const result = await isometer.withActiveSpan(span, () => work(span));
      if (result && result.ok === false) span.setStatus('error', result.status ? `HTTP ${result.status}` : 'network error');
      return result;
    } finally {
      span.end();
    }
  }

  /** Records inside `span`, so the points link to the action's trace. */
  function recordIn(span, fn) {
    return isometer.withActiveSpan(span, fn);
  }

  return {
    loadProducts: () => action('load products', {}, () => request('GET', '/api/products')),

    search: (q) =>
      action('search', { 'search.length': q.length }, async (span) => {
        const result = await request('GET', `/api/search?q=${encodeURIComponent(q)}`);
        recordIn(span, () => isometer.metrics.count('search.submit', 1, { attributes: { outcome: result.ok ? 'ok' : 'error' } }));
        return result;
      }),

    checkout: (items) =>
      action('checkout', { 'cart.lines': items.length }, async (span) => {
        const result = await request('POST', '/api/checkout', { items });
        const outcome = result.ok ? 'completed' : result.status === 402 ? 'declined' : 'failed';
        recordIn(span, () => isometer.metrics.count('checkout.submit', 1, { attributes: { outcome } }));
        return result;
      }),

    loadOrders: () => action('load orders', {}, () => request('GET', '/api/orders')),

    request,
  };
}
