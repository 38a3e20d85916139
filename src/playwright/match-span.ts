import type { Attributes } from '../core/internal/attributes';
import type { SpanData, SpanStatus } from '../core/trace/span-data';
import { includesAttributes } from './attributes-match';
import { withAttributes } from './describe-points';
import type { MatchResult } from './match-result';
import type { TelemetrySnapshot } from './telemetry-snapshot';

/**
 * What `toHaveSpan` looks for: a span that meets every field given.
 *
 * @example
 * await expect(metrics).toHaveSpan({ op: 'http.client', name: /^GET \/api\//, sampled: true });
 */
export interface SpanExpectation {
  /** The span name, exactly or by pattern. */
  name?: string | RegExp;
  /** The operation (`http.client`, `pageload`, `ui.action`, …). */
  op?: string;
  /**
   * The trace's sampling decision. Only sampled spans are exported, so `sampled: false` finds a
   * span only in data from a backend that keeps unsampled spans.
   */
  sampled?: boolean;
  traceId?: string;
  status?: SpanStatus;
  /** Attributes the span must have (others may be present too). */
  attributes?: Attributes;
}

const MAX_LISTED = 15;

/**
 * Finds a span that meets every given field; with none given, any span.
 *
 * @example
 * matchSpan(snapshot, { op: 'pageload', sampled: true }).pass;
 */
export function matchSpan(snapshot: TelemetrySnapshot, expected: SpanExpectation = {}): MatchResult {
  const pass = snapshot.spans.some((span) => spanMatches(span, expected));
  return { pass, expected: `a span ${describeSpanExpectation(expected)}`, actual: describeSpans(snapshot.spans) };
}

/** True when `span` meets every field of `expected`. */
export function spanMatches(span: SpanData, expected: SpanExpectation): boolean {
  if (expected.name !== undefined && !(typeof expected.name === 'string' ? span.name === expected.name : new RegExp(expected.name.source, expected.name.flags).test(span.name))) return false;
  if (expected.op !== undefined && span.op !== expected.op) return false;
  if (expected.sampled !== undefined && span.sampled !== expected.sampled) return false;
  if (expected.traceId !== undefined && span.traceId !== expected.traceId) return false;
  if (expected.status !== undefined && span.status !== expected.status) return false;
  return includesAttributes(span.attributes, expected.attributes);
}

function describeSpanExpectation(expected: SpanExpectation): string {
  const parts: string[] = [];
  if (expected.name !== undefined) parts.push(`named ${typeof expected.name === 'string' ? JSON.stringify(expected.name) : String(expected.name)}`);
  if (expected.op !== undefined) parts.push(`with op "${expected.op}"`);
  if (expected.sampled !== undefined) parts.push(expected.sampled ? 'in a sampled trace' : 'in an unsampled trace');
  if (expected.traceId !== undefined) parts.push(`in trace ${expected.traceId}`);
  if (expected.status !== undefined) parts.push(`with status "${expected.status}"`);
  const attributes = withAttributes(expected.attributes).trim();
  if (attributes) parts.push(attributes);
  return parts.length ? parts.join(' ') : '(any)';
}

/** One line per span: `op "name" trace … sampled`, at most 15. */
export function describeSpans(spans: readonly SpanData[]): string {
  if (spans.length === 0) return 'no spans were captured';
  const lines = spans.slice(0, MAX_LISTED).map((span) => `${span.op ?? '(no op)'} ${JSON.stringify(span.name)} trace ${span.traceId} ${span.sampled ? 'sampled' : 'not sampled'}`);
  const more = spans.length > MAX_LISTED ? `\n… and ${spans.length - MAX_LISTED} more` : '';
  return `${spans.length} span${spans.length === 1 ? '' : 's'} captured:\n${lines.join('\n')}${more}`;
}
