/**
 * A trace's spans as a waterfall: one row per span in tree order, indented by depth, the bar
 * placed by start and end time, coloured by origin (page or server), failures marked. A page's
 * trace lasts as long as the page is open, with long idle stretches between clicks; stretches of
 * more than IDLE_GAP_MS with no span running are drawn narrow and labelled, so the busy parts
 * stay readable.
 */
import { escapeHtml, formatDuration, formatAttributes, niceStep } from './format.js';

const IDLE_GAP_MS = 1500;
/** Rows drawn before "Show all": a page's trace collects every click while the page is open. */
const ROWS_SHOWN = 45;
/** A compressed gap's width, as a share of the busy time drawn. */
const GAP_SHARE = 0.05;

/** Busy and idle segments of the trace, and the time → position (0…1) mapping over them. */
function timeline(spans, startMs, endMs) {
  const intervals = spans.map((s) => [s.startTimeMs, Math.max(s.endTimeMs, s.startTimeMs)]).sort((a, b) => a[0] - b[0]);
  const busy = [];
  for (const [from, to] of intervals) {
    const last = busy[busy.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else busy.push([from, to]);
  }
  const segments = [];
  let cursor = startMs;
  for (const [from, to] of busy) {
    if (from > cursor) segments.push({ from: cursor, to: from, idle: from - cursor > IDLE_GAP_MS });
    segments.push({ from: Math.max(from, cursor), to: Math.max(to, cursor), idle: false });
    cursor = Math.max(cursor, to);
  }
  if (endMs > cursor) segments.push({ from: cursor, to: endMs, idle: endMs - cursor > IDLE_GAP_MS });
  const drawn = segments.filter((s) => !s.idle).reduce((sum, s) => sum + (s.to - s.from), 0) || 1;
  let offset = 0;
  for (const segment of segments) {
    segment.offset = offset;
    segment.width = segment.idle ? drawn * GAP_SHARE : segment.to - segment.from;
    offset += segment.width;
  }
  const total = offset || 1;
  const at = (t) => {
    for (const segment of segments) {
      if (t <= segment.to || segment === segments[segments.length - 1]) {
        const within = segment.to > segment.from ? (Math.min(Math.max(t, segment.from), segment.to) - segment.from) / (segment.to - segment.from) : 0;
        return (segment.offset + within * segment.width) / total;
      }
    }
    return 1;
  };
  return { segments, at, total, drawn };
}

function ticksHtml(line, startMs) {
  const step = niceStep(line.drawn, 5);
  const marks = [];
  let lastPosition = -1;
  for (const segment of line.segments) {
    if (segment.idle) {
      marks.push(`<span class="wf-gap-label" style="left:${(line.at((segment.from + segment.to) / 2) * 100).toFixed(2)}%">+${escapeHtml(formatDuration(segment.to - segment.from))} idle</span>`);
      continue;
    }
    for (let t = Math.ceil((segment.from - startMs) / step) * step + startMs; t <= segment.to; t += step) {
      const position = line.at(t);
      if (position - lastPosition < 0.08 || position > 0.97) continue;
      lastPosition = position;
      marks.push(`<span class="wf-tick" style="left:${(position * 100).toFixed(2)}%">${escapeHtml(formatDuration(t - startMs).replace(/^0 ms$/, '0'))}</span>`);
    }
  }
  return marks.join('');
}

function gapsHtml(line) {
  return line.segments
    .filter((s) => s.idle)
    .map((s) => `<div class="wf-gap" style="left:${(line.at(s.from) * 100).toFixed(2)}%;width:${((line.at(s.to) - line.at(s.from)) * 100).toFixed(2)}%"></div>`)
    .join('');
}

function rowHtml(span, line, gaps) {
  const left = line.at(span.startTimeMs) * 100;
  const width = Math.max(0.35, line.at(span.endTimeMs) * 100 - left);
  const failed = span.status === 'error';
  const tip = [
    `${span.name}${span.op ? ` (${span.op})` : ''}`,
    `${span.origin === 'browser' ? 'page' : 'server'} · service ${span.service} · SDK ${span.sdk}`,
    `${span.sampled === false ? 'not sampled' : 'sampled'}${span.sampleRate !== null && span.sampleRate !== undefined ? ` at rate ${span.sampleRate}` : ''}`,
    `${formatDuration(span.durationMs)}${failed ? ` · failed${span.statusMessage ? `: ${span.statusMessage}` : ''}` : ''}`,
    formatAttributes(span.attributes, 8),
    `span ${span.spanId}${span.parentSpanId ? ` ← ${span.parentSpanId}` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
  const labelRight = left + width > 82;
  const duration = `<span class="wf-dur${labelRight ? ' inside' : ''}" style="${labelRight ? `right:${(100 - left + 0.6).toFixed(2)}%` : `left:${(left + width + 0.6).toFixed(2)}%`}">${escapeHtml(formatDuration(span.durationMs))}</span>`;
  return `<div class="wf-row${failed ? ' failed' : ''}" title="${escapeHtml(tip)}" data-span-id="${escapeHtml(span.spanId)}" data-origin="${escapeHtml(span.origin)}">
    <div class="wf-label" style="padding-left:${8 + span.depth * 14}px"><span class="dot ${escapeHtml(span.origin)}"></span><span class="wf-name">${escapeHtml(span.name)}</span>${span.op ? `<span class="wf-op">${escapeHtml(span.op)}</span>` : ''}${failed ? '<span class="wf-fail">✕</span>' : ''}<span class="wf-sender" data-testid="span-sender">${escapeHtml(span.service)} · ${escapeHtml(span.sdk)}</span>${decisionChip(span)}</div>
    <div class="wf-track">${gaps}<div class="wf-bar ${escapeHtml(span.origin)}${failed ? ' failed' : ''}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></div>${duration}</div>
  </div>`;
}

/** The span's sampling decision, as its sender reported it (with the rate when known). */
function decisionChip(span) {
  const rate = span.sampleRate !== null && span.sampleRate !== undefined ? ` ${span.sampleRate}` : '';
  return span.sampled === false ? `<span class="wf-decision not-sampled">not sampled${rate}</span>` : `<span class="wf-decision" data-testid="span-decision">sampled${escapeHtml(rate)}</span>`;
}

/** The waterfall of one trace (from the state's `traces[]`). */
export function waterfallHtml(trace, { showAll = false } = {}) {
  if (!trace.spans.length) {
    return `<p class="muted wf-empty">No spans: ${trace.decision === 'not_sampled' ? 'the trace was not sampled, so only its metrics were kept (below).' : 'only metrics linked to this trace have arrived so far.'}</p>`;
  }
  const line = timeline(trace.spans, trace.startTimeMs, trace.endTimeMs);
  const gaps = gapsHtml(line);
  const spans = showAll ? trace.spans : trace.spans.slice(0, ROWS_SHOWN);
  const hidden = trace.spans.length - spans.length;
  return `<div class="wf">
    <div class="wf-row wf-head"><div class="wf-label muted">span</div><div class="wf-track wf-axis">${gaps}${ticksHtml(line, trace.startTimeMs)}</div></div>
    ${spans.map((span) => rowHtml(span, line, gaps)).join('')}
    ${hidden > 0 ? `<button type="button" class="ghost more" data-show-all="${escapeHtml(trace.traceId)}">Show all ${trace.spans.length} spans</button>` : ''}
  </div>`;
}
