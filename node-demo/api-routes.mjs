/**
 * The shop's API. Every route does pretend database/cache/upstream work through isometer's
 * recorders, inside the `http.server` span isometer started for the request (continued from the
 * page's `sentry-trace`/`baggage` headers), so page, API and upstream are one trace.
 *
 *   GET  /api/products        cache lookup, database query on a miss
 *   GET  /api/search?q=       full-text query; `search.results` distribution
 *   POST /api/checkout        order insert + a real HTTP call to /upstream/payments
 *   GET  /api/orders          the latest orders
 *   POST /upstream/payments   the "payment provider" (its own http.server span, same trace)
 */
import http from 'node:http';
import { metrics, recordApiCall, startSpan } from 'isometer/node';
import { findProduct, PRODUCTS, searchProducts } from './catalog.mjs';
import { HttpError, readJson, sendJson } from './http-helpers.mjs';
import { createCache, failure, failureChance, latencyMs, query } from './simulated-backend.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const MAX_ORDERS = 50;

/**
 * @param {{ origin: () => string, nameRoute: (req, route: string) => void }} options
 *   `origin` is the server's own base URL (for the upstream call); `nameRoute` names the
 *   request's span and `http.route` after the matched route.
 */
export function createApiRoutes({ origin, nameRoute }) {
  const productCache = createCache('products', 5_000);
  const orders = [];
  let nextOrder = 1001;

  const routes = {
    'GET /api/products': async (req, res) => {
      let products = await productCache.get('all');
      const cache = products ? 'hit' : 'miss';
      if (!products) {
        products = await query('select', 'products', { medianMs: 14, rows: () => PRODUCTS });
        await productCache.set('all', products);
      }
      sendJson(res, 200, { products, cache });
    },

    'GET /api/search': async (req, res, url) => {
      const q = (url.searchParams.get('q') ?? '').slice(0, 100);
      const results = await query('select', 'products_search', { medianMs: 18 + q.length * 2, spread: 0.7, rows: () => searchProducts(q) });
      metrics.distribution('search.results', results.length, { attributes: { empty: results.length === 0 } });
      sendJson(res, 200, { q, results });
    },

    'POST /api/checkout': async (req, res) => {
      const body = await readJson(req, 64 * 1024);
      const lines = (Array.isArray(body.items) ? body.items : [])
        .map((item) => ({ product: findProduct(item?.id), quantity: Math.max(1, Math.min(99, Math.floor(Number(item?.quantity) || 1))) }))
        .filter((line) => line.product);
      if (lines.length === 0) throw new HttpError(400, 'the cart is empty');
      const amountCents = lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0);
      const plan = lines.some((line) => line.product.plan === 'team') ? 'team' : lines.some((line) => line.product.plan === 'pro') ? 'pro' : 'hobby';
      const id = nextOrder++;
      await query('insert', 'orders', { medianMs: 16 });
      const payment = await callPayments({ orderId: id, amountCents });
      if (payment.status !== 200) {
        metrics.count('checkout.failed', 1, { attributes: { reason: payment.status === 402 ? 'declined' : 'payment_unavailable', plan } });
        await query('update', 'orders', { medianMs: 8, failureRate: 0.01 });
        const status = payment.status === 402 ? 402 : 502;
        sendJson(res, status, { error: payment.status === 402 ? 'the payment was declined' : 'the payment provider is unavailable', orderId: id });
        return;
      }
      await query('update', 'orders', { medianMs: 8, failureRate: 0.01 });
      const order = { id, amountCents, plan, items: lines.map((line) => ({ id: line.product.id, name: line.product.name, quantity: line.quantity })), createdAt: new Date().toISOString() };
      orders.push(order);
      if (orders.length > MAX_ORDERS) orders.shift();
      metrics.count('checkout.completed', 1, { attributes: { plan } });
      metrics.distribution('checkout.order_value', amountCents / 100, { unit: 'usd', attributes: { plan } });
      sendJson(res, 200, { order });
    },

    'GET /api/orders': async (req, res) => {
      const latest = await query('select', 'orders', { medianMs: 10, rows: () => orders.slice(-20).reverse() });
      sendJson(res, 200, { orders: latest });
    },

    'POST /upstream/payments': async (req, res) => {
      const body = await readJson(req, 16 * 1024);
      await startSpan({ name: 'fraud score', op: 'function', attributes: { 'payment.amount_cents': Number(body.amountCents) || 0 } }, () => sleep(latencyMs(9, 0.4)));
      await startSpan({ name: 'authorize card', op: 'payment.authorize' }, () => sleep(latencyMs(70, 0.5)));
      const outcome = failureChance(0.03) ? 'unavailable' : failureChance(0.05) ? 'declined' : 'approved';
      metrics.count('payments.processed', 1, { attributes: { outcome } });
      if (outcome === 'approved') sendJson(res, 200, { status: 'approved', orderId: body.orderId });
      else if (outcome === 'declined') sendJson(res, 402, { status: 'declined', orderId: body.orderId });
      else sendJson(res, 503, { error: 'payment provider overloaded' });
    },
  };

  /**
   * The payment provider over real HTTP (to this server's own /upstream/payments): isometer's
   * `http.request` instrumentation adds an `http.client` span and the trace headers, so the
   * provider continues the trace server → server. Recorded as `api.call.*`.
   */
  function callPayments(payload) {
    const body = JSON.stringify(payload);
    const started = performance.now();
    return new Promise((resolve) => {
      const request = http.request(`${origin()}/upstream/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on('end', () => {
          recordApiCall({ service: 'payments', endpoint: '/upstream/payments', method: 'POST', statusCode: response.statusCode, durationMs: performance.now() - started });
          resolve({ status: response.statusCode });
        });
      });
      request.on('error', (error) => {
        recordApiCall({ service: 'payments', endpoint: '/upstream/payments', method: 'POST', durationMs: performance.now() - started, errorType: error.code ?? 'network' });
        resolve({ status: 0 });
      });
      request.setTimeout(5_000, () => request.destroy(failure('TimeoutError', 'payments timed out')));
      request.end(body);
    });
  }

  /** Answers an API route; false when the path is not one. */
  async function handle(req, res, url) {
    const route = `${req.method} ${url.pathname}`;
    const handler = routes[route];
    if (!handler) return false;
    nameRoute(req, url.pathname);
    try {
      await handler(req, res, url);
    } catch (error) {
      if (res.headersSent) return true;
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      // The simulated database failed: the recorders counted it as db.failures already.
      else sendJson(res, 503, { error: `${error.name}: ${error.message}` });
    }
    return true;
  }

  return { handle, routeNames: Object.keys(routes) };
}
