/** The trace list: one row per trace with its sampling decision; a row opens to its waterfall. */
import { clockTime, escapeHtml, formatDuration, formatValue } from './format.js';
import { waterfallHtml } from './waterfall.js';

const MAX_LINKS_SHOWN = 24;

function decisionPill(trace) {
  const rate = trace.sampleRate === null ? '' : ` · rate ${trace.sampleRate}`;
  const label = trace.decision === 'sampled' ? 'sampled' : trace.decision === 'not_sampled' ? 'not sampled' : 'undecided';
  const conflict = trace.conflict ? '<span class="pill pill-conflict" title="Spans and metrics disagree on the decision">conflict</span>' : '';
  return `<span class="pill pill-${trace.decision}" data-testid="trace-decision">${label}${escapeHtml(rate)}</span>${conflict}`;
}

/** One chip per service in the trace, coloured by its side, with its span (else metric) count. */
function originCounts(trace) {
  const services = new Map();
  for (const item of [...trace.spans, ...trace.metrics]) {
    const entry = services.get(item.service) ?? { origin: item.origin, sdks: new Set(), spans: 0, metrics: 0 };
    entry.sdks.add(item.sdk);
    if (item.spanId) entry.spans++;
    else entry.metrics += item.count;
    services.set(item.service, entry);
  }
  if (!services.size) return '<span class="chip off">–</span>';
  return [...services]
    .map(([service, { origin, sdks, spans, metrics }]) => {
      const what = spans ? `${spans} span${spans === 1 ? '' : 's'}` : `${metrics} metric${metrics === 1 ? '' : 's'}`;
      return `<span class="chip ${escapeHtml(origin)}" title="${escapeHtml(`${service} (${origin === 'browser' ? 'page' : 'server'}) · SDK ${[...sdks].join(', ')}`)}" data-testid="trace-service"><span class="dot ${escapeHtml(origin)}"></span>${escapeHtml(service)} ${what}</span>`;
    })
    .join('');
}

function metricLinksHtml(trace) {
  if (!trace.metrics.length) return '';
  const links = [...trace.metrics].sort((a, b) => a.origin.localeCompare(b.origin) || a.name.localeCompare(b.name));
  const chips = links.slice(0, MAX_LINKS_SHOWN).map((link) => {
    const values = link.values
      .slice(-3)
      .map((v) => formatValue(v, link.unit))
      .join(', ');
    const tip = `${link.type} from ${link.service} (${link.origin === 'browser' ? 'page' : 'server'}, ${link.sdk}) · ${link.count} point${link.count === 1 ? '' : 's'} in this trace · last values ${values}`;
    return `<span class="link-chip" title="${escapeHtml(tip)}"><span class="dot ${link.origin}"></span>${escapeHtml(link.name)}${link.count > 1 ? ` <span class="muted">×${link.count}</span>` : ''} <b>${escapeHtml(values)}</b></span>`;
  });
  const more = links.length > MAX_LINKS_SHOWN ? `<span class="muted">+${links.length - MAX_LINKS_SHOWN} more</span>` : '';
  return `<div class="links"><span class="muted">metrics recorded in this trace</span> ${chips.join('')}${more}</div>`;
}

function traceHtml(trace, open, showAll) {
  const row = `<button type="button" class="trace-row${open ? ' open' : ''}" data-toggle="${trace.traceId}" data-testid="trace-row" data-trace-id="${trace.traceId}">
      <span class="caret">${open ? '▾' : '▸'}</span>
      <span class="time">${clockTime(trace.startTimeMs)}</span>
      <span class="decision">${decisionPill(trace)}</span>
      <span class="root">${trace.rootName ? escapeHtml(trace.rootName) : `<span class="muted">${trace.decision === 'not_sampled' ? 'no spans kept · metrics only' : 'metrics only, so far'}</span>`}</span>
      <span class="origins">${originCounts(trace)}</span>
      <span class="errors">${trace.errors ? `<span class="chip failed">${trace.errors} failed</span>` : ''}</span>
      <span class="duration">${trace.spans.length ? formatDuration(trace.durationMs) : ''}</span>
      <code class="trace-id">${trace.traceId.slice(0, 12)}…</code>
    </button>`;
  if (!open) return `<div class="trace">${row}</div>`;
  return `<div class="trace">${row}
    <div class="trace-detail" data-testid="trace-waterfall" data-trace-id="${trace.traceId}">
      <div class="trace-meta"><code>${trace.traceId}</code> ${decisionPill(trace)}
        <span class="muted">${trace.spanCounts.browser} page spans · ${trace.spanCounts.server} server spans · services ${escapeHtml(trace.services.join(', '))} · SDKs ${escapeHtml(trace.sdks.join(', '))}${trace.evictedSpans ? ` · ${trace.evictedSpans} spans over the per-trace limit dropped` : ''}</span></div>
      ${waterfallHtml(trace, { showAll })}
      ${metricLinksHtml(trace)}
    </div></div>`;
}

/**
 * The list's HTML. `expanded` holds the ids opened by hand; until the user opens or closes one,
 * the newest trace that has spans from both sides (else the newest with spans) is open.
 */
export function tracesHtml(traces, { expanded, userChose, limit, showAll }) {
  if (!traces.length) return '<p class="muted empty-state">No traces yet. Open a shop page and click around; traces appear after the next flush (2 s).</p>';
  let open = expanded;
  if (!userChose) {
    const both = traces.find((t) => t.spanCounts.browser > 0 && t.spanCounts.server > 0) ?? traces.find((t) => t.spans.length > 0);
    open = new Set(both ? [both.traceId] : []);
  }
  const shown = traces.slice(0, limit);
  const more = traces.length > limit ? `<button type="button" class="ghost more" data-more>Show ${Math.min(25, traces.length - limit)} more of ${traces.length - limit}</button>` : '';
  return shown.map((trace) => traceHtml(trace, open.has(trace.traceId), showAll.has(trace.traceId))).join('') + more;
}
