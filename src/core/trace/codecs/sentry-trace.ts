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

/** A lowercase hex digit. */
function isLowerHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
}

/**
 * Whether `header`, as it is (no whitespace around it), is what SENTRY_TRACE_PATTERN matches:
 * 32 and 16 lowercase hex digits joined by "-", then optionally "-0" or "-1".
 */
function plainSentryTrace(header: string): boolean {
  if (header.length !== 49 && (header.length !== 51 || header.charCodeAt(49) !== 0x2d || (header.charCodeAt(50) !== 0x30 && header.charCodeAt(50) !== 0x31))) return false;
  if (header.charCodeAt(32) !== 0x2d) return false;
  for (let index = 0; index < 49; index++) if (index !== 32 && !isLowerHex(header.charCodeAt(index))) return false;
  return true;
}

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
  if (plainSentryTrace(header)) {
    // The usual header, checked without a regex: every incoming request that carries one is read.
    const traceId = header.slice(0, 32);
    const parentSpanId = header.slice(33, 49);
    if (isAllZero(traceId) || isAllZero(parentSpanId)) return undefined;
    return { traceId, parentSpanId, sampled: header.length === 49 ? undefined : header.charCodeAt(50) === 0x31 };
  }
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
