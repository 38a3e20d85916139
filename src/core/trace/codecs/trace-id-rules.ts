// W3C Trace Context §3.2.2.3–§3.2.2.4: lowercase hex ids of fixed length, never all zeros.
const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;

/** True for an id that is all zeros: invalid as a trace or span id. */
export function isAllZero(id: string): boolean {
  // A loop rather than /^0+$/: every incoming trace header is checked, and a regex call costs more.
  if (id.length === 0) return false;
  for (let index = 0; index < id.length; index++) if (id.charCodeAt(index) !== 0x30) return false;
  return true;
}

/**
 * True when `traceId` and `spanId` may go on the wire: 32 and 16 lowercase hex characters, not
 * all zeros (the rules `sentry-trace` and `traceparent` share).
 *
 * @example
 * isValidTraceAndSpanId('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'); // → true
 */
export function isValidTraceAndSpanId(traceId: string, spanId: string): boolean {
  return TRACE_ID_PATTERN.test(traceId) && SPAN_ID_PATTERN.test(spanId) && !isAllZero(traceId) && !isAllZero(spanId);
}

/**
 * The one value of a header that must not repeat: a string, or a one-element list. Two values
 * are ambiguous (which parent?), so they read as none and the trace restarts.
 */
export function singleHeaderValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  return undefined;
}
