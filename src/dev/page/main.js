/**
 * The viewer's page: reads GET /api/state?view=page (with the service and attribute filters)
 * whenever the event stream (GET /api/events) says something changed, and draws counters,
 * gauges, distribution percentiles and traces. Polls every 5 s as well, in case the stream drops.
 */
import { percentileChart, PERCENTILE_STYLES, sparkBars, sparkLine } from './charts.js';
import { ago, escapeHtml, formatAttributes, formatNumber, formatValue, unitLabel } from './format.js';
import { tracesHtml } from './traces-view.js';

const ORIGIN_COLORS = { browser: '#a78bfa', server: '#2dd4bf' };
/** Charts people look for first; the rest follow alphabetically. */
const PRIORITY = [
  'http.server.request.duration',
  'http.server.duration',
  'span.duration',
  'ui.render_time',
  'db.operation.duration',
  'api.call.duration',
  'cache.operation.duration',
  'web_vitals.lcp',
  'web_vitals.inp',
  'web_vitals.cls',
  'web_vitals.fcp',
  'web_vitals.ttfb',
];

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const view = { windowMs: 0, service: '', attribute: '', expanded: new Set(), showAll: new Set(), userChose: false, traceLimit: 20 };
let state;
let inFlight = false;
let again = false;

async function refresh() {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  try {
    const query = new URLSearchParams({ view: 'page' });
    if (view.service) query.set('service', view.service);
    if (view.attribute) query.set('attribute', view.attribute);
    const response = await fetch(`/api/state?${query}`, { cache: 'no-store' });
    state = await response.json();
    render();
    setLive(true);
  } catch {
    setLive(false);
  } finally {
    inFlight = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

function setLive(live) {
  const status = $('live-status');
  status.classList.toggle('down', !live);
  status.querySelector('.status-text').textContent = live && state ? `live · updated ${new Date(state.nowMs).toLocaleTimeString([], { hour12: false })}` : 'reconnecting…';
}

/** The side a chart's series came from: page or server. */
const originTag = (chart) => `<span class="origin ${chart.origin}">${chart.origin === 'browser' ? 'page' : 'server'}</span>`;
/** The services and SDKs that sent a chart's series, on a line of its own under the name. */
const senders = (chart) => `<div class="senders muted" title="${escapeHtml(`SDKs: ${chart.sdks.join(', ')}`)}">${escapeHtml(chart.services.join(', '))} · ${escapeHtml(chart.sdks.join(', '))}</div>`;
const rank = (name) => {
  const index = PRIORITY.indexOf(name);
  return index === -1 ? PRIORITY.length : index;
};

/**
 * Replaces an element's content only when it changed, so an unchanged section keeps its DOM
 * (hover, text selection, and elements a test holds on to).
 */
const rendered = new WeakMap();
function setHtml(element, html) {
  if (rendered.get(element) === html) return;
  element.innerHTML = html;
  rendered.set(element, html);
}

/** The charts' time range: the chosen window, or (auto) from the first data point, 1 to 10 minutes. */
function timeRange() {
  const toMs = state.nowMs;
  if (view.windowMs > 0) return { fromMs: toMs - view.windowMs, toMs };
  const { counters, distributions, gauges } = state.charts;
  const firsts = [...counters, ...distributions].map((c) => c.points[0]?.t).concat(gauges.flatMap((g) => g.series.map((s) => s.points[0]?.t)));
  const first = Math.min(...firsts.filter(Number.isFinite), toMs);
  const span = Math.min(600_000, Math.max(60_000, toMs - first + state.charts.bucketMs * 2));
  return { fromMs: toMs - span, toMs };
}

/** What an empty section says: nothing yet, or nothing that matches the filter. */
function emptyState(kind) {
  return `<p class="muted empty-state">${view.service || view.attribute ? `No ${kind} match the filter.` : `No ${kind} yet.`}</p>`;
}

function spanLabel(ms) {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

function render() {
  const { fromMs, toMs } = timeRange();
  const bucketMs = state.charts.bucketMs;
  renderStats();

  const counters = state.charts.counters;
  setHtml(
    $('counters'),
    counters.length
      ? counters
          .map((c) => {
            const inWindow = c.points.filter((p) => p.t >= fromMs).reduce((sum, p) => sum + p.value, 0);
            const rows = c.breakdown.slice(0, 3).map((b) => `<li><span>${escapeHtml(formatAttributes(b.attributes, 3) || '(no attributes)')}</span><b>${formatNumber(b.total)}</b></li>`);
            return `<div class="card counter" data-testid="counter-${c.origin}-${escapeHtml(c.name)}">
            <div class="card-head"><span class="metric-name">${escapeHtml(c.name)}</span>${originTag(c)}</div>${senders(c)}
            <div class="big">${formatValue(c.total, c.unit)}</div>
            <div class="sub">${formatValue(inWindow, c.unit)} in the last ${spanLabel(toMs - fromMs)}</div>
            ${sparkBars(c.points, { width: 240, height: 34, fromMs, toMs, bucketMs, color: ORIGIN_COLORS[c.origin], unit: c.unit })}
            <ul class="breakdown">${rows.join('')}</ul></div>`;
          })
          .join('')
      : emptyState('counters'),
  );

  const gauges = state.charts.gauges;
  setHtml(
    $('gauges'),
    gauges.length
      ? gauges
          .map((g) => {
            const series = g.series.slice(0, 3).map(
              (s) => `<div class="gauge-series">
              <div class="gauge-line"><span class="muted">${escapeHtml(formatAttributes(s.attributes, 2) || s.service)}</span><b>${formatValue(s.latest, g.unit)}</b></div>
              ${sparkLine(s.points, { width: 240, height: 28, fromMs, toMs, color: ORIGIN_COLORS[g.origin] })}
              <div class="sub">min ${formatValue(s.min, g.unit)} · max ${formatValue(s.max, g.unit)} · ${s.timeMs ? ago(s.timeMs, toMs) : ''}</div></div>`,
            );
            return `<div class="card gauge" data-testid="gauge-${g.origin}-${escapeHtml(g.name)}">
            <div class="card-head"><span class="metric-name">${escapeHtml(g.name)}</span>${originTag(g)}</div>${senders(g)}${series.join('')}</div>`;
          })
          .join('')
      : emptyState('gauges'),
  );

  const distributions = state.charts.distributions.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name) || a.origin.localeCompare(b.origin));
  const distributionsEl = $('distributions');
  distributionsEl.innerHTML = distributions.length
    ? distributions
        .map((d, i) => {
          const stats = PERCENTILE_STYLES.map((s) => `<span><i style="background:${s.color}"></i>${s.label} <b>${formatValue(d.overall[s.key], d.unit)}</b></span>`).join('');
          return `<div class="card dist" data-testid="distribution-${d.origin}-${escapeHtml(d.name)}">
            <div class="card-head"><span class="metric-name">${escapeHtml(d.name)}</span>${originTag(d)}<span class="unit">${escapeHtml(unitLabel(d.unit))}</span>
              <span class="count" title="values since the viewer started; the percentiles below are over all of them">${formatNumber(d.overall.count)} values, all time</span></div>${senders(d)}
            <div class="dist-stats" title="over every value since the viewer started">${stats}</div>
            <div class="chart-slot" data-index="${i}"></div></div>`;
        })
        .join('')
    : emptyState('distributions');
  for (const slot of distributionsEl.querySelectorAll('.chart-slot')) {
    const d = distributions[Number(slot.dataset.index)];
    slot.innerHTML = percentileChart(d.points, { width: slot.clientWidth, height: 170, fromMs, toMs, unit: d.unit, bucketMs });
  }

  setHtml($('traces'), tracesHtml(state.traces, view));
  const filtered = view.service || view.attribute ? ' matching the filter' : '';
  $('trace-count').textContent = `${state.traces.length} trace${state.traces.length === 1 ? '' : 's'}${filtered} shown of ${state.sizes.traces} kept (max ${state.limits.maxTraces})`;
}

function renderStats() {
  const r = state.received;
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  const evicted = sum(state.evicted);
  const rejected = sum(r.rejected);
  const sdks = Object.entries(r.bySdk).map(([sdk, counts]) => `${sdk}: ${counts.points} points, ${counts.spans} spans`);
  const tiles = [
    ['page points', r.points.browser ?? 0, 'page', 'points from browser SDKs'],
    ['page spans', r.spans.browser ?? 0, 'page', 'spans from browser SDKs'],
    ['server points', r.points.server ?? 0, 'server', 'points from servers, workers and StatsD'],
    ['server spans', r.spans.server ?? 0, 'server', 'spans from servers and workers'],
    ['SDKs', Object.keys(r.bySdk).length, '', sdks.join('\n') || 'none yet'],
    ['evicted (caps)', evicted, evicted ? 'warn' : '', JSON.stringify(state.evicted)],
    [
      'rejected',
      rejected,
      rejected ? 'warn' : '',
      Object.entries(r.rejected)
        .map(([reason, n]) => `${reason}: ${n}`)
        .join('\n') || 'no bad input so far',
    ],
  ];
  $('stats').innerHTML = tiles
    .map(([label, value, kind, tip]) => `<div class="stat ${kind}" title="${escapeHtml(tip)}" data-testid="stat-${label.split(' ')[0]}"><b>${formatNumber(value)}</b><span>${label}</span></div>`)
    .join('');
  const limits = state.limits;
  const reasons = Object.entries(r.rejected).map(([reason, n]) => `${n} ${reason.replace(/_/g, ' ')}`);
  setHtml(
    $('limits'),
    `Kept: ${formatNumber(state.sizes.series)} of ${formatNumber(limits.maxSeries)} series (${limits.maxPointsPerSeries} points, ${limits.maxIntervalsPerSeries} × ${limits.bucketMs / 1000} s intervals each) · ${formatNumber(state.sizes.traces)} of ${formatNumber(limits.maxTraces)} traces (${limits.maxSpansPerTrace} spans each) · bodies up to ${formatNumber(limits.maxBodyBytes / 1048576)} MB. Oldest dropped first.` +
      (reasons.length ? ` <span class="warn-text" data-testid="rejected">Rejected: ${escapeHtml(reasons.join(', '))}.</span>` : ''),
  );
  const select = $('service-filter');
  const options = ['', ...state.services]
    .map((service) => `<option value="${escapeHtml(service)}"${service === view.service ? ' selected' : ''}>${service ? escapeHtml(service) : 'all services'}</option>`)
    .join('');
  if (rendered.get(select) !== options && document.activeElement !== select) {
    select.innerHTML = options;
    rendered.set(select, options);
  }
}

// ---- controls ----
document.addEventListener('click', async (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const toggle = target?.closest('[data-toggle]');
  if (toggle) {
    const id = toggle.dataset.toggle;
    if (!view.userChose) {
      // Keep what was open by default open, then apply this click.
      view.userChose = true;
      const open = document.querySelector('.trace-row.open');
      if (open) view.expanded.add(open.dataset.toggle);
    }
    if (view.expanded.has(id)) view.expanded.delete(id);
    else view.expanded.add(id);
    render();
  }
  const showAll = target?.closest('[data-show-all]');
  if (showAll) {
    view.showAll.add(showAll.dataset.showAll);
    render();
  }
  if (target?.closest('[data-more]')) {
    view.traceLimit += 25;
    render();
  }
  if (target?.closest('[data-testid="reset"]')) {
    await fetch('/api/state', { method: 'DELETE' });
    view.expanded.clear();
    view.userChose = false;
    void refresh();
  }
});
$('service-filter').addEventListener('change', (event) => {
  view.service = event.target.value;
  void refresh();
});
let filterTimer;
$('attribute-filter').addEventListener('input', (event) => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    view.attribute = event.target.value.trim();
    void refresh();
  }, 250);
});
$('window').addEventListener('change', (event) => {
  view.windowMs = Number(event.target.value);
  if (state) render();
});
let resizeTimer;
addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => state && render(), 150);
});

const events = new EventSource('/api/events');
events.addEventListener('hello', () => void refresh());
events.addEventListener('update', () => void refresh());
events.addEventListener('error', () => setLive(false));
setInterval(() => void refresh(), 5000);
void refresh();
