import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSentryTrace, parseSentryTrace } from '../../../../../src/core/trace/codecs/sentry-trace';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

const hexString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const traceIdArb = hexString(32).filter((id) => /[^0]/.test(id));
const spanIdArb = hexString(16).filter((id) => /[^0]/.test(id));
const sampledArb = fc.constantFrom(true, false, undefined);

describe('parseSentryTrace', () => {
  it('reads a sampled trace', () => {
    expect(parseSentryTrace(`${TRACE_ID}-${SPAN_ID}-1`)).toEqual({
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      sampled: true,
    });
  });

  it('reads an unsampled trace', () => {
    expect(parseSentryTrace(`${TRACE_ID}-${SPAN_ID}-0`)?.sampled).toBe(false);
  });

  it('reads a header without the sampled flag as a deferred decision', () => {
    const parsed = parseSentryTrace(`${TRACE_ID}-${SPAN_ID}`);
    expect(parsed).toEqual({ traceId: TRACE_ID, parentSpanId: SPAN_ID, sampled: undefined });
  });

  it('trims surrounding whitespace, as a <meta> content attribute may carry it', () => {
    expect(parseSentryTrace(` \t${TRACE_ID}-${SPAN_ID}-1\n `)?.traceId).toBe(TRACE_ID);
  });

  it('accepts a header that arrived as a one-element list', () => {
    expect(parseSentryTrace([`${TRACE_ID}-${SPAN_ID}-1`])?.sampled).toBe(true);
  });

  it.each([
    ['uppercase trace id', `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`],
    ['uppercase span id', `${TRACE_ID}-00F067AA0BA902B7-1`],
    ['all-zero trace id', `${'0'.repeat(32)}-${SPAN_ID}-1`],
    ['all-zero span id', `${TRACE_ID}-${'0'.repeat(16)}-1`],
    ['short trace id', `${TRACE_ID.slice(1)}-${SPAN_ID}-1`],
    ['long trace id', `${TRACE_ID}0-${SPAN_ID}-1`],
    ['short span id', `${TRACE_ID}-${SPAN_ID.slice(1)}-1`],
    ['long span id', `${TRACE_ID}-${SPAN_ID}0-1`],
    ['sampled flag 2', `${TRACE_ID}-${SPAN_ID}-2`],
    ['two-digit sampled flag', `${TRACE_ID}-${SPAN_ID}-01`],
    ['word sampled flag', `${TRACE_ID}-${SPAN_ID}-true`],
    ['trailing dash', `${TRACE_ID}-${SPAN_ID}-`],
    ['extra field', `${TRACE_ID}-${SPAN_ID}-1-x`],
    ['missing span id', `${TRACE_ID}--1`],
    ['only a trace id', TRACE_ID],
    ['non-hex characters', `${TRACE_ID.slice(0, 31)}g-${SPAN_ID}-1`],
    ['whitespace inside', `${TRACE_ID} -${SPAN_ID}-1`],
    ['empty string', ''],
  ])('rejects a header with %s', (_case, header) => {
    expect(parseSentryTrace(header)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { traceId: TRACE_ID }],
    ['two header values', [`${TRACE_ID}-${SPAN_ID}-1`, `${TRACE_ID}-${SPAN_ID}-0`]],
    ['a list holding a number', [1]],
  ])('returns undefined for %s', (_case, value) => {
    expect(parseSentryTrace(value)).toBeUndefined();
  });

  it('rejects an oversized value without scanning it', () => {
    expect(parseSentryTrace(`${TRACE_ID}-${SPAN_ID}-1${' '.repeat(100_000)}`)).toBeUndefined();
  });

  it('never throws on arbitrary values, and what it accepts re-formats to the trimmed input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything()), (value) => {
        const parsed = parseSentryTrace(value);
        if (parsed === undefined) return;
        const text = String(Array.isArray(value) ? value[0] : value);
        expect(formatSentryTrace(parsed.traceId, parsed.parentSpanId, parsed.sampled)).toBe(text.trim());
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a mutated header only if it is still canonical', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEFg- \t');
    fc.assert(
      fc.property(traceIdArb, spanIdArb, sampledArb, fc.nat(), alphabet, (traceId, spanId, sampled, position, replacement) => {
        const header = formatSentryTrace(traceId, spanId, sampled) as string;
        const index = position % header.length;
        const mutated = header.slice(0, index) + replacement + header.slice(index + 1);
        const parsed = parseSentryTrace(mutated);
        if (parsed !== undefined) {
          expect(formatSentryTrace(parsed.traceId, parsed.parentSpanId, parsed.sampled)).toBe(mutated.trim());
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads near-valid headers exactly as the pattern in the spec does (case, length, flag, whitespace, zeros)', () => {
    const reference = (header: string) => {
      const match = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/.exec(header.trim());
      if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
      return { traceId: match[1], parentSpanId: match[2], sampled: match[3] === undefined ? undefined : match[3] === '1' };
    };
    const digit = fc.oneof({ arbitrary: fc.constantFrom(...'0123456789abcdef'), weight: 60 }, fc.constantFrom('A', 'g', '-', '0'));
    const whitespace = fc.constantFrom('', ' ', '\t', '\n', '\u00a0');
    const header = fc
      .tuple(
        whitespace,
        fc.string({ unit: digit, minLength: 31, maxLength: 33 }),
        fc.constantFrom('-', '_'),
        fc.string({ unit: digit, minLength: 15, maxLength: 17 }),
        fc.constantFrom('', '-0', '-1', '-2', '0', '-', '-00'),
        whitespace,
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(header, fc.constantFrom(`${'0'.repeat(32)}-${SPAN_ID}-1`, `${TRACE_ID}-${'0'.repeat(16)}`)), (value) => {
        expect(parseSentryTrace(value)).toEqual(reference(value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('formatSentryTrace', () => {
  it('writes -1 for a sampled trace and -0 for an unsampled one', () => {
    expect(formatSentryTrace(TRACE_ID, SPAN_ID, true)).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
    expect(formatSentryTrace(TRACE_ID, SPAN_ID, false)).toBe(`${TRACE_ID}-${SPAN_ID}-0`);
  });

  it('omits the flag for a deferred decision', () => {
    expect(formatSentryTrace(TRACE_ID, SPAN_ID)).toBe(`${TRACE_ID}-${SPAN_ID}`);
    expect(formatSentryTrace(TRACE_ID, SPAN_ID, undefined)).toBe(`${TRACE_ID}-${SPAN_ID}`);
  });

  it.each([
    ['an uppercase trace id', TRACE_ID.toUpperCase(), SPAN_ID],
    ['an all-zero trace id', '0'.repeat(32), SPAN_ID],
    ['an all-zero span id', TRACE_ID, '0'.repeat(16)],
    ['a short span id', TRACE_ID, SPAN_ID.slice(2)],
    ['a non-string id', 42 as unknown as string, SPAN_ID],
  ])('returns undefined instead of an invalid header for %s', (_case, traceId, spanId) => {
    expect(formatSentryTrace(traceId, spanId, true)).toBeUndefined();
  });

  it('round-trips any valid trace id, span id and decision through parseSentryTrace', () => {
    fc.assert(
      fc.property(traceIdArb, spanIdArb, sampledArb, (traceId, spanId, sampled) => {
        const header = formatSentryTrace(traceId, spanId, sampled);
        expect(parseSentryTrace(header)).toEqual({ traceId, parentSpanId: spanId, sampled });
      }),
    );
  });
});
