/** The shop's markup: the shell and the three views (Shop, Cart, Orders). Pure functions of state. */
import { escapeHtml, formatPrice } from './dom.js';

export const VIEWS = ['shop', 'cart', 'orders'];

/** The page shell; views and dynamic parts are filled in by app.js. */
export function shellHtml({ variant, label, rate }) {
  const link = (view, text) => `<a href="/${variant}/${view === 'shop' ? '' : view}" data-view="${view}" data-testid="nav-${view}">${text}</a>`;
  return `
    <header class="topbar">
      <div class="brand"><span class="logo">◆</span> isometer shop <span class="variant" data-testid="variant">${escapeHtml(label)}</span></div>
      <nav class="nav">${link('shop', 'Shop')}${link('cart', 'Cart <span class="badge" data-testid="cart-count">0</span>')}${link('orders', 'Orders')}</nav>
      <a class="dashboard-link" href="/viewer" target="_blank" rel="noopener" data-testid="dashboard-link">Viewer ↗</a>
    </header>
    <section class="trace-strip" aria-label="This page's trace">
      <span class="label">trace</span> <code data-testid="trace-id">…</code>
      <span class="pill" data-testid="trace-decision">…</span>
      <span class="label">rate</span> <span data-testid="trace-sample-rate">…</span>
      <span class="label">page ?rate=</span> <span data-testid="page-rate">${escapeHtml(rate)}</span>
      <span class="spacer"></span>
      <button type="button" class="ghost" data-testid="flush-now">Flush now</button>
      <span class="muted" data-testid="flush-result"></span>
    </section>
    <div class="warning" data-testid="isometer-warning" hidden></div>
    <div class="layout">
      <main>
        <section class="view" data-testid="view-shop" data-view-panel="shop">
          <div class="promo" data-testid="promo-banner" hidden>Free shipping on every kit this week.</div>
          <form class="search" data-testid="search-form">
            <input type="search" placeholder="Search gauges, kits, racks…" data-testid="search-input" aria-label="Search">
            <button type="submit" data-testid="search-submit">Search</button>
          </form>
          <div class="search-results" data-testid="search-results"></div>
          <div class="section-head"><h2>Products</h2><button type="button" class="ghost" data-testid="products-reload">Reload</button></div>
          <div class="products" data-testid="product-list"><p class="muted">Loading…</p></div>
        </section>
        <section class="view" data-testid="view-cart" data-view-panel="cart" hidden>
          <h2>Cart</h2>
          <div data-testid="cart-items"></div>
          <div class="checkout-row">
            <span class="total" data-testid="cart-total"></span>
            <button type="button" class="primary" data-testid="checkout-submit">Check out</button>
          </div>
          <p class="result" data-testid="checkout-result"></p>
        </section>
        <section class="view" data-testid="view-orders" data-view-panel="orders" hidden>
          <div class="section-head"><h2>Orders</h2><button type="button" class="ghost" data-testid="orders-reload">Reload</button></div>
          <div data-testid="orders-list"></div>
        </section>
      </main>
      <aside class="side">
        <h3>Workbench</h3>
        <button type="button" data-testid="work-span">Compute recommendations</button>
        <p class="muted small">Runs inside <code>startSpan</code>: CPU work plus a search request, one span tree.</p>
        <p class="result" data-testid="work-result"></p>
        <button type="button" data-testid="traffic-burst">Generate traffic</button>
        <p class="muted small">Twenty mixed API calls, a few at a time.</p>
        <p class="result" data-testid="traffic-result"></p>
        <h3>Activity</h3>
        <ol class="activity" data-testid="activity-log"></ol>
      </aside>
    </div>`;
}

export function productsHtml(products) {
  if (!products.length) return '<p class="muted">No products.</p>';
  return products
    .map(
      (p) => `
      <article class="product" data-testid="product-card-${escapeHtml(p.id)}">
        <div class="product-head"><h4>${escapeHtml(p.name)}</h4><span class="plan plan-${escapeHtml(p.plan)}">${escapeHtml(p.plan)}</span></div>
        <p class="muted">${escapeHtml(p.blurb)}</p>
        <div class="product-foot"><strong>${formatPrice(p.priceCents)}</strong>
          <button type="button" data-add="${escapeHtml(p.id)}" data-testid="add-to-cart-${escapeHtml(p.id)}">Add to cart</button></div>
      </article>`,
    )
    .join('');
}

export function searchResultsHtml(q, result) {
  if (!result) return '';
  if (!result.ok) return `<p class="error">Search failed (${result.status || 'network'}): ${escapeHtml(result.body.error ?? '')}</p>`;
  const hits = result.body.results ?? [];
  if (!hits.length) return `<p class="muted">No results for “${escapeHtml(q)}”.</p>`;
  return `<p class="muted">${hits.length} result${hits.length === 1 ? '' : 's'} for “${escapeHtml(q)}”: ${hits.map((p) => escapeHtml(p.name)).join(', ')}</p>`;
}

export function cartHtml(lines) {
  if (!lines.length) return '<p class="muted">Your cart is empty. Add something from the shop.</p>';
  return `<table class="cart"><tbody>${lines
    .map(
      (line) => `<tr data-testid="cart-line-${escapeHtml(line.product.id)}">
        <td>${escapeHtml(line.product.name)}</td><td class="num">× ${line.quantity}</td>
        <td class="num">${formatPrice(line.product.priceCents * line.quantity)}</td>
        <td class="num"><button type="button" class="ghost small" data-remove="${escapeHtml(line.product.id)}" data-testid="remove-from-cart-${escapeHtml(line.product.id)}">Remove</button></td></tr>`,
    )
    .join('')}</tbody></table>`;
}

export function ordersHtml(result) {
  if (!result) return '<p class="muted">Loading…</p>';
  if (!result.ok) return `<p class="error">Could not load orders (${result.status || 'network'}).</p>`;
  const orders = result.body.orders ?? [];
  if (!orders.length) return '<p class="muted">No orders yet.</p>';
  return `<ul class="orders">${orders
    .map(
      (o) =>
        `<li><strong>#${o.id}</strong> · ${formatPrice(o.amountCents)} · <span class="plan plan-${escapeHtml(o.plan)}">${escapeHtml(o.plan)}</span> · ${o.items.map((i) => `${escapeHtml(i.name)} × ${i.quantity}`).join(', ')}</li>`,
    )
    .join('')}</ul>`;
}

export function activityHtml(entries) {
  return entries
    .map(
      (e) =>
        `<li class="${e.status >= 200 && e.status < 400 ? 'ok' : 'bad'}"><code>${e.method} ${escapeHtml(e.path)}</code> <b>${e.status || 'ERR'}</b> ${Math.round(e.ms)} ms ${e.note ? `<span class="muted">${escapeHtml(e.note)}</span>` : ''}</li>`,
    )
    .join('');
}
