import { isAllZero, isValidTraceAndSpanId, singleHeaderValue } from './trace-id-rules';
/** The parts of a `sentry-trace` header: `{trace_id}-{parent_span_id}[-{sampled}]`. */
export interface SentryTraceParts {
  traceId: string;
  parentSpanId: string;
  /** `undefined` when the sender deferred the sampling decision (no `-0`/`-1` suffix). */
  sampled: boolean | undefined;
}

// The longest valid value is 32 + 1 + 16 + 2 = 51 characters; a little room for surrounding
// whitespace, and anything longer is rejected before the regex runs.
const MAX_INPUT_LENGTH = 256;
const SENTRY_TRACE_PATTERN = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/;

/**
 * Parses a `sentry-trace` header (or `<meta name="sentry-trace">` content). Only lowercase hex
 * ids are accepted, and all-zero ids are rejected as W3C Trace Context does. Never throws.
 *
 * @example
 * parseSentryTrace('4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1');
 * // { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', sampled: true }
 * parseSentryTrace('garbage'); // undefined
 */
export function parseSentryTrace(value: unknown): SentryTraceParts | undefined {
  const header = singleHeaderValue(value);
  if (header === undefined || header.length > MAX_INPUT_LENGTH) return undefined;
  const match = SENTRY_TRACE_PATTERN.exec(header.trim());
  if (!match) return undefined;
  const traceId = match[1];
  const parentSpanId = match[2];
  if (isAllZero(traceId) || isAllZero(parentSpanId)) return undefined;
  const flag = match[3];
  return { traceId, parentSpanId, sampled: flag === undefined ? undefined : flag === '1' };
}

/**
 * Formats a `sentry-trace` header. `sampled` left undefined means a deferred decision, sent
 * without the `-0`/`-1` suffix. Returns `undefined` (never an invalid header) when an id is not
 * lowercase hex of the right length or is all zeros.
 *
 * @example
 * formatSentryTrace('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', false);
 * // '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0'
 */
export function formatSentryTrace(traceId: string, spanId: string, sampled?: boolean): string | undefined {
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  if (!isValidTraceAndSpanId(traceId, spanId)) return undefined;
  const base = `${traceId}-${spanId}`;
  if (sampled == null) return base;
  return sampled ? `${base}-1` : `${base}-0`;
}
