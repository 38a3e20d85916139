/**
 * The shop UI both browser demos share. Each variant brings its own isometer (the script tag's
 * `window.Isometer`, or the bundler's `import … from 'isometer/browser'`) and passes in the few
 * functions used here, so this file imports nothing from isometer itself.
 *
 * What it records, besides the automatic page load, requests and web vitals:
 *   cart.add         counter       attribute `plan`          (Add to cart)
 *   cart.size        gauge         items in the cart
 *   ui.render_time   distribution  ms, attribute `view`      (each view render)
 *   ui.navigation    counter       attributes `from`, `to`   (pushState navigation)
 *   ui.task_time     distribution  ms                        (the Workbench span)
 *   search.submit, checkout.submit counters with `outcome`
 *
 * Test hooks: `data-testid` on every control and display, and `window.demo`.
 */
import { readDemoConfig, rateFromLocation } from './config.js';
import { busyWork, byTestId, formatPrice, lognormal } from './dom.js';
import { createShopClient } from './shop-client.js';
import { activityHtml, cartHtml, ordersHtml, productsHtml, searchResultsHtml, shellHtml, VIEWS } from './views.js';

const SEARCH_TERMS = ['gauge', 'kit', 'rack', 'pro', 'probe', 'humidity', 'flow', 'team', 'sensor', 'xyz'];

/**
 * @param {{ metrics, startSpan, startInactiveSpan, withActiveSpan, flush, getPageLoadSpan, getDroppedCounts }} isometer
 * @param {{ variant: 'script-tag' | 'bundled', label: string, otlpAvailable: boolean }} options
 */
export function startDemo(isometer, { variant, label, otlpAvailable }) {
  const root = document.getElementById('app');
  root.innerHTML = shellHtml({ variant, label, rate: rateFromLocation() });
  const $ = (id) => byTestId(root, id);
  const { metrics } = isometer;
  const state = { view: viewFromPath(variant), products: [], cart: new Map(), activity: [], orders: undefined };
  const shop = createShopClient(isometer, (entry) => {
    state.activity.unshift(entry);
    state.activity.length = Math.min(state.activity.length, 12);
    $('activity-log').innerHTML = activityHtml(state.activity);
  });

  if (!otlpAvailable) {
    const warning = $('isometer-warning');
    warning.hidden = false;
    warning.textContent = 'This build of isometer.min.js has no Isometer.otlpExporter: the page records, but its data does not reach the demo collector.';
  }

  // ---- the page's trace ----
  const pageTrace = () => {
    const span = isometer.getPageLoadSpan?.();
    if (span) return { traceId: span.traceId, sampled: span.sampled, sampleRate: span.sampleRate };
    // Before init (or without tracing): what the server rendered.
    const meta = document.querySelector('meta[name="sentry-trace"]')?.getAttribute('content') ?? '';
    const [traceId, , flag] = meta.split('-');
    return { traceId: traceId || undefined, sampled: flag === '1' ? true : flag === '0' ? false : undefined, sampleRate: undefined };
  };
  const showTrace = () => {
    const trace = pageTrace();
    $('trace-id').textContent = trace.traceId ?? 'none';
    const decision = $('trace-decision');
    decision.textContent = trace.sampled === true ? 'sampled' : trace.sampled === false ? 'not sampled' : 'deferred';
    decision.dataset.sampled = String(trace.sampled);
    decision.className = `pill ${trace.sampled === true ? 'pill-on' : 'pill-off'}`;
    $('trace-sample-rate').textContent = trace.sampleRate ?? '—';
  };

  // ---- views ----
  const render = (view) =>
    isometer.startSpan({ name: `render ${view}`, op: 'ui.render', attributes: { view } }, () => {
      const started = performance.now();
      for (const panel of root.querySelectorAll('[data-view-panel]')) panel.hidden = panel.dataset.viewPanel !== view;
      for (const link of root.querySelectorAll('[data-view]')) link.classList.toggle('active', link.dataset.view === view);
      if (view === 'shop') $('product-list').innerHTML = state.products.length ? productsHtml(state.products) : '<p class="muted">Loading…</p>';
      if (view === 'cart') renderCart();
      if (view === 'orders') $('orders-list').innerHTML = ordersHtml(state.orders);
      // Stand-in for a framework's render cost, so ui.render_time has a shape to chart.
      busyWork(lognormal(view === 'shop' ? 6 : 3, 0.5));
      metrics.distribution('ui.render_time', performance.now() - started, { unit: 'millisecond', attributes: { view } });
    });

  const renderCart = () => {
    const lines = [...state.cart.values()];
    $('cart-items').innerHTML = cartHtml(lines);
    $('cart-total').textContent = lines.length ? `Total ${formatPrice(lines.reduce((sum, l) => sum + l.product.priceCents * l.quantity, 0))}` : '';
    $('checkout-submit').disabled = lines.length === 0;
  };

  const cartSize = () => [...state.cart.values()].reduce((sum, line) => sum + line.quantity, 0);
  const cartChanged = () => {
    $('cart-count').textContent = String(cartSize());
    metrics.gauge('cart.size', cartSize(), { unit: 'item' });
    if (state.view === 'cart') renderCart();
  };

  const navigate = (to, { push = true } = {}) => {
    if (!VIEWS.includes(to) || to === state.view) return;
    const from = state.view;
    isometer.startSpan({ name: `/${variant}/${to}`, op: 'navigation', attributes: { from, to } }, () => {
      metrics.count('ui.navigation', 1, { attributes: { from, to } });
      if (push) history.pushState({ view: to }, '', `${pathFor(variant, to)}${location.search}`);
      state.view = to;
      render(to);
    });
    if (to === 'orders') void loadOrders();
  };

  // ---- actions ----
  const loadProducts = async ({ retry = false } = {}) => {
    let result = await shop.loadProducts();
    // A shop retries its first catalogue load once, as real ones do; clicks are not retried.
    if (!result.ok && retry) result = await new Promise((resolve) => setTimeout(resolve, 300)).then(() => shop.loadProducts());
    if (result.ok) state.products = result.body.products ?? [];
    // A banner that shows up late and pushes the page down: the classic layout shift, so
    // web_vitals.cls has something to report.
    if (result.ok) setTimeout(() => ($('promo-banner').hidden = false), 250);
    if (state.view === 'shop') {
      if (result.ok) render('shop');
      else
        $('product-list').innerHTML = `<p class="error">Could not load products (${result.status || 'network'}). <button type="button" class="ghost" data-testid="products-retry">Retry</button></p>`;
    }
    return result;
  };

  const loadOrders = async () => {
    state.orders = await shop.loadOrders();
    if (state.view === 'orders') $('orders-list').innerHTML = ordersHtml(state.orders);
  };

  const addToCart = (id) => {
    const product = state.products.find((p) => p.id === id);
    if (!product) return;
    isometer.startSpan({ name: 'add to cart', op: 'ui.action', attributes: { 'product.id': id } }, () => {
      const line = state.cart.get(id) ?? { product, quantity: 0 };
      line.quantity++;
      state.cart.set(id, line);
      metrics.count('cart.add', 1, { attributes: { plan: product.plan } });
      cartChanged();
    });
  };

  const checkout = async () => {
    const items = [...state.cart.values()].map((line) => ({ id: line.product.id, quantity: line.quantity }));
    if (!items.length) return;
    $('checkout-submit').disabled = true;
    $('checkout-result').textContent = 'Placing the order…';
    const result = await shop.checkout(items);
    const out = $('checkout-result');
    out.className = `result ${result.ok ? 'ok' : 'error'}`;
    if (result.ok) {
      out.textContent = `Order #${result.body.order.id} placed: ${formatPrice(result.body.order.amountCents)}.`;
      state.cart.clear();
      cartChanged();
    } else {
      out.textContent = `Checkout failed (${result.status || 'network'}): ${result.body.error ?? 'unknown error'}. Try again.`;
    }
    renderCart();
    return result;
  };

  const search = async (q) => {
    const result = await shop.search(q);
    $('search-results').innerHTML = searchResultsHtml(q, result);
    return result;
  };

  /** The Workbench: one span with CPU work, a nested span, and a request, as a span tree. */
  const computeRecommendations = () =>
    isometer.startSpan({ name: 'compute recommendations', op: 'ui.task' }, async () => {
      const started = performance.now();
      const request = shop.request('GET', '/api/search?q=pro');
      isometer.startSpan({ name: 'score products', op: 'function' }, () => busyWork(lognormal(25, 0.4)));
      isometer.startSpan({ name: 'rank products', op: 'function' }, () => busyWork(lognormal(8, 0.4)));
      metrics.distribution('ui.task_time', performance.now() - started, { unit: 'millisecond', attributes: { task: 'recommendations' } });
      const result = await request;
      const names = (result.body.results ?? []).slice(0, 3).map((p) => p.name);
      $('work-result').textContent = result.ok ? `Recommended: ${names.join(', ') || 'nothing yet'}` : `The search behind it failed (${result.status}).`;
      return result;
    });

  /** Twenty mixed calls, three at a time: fills the viewer quickly. */
  const generateTraffic = async () => {
    const calls = [];
    for (let i = 0; i < 20; i++) {
      const roll = Math.random();
      if (roll < 0.3) calls.push(() => shop.loadProducts());
      else if (roll < 0.6) calls.push(() => shop.search(SEARCH_TERMS[Math.floor(Math.random() * SEARCH_TERMS.length)]));
      else if (roll < 0.8) calls.push(() => shop.loadOrders());
      else if (state.products.length) {
        const product = state.products[Math.floor(Math.random() * state.products.length)];
        calls.push(() => shop.checkout([{ id: product.id, quantity: 1 + Math.floor(Math.random() * 3) }]));
      }
    }
    $('traffic-result').textContent = `Running ${calls.length} calls…`;
    let failed = 0;
    const worker = async () => {
      for (let call = calls.shift(); call; call = calls.shift()) if (!(await call()).ok) failed++;
    };
    const total = calls.length;
    await Promise.all([worker(), worker(), worker()]);
    $('traffic-result').textContent = `${total} calls, ${failed} failed.`;
    return { total, failed };
  };

  // ---- wiring ----
  for (const link of root.querySelectorAll('[data-view]')) {
    link.setAttribute('href', `${pathFor(variant, link.dataset.view)}${location.search}`);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      navigate(link.dataset.view);
    });
  }
  addEventListener('popstate', () => navigate(viewFromPath(variant), { push: false }));
  root.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : undefined;
    if (target?.closest('[data-add]')) addToCart(target.closest('[data-add]').dataset.add);
    if (target?.closest('[data-remove]')) {
      state.cart.delete(target.closest('[data-remove]').dataset.remove);
      cartChanged();
    }
    if (target?.closest('[data-testid="products-retry"]')) void loadProducts();
  });
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = $('search-input').value.trim();
    if (q) void search(q);
  });
  $('products-reload').addEventListener('click', () => void loadProducts());
  $('orders-reload').addEventListener('click', () => void loadOrders());
  $('checkout-submit').addEventListener('click', () => void checkout());
  $('work-span').addEventListener('click', () => void computeRecommendations());
  $('traffic-burst').addEventListener('click', () => void generateTraffic());
  $('flush-now').addEventListener('click', async () => {
    const ok = await isometer.flush();
    $('flush-result').textContent = ok ? `flushed ${new Date().toLocaleTimeString()}` : 'flush failed';
  });

  render(state.view);
  cartChanged();
  showTrace();
  // The page-load span's decision is final once init ran; shown again in case it was not yet.
  addEventListener('load', showTrace, { once: true });
  const ready = Promise.all([loadProducts({ retry: true }), state.view === 'orders' ? loadOrders() : undefined]);

  window.demo = {
    variant,
    config: readDemoConfig(),
    /** Sends everything isometer holds now; resolves to true when every exporter took it. */
    flush: (timeoutMs) => isometer.flush(timeoutMs),
    traceId: () => pageTrace().traceId,
    sampled: () => pageTrace().sampled,
    sampleRate: () => pageTrace().sampleRate,
    /** isometer's drop counts by reason (`getDroppedCounts()`): what never left the page, and why. */
    droppedCounts: () => isometer.getDroppedCounts?.() ?? {},
    /** Resolves once the first products (and orders, on /orders) have loaded or failed. */
    ready,
    navigate,
    addToCart,
    checkout,
    search,
    computeRecommendations,
    generateTraffic,
  };
}

function pathFor(variant, view) {
  return view === 'shop' ? `/${variant}/` : `/${variant}/${view}`;
}

function viewFromPath(variant) {
  const rest = location.pathname.slice(`/${variant}`.length).replace(/^\/|\/$/g, '');
  return VIEWS.includes(rest) ? rest : 'shop';
}
