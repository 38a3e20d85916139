import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../../../../../src/core/trace/codecs/traceparent';

// The W3C Trace Context examples and test-suite values.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const SUITE_TRACE_ID = '12345678901234567890123456789012';
const SUITE_SPAN_ID = '1234567890123456';

const hexString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const traceIdArb = hexString(32).filter((id) => /[^0]/.test(id));
const spanIdArb = hexString(16).filter((id) => /[^0]/.test(id));

describe('parseTraceparent', () => {
  it('reads the spec example of a sampled request', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      version: '00',
      traceId: TRACE_ID,
      parentSpanId: SPAN_ID,
      flags: 1,
      sampled: true,
      randomTraceId: false,
    });
  });

  it('reads the spec example of an unsampled request', () => {
    const parsed = parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`);
    expect(parsed?.sampled).toBe(false);
    expect(parsed?.randomTraceId).toBe(false);
  });

  it('reads the Level 2 random-trace-id flag (0x02) separately from the sampled flag', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-02`)).toMatchObject({ flags: 2, sampled: false, randomTraceId: true });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-03`)).toMatchObject({ flags: 3, sampled: true, randomTraceId: true });
  });

  it('masks flag bits instead of comparing the whole flags byte', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-09`)).toMatchObject({ flags: 9, sampled: true, randomTraceId: false });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-ff`)).toMatchObject({ flags: 255, sampled: true, randomTraceId: true });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-fc`)).toMatchObject({ flags: 252, sampled: false, randomTraceId: false });
  });

  it.each([
    ['leading space', ` 00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['leading tab', `\t00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['trailing space', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01 `],
    ['trailing tab', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01\t`],
    ['both', `\t 00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01 \t`],
  ])('ignores optional whitespace around the value (%s)', (_case, header) => {
    expect(parseTraceparent(header)?.traceId).toBe(SUITE_TRACE_ID);
  });

  it('accepts a future version with the version-00 fields only', () => {
    expect(parseTraceparent(`cc-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`)).toMatchObject({
      version: 'cc',
      traceId: SUITE_TRACE_ID,
      parentSpanId: SUITE_SPAN_ID,
      sampled: true,
    });
  });

  it('accepts a future version with extra fields after a dash, ignoring them', () => {
    expect(parseTraceparent(`cc-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01-what-the-future-will-be-like`)).toEqual({
      version: 'cc',
      traceId: SUITE_TRACE_ID,
      parentSpanId: SUITE_SPAN_ID,
      flags: 1,
      sampled: true,
      randomTraceId: false,
    });
  });

  it('accepts a header that arrived as a one-element list', () => {
    expect(parseTraceparent([`00-${TRACE_ID}-${SPAN_ID}-01`])?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['version 00 with a trailing character', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01.`],
    ['version 00 with extra fields', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01-what-the-future-will-be-like`],
    ['version 00 with a trailing dash', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01-`],
    ['a future version whose flags are not followed by a dash', `cc-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01.what-the-future-will-be-like`],
    ['a future version with three-digit flags', `cc-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-012`],
    ['version ff', `ff-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['an illegal character in the version (first)', `.0-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['an illegal character in the version (second)', `0.-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['an uppercase version', `0A-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['a three-digit version', `000-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['a four-digit version', `0000-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['a one-digit version', `0-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SUITE_SPAN_ID}-01`],
    ['an illegal character at the start of the trace id', `00-.2345678901234567890123456789012-${SUITE_SPAN_ID}-01`],
    ['an illegal character at the end of the trace id', `00-1234567890123456789012345678901.-${SUITE_SPAN_ID}-01`],
    ['an uppercase trace id', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a 33-digit trace id', `00-123456789012345678901234567890123-${SUITE_SPAN_ID}-01`],
    ['a 31-digit trace id', `00-1234567890123456789012345678901-${SUITE_SPAN_ID}-01`],
    ['an all-zero parent id', `00-${SUITE_TRACE_ID}-${'0'.repeat(16)}-01`],
    ['an illegal character at the start of the parent id', `00-${SUITE_TRACE_ID}-.234567890123456-01`],
    ['an illegal character at the end of the parent id', `00-${SUITE_TRACE_ID}-123456789012345.-01`],
    ['an uppercase parent id', `00-${TRACE_ID}-00F067AA0BA902B7-01`],
    ['a 17-digit parent id', `00-${SUITE_TRACE_ID}-12345678901234567-01`],
    ['a 15-digit parent id', `00-${SUITE_TRACE_ID}-123456789012345-01`],
    ['an illegal first flags character', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-.0`],
    ['an illegal second flags character', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-0.`],
    ['uppercase flags', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-0F`],
    ['three-digit flags', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-001`],
    ['one-digit flags', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-1`],
    ['underscores for dashes', `00_${SUITE_TRACE_ID}_${SUITE_SPAN_ID}_01`],
    ['a newline after the value', `00-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01\n`],
    ['an empty value', ''],
  ])('rejects %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 1],
    ['an object', { version: '00' }],
    ['two header values (ambiguous parent)', [`00-${TRACE_ID}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}-01`]],
    ['an empty list', []],
  ])('returns undefined for %s', (_case, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('rejects a prohibitively long future-version header before matching it', () => {
    expect(parseTraceparent(`cc-${SUITE_TRACE_ID}-${SUITE_SPAN_ID}-01-${'x'.repeat(100_000)}`)).toBeUndefined();
  });

  it('never throws on arbitrary values, and what it accepts re-formats to a valid header with the same ids', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything()), (value) => {
        const parsed = parseTraceparent(value);
        if (parsed === undefined) return;
        const header = formatTraceparent(parsed.traceId, parsed.parentSpanId, parsed.sampled, parsed.randomTraceId);
        expect(parseTraceparent(header)).toMatchObject({ traceId: parsed.traceId, parentSpanId: parsed.parentSpanId });
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a mutated header only if the result still follows the rules', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEFg-. \t');
    fc.assert(
      fc.property(
        fc.constantFrom('00', '01', 'cc', 'fe'),
        traceIdArb,
        spanIdArb,
        hexString(2),
        fc.constantFrom('', '-x', '-', '.x'),
        fc.nat(),
        alphabet,
        (version, traceId, spanId, flags, tail, position, replacement) => {
          const original = `${version}-${traceId}-${spanId}-${flags}${tail}`;
          const index = position % original.length;
          const mutated = original.slice(0, index) + replacement + original.slice(index + 1);
          const parsed = parseTraceparent(mutated);
          if (parsed === undefined) return;
          const trimmed = mutated.replace(/^[ \t]+|[ \t]+$/g, '');
          expect(trimmed).toMatch(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?$/);
          expect(parsed.version).not.toBe('ff');
          if (parsed.version === '00') expect(trimmed).toHaveLength(55);
          expect(parsed.traceId).not.toBe('0'.repeat(32));
          expect(parsed.parentSpanId).not.toBe('0'.repeat(16));
          expect(trimmed.slice(3, 35)).toBe(parsed.traceId);
          expect(parsed.flags).toBe(parseInt(trimmed.slice(53, 55), 16));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 with the sampled flag', () => {
    expect(formatTraceparent(TRACE_ID, SPAN_ID, true)).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(formatTraceparent(TRACE_ID, SPAN_ID, false)).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  it('sets the random-trace-id flag only when asked', () => {
    expect(formatTraceparent(TRACE_ID, SPAN_ID, true, true)).toBe(`00-${TRACE_ID}-${SPAN_ID}-03`);
    expect(formatTraceparent(TRACE_ID, SPAN_ID, false, true)).toBe(`00-${TRACE_ID}-${SPAN_ID}-02`);
    expect(formatTraceparent(TRACE_ID, SPAN_ID, false, false)).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  it('downgrades a future-version header to version 00 and zeroes unknown flags', () => {
    const parsed = parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-ff-extra`);
    expect(parsed).toBeDefined();
    const header = formatTraceparent(parsed!.traceId, 'b9c7c989f97918e1', parsed!.sampled, parsed!.randomTraceId);
    expect(header).toBe(`00-${TRACE_ID}-b9c7c989f97918e1-03`);
  });

  it.each([
    ['an uppercase trace id', TRACE_ID.toUpperCase(), SPAN_ID],
    ['an all-zero trace id', '0'.repeat(32), SPAN_ID],
    ['an all-zero span id', TRACE_ID, '0'.repeat(16)],
    ['a long span id', TRACE_ID, `${SPAN_ID}0`],
    ['a non-string span id', TRACE_ID, undefined as unknown as string],
  ])('returns undefined instead of an invalid header for %s', (_case, traceId, spanId) => {
    expect(formatTraceparent(traceId, spanId, true)).toBeUndefined();
  });

  it('round-trips any valid ids and flags through parseTraceparent', () => {
    fc.assert(
      fc.property(traceIdArb, spanIdArb, fc.boolean(), fc.boolean(), (traceId, spanId, sampled, randomTraceId) => {
        const header = formatTraceparent(traceId, spanId, sampled, randomTraceId);
        expect(header).toHaveLength(55);
        expect(parseTraceparent(header)).toEqual({
          version: '00',
          traceId,
          parentSpanId: spanId,
          flags: (sampled ? 1 : 0) | (randomTraceId ? 2 : 0),
          sampled,
          randomTraceId,
        });
      }),
    );
  });
});
