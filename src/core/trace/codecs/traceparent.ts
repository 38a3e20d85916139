import { trimOptionalWhitespace } from './optional-whitespace';
import { isAllZero, isValidTraceAndSpanId, singleHeaderValue } from './trace-id-rules';
/** The fields of a W3C `traceparent` header that this version of the spec defines. */
export interface TraceparentParts {
  /** Two lowercase hex characters; `'00'`, or a higher version parsed by the `00` rules. */
  version: string;
  traceId: string;
  parentSpanId: string;
  /** The raw 8-bit trace-flags field. */
  flags: number;
  /** Bit 0x01. */
  sampled: boolean;
  /** Bit 0x02 (Trace Context Level 2): the right-most 7 bytes of the trace id are random. */
  randomTraceId: boolean;
}

const FLAG_SAMPLED = 0x01;
const FLAG_RANDOM_TRACE_ID = 0x02;

// Section numbers below are those of W3C Trace Context Level 1, https://www.w3.org/TR/trace-context/.
// §3.2.4 "Versioning of traceparent" (#versioning-of-traceparent): pass-through parsers should "only disallow prohibitively large headers"; a version-00 value is
// 55 characters, so a few hundred leaves room for future fields and bounds the regex work.
const MAX_INPUT_LENGTH = 512;
const VERSION_00_LENGTH = 55;
// §3.2.2: lowercase hex only (HEXDIGLC). The optional tail is where a higher version's extra
// fields go; §3.2.4 requires the flags to be followed by a dash or the end of the string.
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses a W3C Trace Context `traceparent` header strictly (Level 1, plus the Level 2
 * random-trace-id flag). Returns `undefined` for anything invalid, so the caller starts a new
 * trace; never throws.
 *
 * @example
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { version: '00', traceId: '4bf9…4736', parentSpanId: '00f067aa0ba902b7', flags: 1, sampled: true, randomTraceId: false }
 * parseTraceparent('00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'); // undefined (uppercase)
 */
export function parseTraceparent(value: unknown): TraceparentParts | undefined {
  const raw = singleHeaderValue(value);
  if (raw === undefined || raw.length > MAX_INPUT_LENGTH) return undefined;
  const header = trimOptionalWhitespace(raw);
  if (header.length < VERSION_00_LENGTH) return undefined;
  const match = TRACEPARENT_PATTERN.exec(header);
  if (!match) return undefined;
  const version = match[1];
  // §3.2.2.1: version ff is forbidden.
  if (version === 'ff') return undefined;
  // §3.2.2.2: version 00 is exactly four fields; trailing data makes it invalid.
  if (version === '00' && match[5] !== undefined) return undefined;
  const traceId = match[2];
  const parentSpanId = match[3];
  // §3.2.2.3 / §3.2.2.4: all-zero trace-id or parent-id invalidates the whole header.
  if (isAllZero(traceId) || isAllZero(parentSpanId)) return undefined;
  const flags = parseInt(match[4], 16);
  return {
    version,
    traceId,
    parentSpanId,
    flags,
    sampled: (flags & FLAG_SAMPLED) === FLAG_SAMPLED,
    randomTraceId: (flags & FLAG_RANDOM_TRACE_ID) === FLAG_RANDOM_TRACE_ID,
  };
}

/**
 * Formats a version-00 `traceparent` header. Only the sampled and random-trace-id flags are ever
 * set (§3.2.2.5.2: other flags MUST be zero). Returns `undefined` (never an invalid header)
 * when an id is not lowercase hex of the right length or is all zeros.
 *
 * @example
 * formatTraceparent('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', true, true);
 * // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03'
 */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean, randomTraceId?: boolean): string | undefined {
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  if (!isValidTraceAndSpanId(traceId, spanId)) return undefined;
  const flags = (sampled ? FLAG_SAMPLED : 0) | (randomTraceId ? FLAG_RANDOM_TRACE_ID : 0);
  return `00-${traceId}-${spanId}-0${flags}`;
}
