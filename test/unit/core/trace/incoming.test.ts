import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTraceStateCodec, setTraceStateCodec } from '../../../../src/core/carrier';
import { propagationFromHeaders, readHeader, settleTraceState } from '../../../../src/core/trace/incoming';
import { randomnessForSampleRand, sampleRandFromRandomness, thresholdForRate } from '../../../../src/core/trace/codecs/consistent-sampling';
import { traceStateCodec } from '../../../../src/core/trace/codecs/trace-state-codec';

// As in Node and in a page's engine; the page's front, which goes without, is its own case below.
const previousCodec = getTraceStateCodec();
beforeAll(() => setTraceStateCodec(traceStateCodec));
afterAll(() => setTraceStateCodec(previousCodec));

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const sentryTrace = (flag = '') => `${TRACE_ID}-${SPAN_ID}${flag}`;

describe('readHeader', () => {
  it('reads Fetch Headers, Node headers (repeated values joined) and plain objects case-insensitively', () => {
    expect(readHeader(new Headers({ Baggage: 'a=1' }), 'baggage')).toBe('a=1');
    expect(readHeader({ tracestate: ['a=1', 'b=2'] }, 'tracestate')).toBe('a=1,b=2');
    expect(readHeader({ 'Sentry-Trace': 'x' }, 'sentry-trace')).toBe('x');
    expect(readHeader(null, 'baggage')).toBeUndefined();
  });

  it('reads a throwing getter as no header', () => {
    expect(
      readHeader(
        {
          get: () => {
            throw new Error('boom');
          },
        },
        'baggage',
      ),
    ).toBeUndefined();
  });
});

describe('propagationFromHeaders', () => {
  it('returns undefined without a valid sentry-trace or traceparent (a new trace starts)', () => {
    expect(propagationFromHeaders({})).toBeUndefined();
    expect(propagationFromHeaders({ 'sentry-trace': 'garbage', traceparent: '00-zz' })).toBeUndefined();
  });

  it('prefers sentry-trace over traceparent', () => {
    const other = '0af7651916cd43dd8448eb211c80319c';
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), traceparent: `00-${other}-${SPAN_ID}-00` })!;
    expect(propagation).toMatchObject({ traceId: TRACE_ID, parentSpanId: SPAN_ID, sampled: true });
  });

  it('keeps a valid sample_rand that agrees with the decision and rate', () => {
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rate=0.5,sentry-sample_rand=0.25` })!;
    expect(propagation).toMatchObject({ sampled: true, sampleRate: 0.5, sampleRand: 0.25 });
    expect(propagation.dsc?.sample_rand).toBe('0.25');
  });

  it('reads sample_rate and sample_rand exactly as Number does, however many digits they have', () => {
    for (const value of ['0.5', '0.25', '0.123456', '0.1', '0.3', '0.7', '0.000001', '0.999999', '0.999999999999999', '0.1234567890123456789', '.5', ' 0.5', '0.50', '1', '1.0', '0']) {
      const propagation = propagationFromHeaders({ baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rate=${value},sentry-sample_rand=${value}`, 'sentry-trace': sentryTrace('') })!;
      expect(propagation.sampleRate).toBe(Number(value));
      if (Number(value) < 1) expect(propagation.sampleRand).toBe(Number(value));
    }
    for (let round = 0; round < 2000; round++) {
      const value = String(Math.random()).slice(0, 2 + 1 + Math.floor(Math.random() * 17));
      const propagation = propagationFromHeaders({ baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=${value}`, 'sentry-trace': sentryTrace('') })!;
      expect(propagation.sampleRand).toBe(Number(value));
    }
  });

  it.each(['NaN', '-1', '2', '1e999', '1', 'abc', '', '0x1'])('replaces a sample_rand of %j, in what is forwarded too, with one that reproduces the decision', (bad) => {
    for (const [flag, sampled] of [
      ['-1', true],
      ['-0', false],
    ] as const) {
      for (let round = 0; round < 50; round++) {
        const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace(flag), baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rate=0.3,sentry-sample_rand=${bad}` })!;
        expect(propagation.sampleRand).toBeGreaterThanOrEqual(0);
        expect(propagation.sampleRand).toBeLessThan(1);
        expect(propagation.sampleRand < 0.3).toBe(sampled);
        expect(propagation.dsc?.sample_rand).toBe(String(propagation.sampleRand));
      }
    }
  });

  it('replaces a sample_rand that contradicts the decision at the given rate', () => {
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rate=0.1,sentry-sample_rand=0.9` })!;
    expect(propagation.sampleRand).toBeLessThan(0.1);
    expect(propagation.dsc?.sample_rand).toBe(String(propagation.sampleRand));
  });

  it('adds the sample_rand decided with to a dynamic sampling context that had none', () => {
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace(), baggage: `sentry-trace_id=${TRACE_ID},sentry-release=1.0` })!;
    expect(propagation.sampled).toBeUndefined();
    expect(propagation.dsc).toEqual({ trace_id: TRACE_ID, release: '1.0', sample_rand: String(propagation.sampleRand) });
  });

  it.each(['abc', '1.5', '-0.1', '50%', 'NaN'])('does not forward a malformed sample_rate (%j)', (bad) => {
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rate=${bad},sentry-sample_rand=0.2` })!;
    expect(propagation.sampleRate).toBeUndefined();
    expect(propagation.dsc).not.toHaveProperty('sample_rate');
    expect(propagation.sampleRand).toBe(0.2);
  });

  it.each(['yes', 'TRUE', '1', ''])('does not forward a malformed sampled (%j), and takes no decision from it', (bad) => {
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace(), baggage: `sentry-trace_id=${TRACE_ID},sentry-sampled=${bad}` })!;
    expect(propagation.sampled).toBeUndefined();
    expect(propagation.dsc).not.toHaveProperty('sampled');
  });

  it('takes the decision from sentry-sampled when sentry-trace has no flag', () => {
    expect(propagationFromHeaders({ 'sentry-trace': sentryTrace(), baggage: `sentry-trace_id=${TRACE_ID},sentry-sampled=false` })!.sampled).toBe(false);
  });

  it("ignores a dynamic sampling context of another trace, but keeps the other vendors' members", () => {
    const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), baggage: `sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sample_rand=0.5,userId=alice` })!;
    expect(propagation.dsc).toBeUndefined();
    expect(propagation.foreignBaggage).toEqual(['userId=alice']);
  });

  it('keeps tracestate only with the valid traceparent of the same trace', () => {
    const traceparent = `00-${TRACE_ID}-${SPAN_ID}-01`;
    expect(propagationFromHeaders({ traceparent, tracestate: 'rojo=1,foo@=2' })!.tracestate).toEqual([
      ['rojo', '1'],
      ['foo@', '2'],
    ]);
    expect(propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), tracestate: 'rojo=1' })!.tracestate).toBeUndefined();
    expect(propagationFromHeaders({ 'sentry-trace': sentryTrace('-1'), traceparent: `00-0af7651916cd43dd8448eb211c80319c-${SPAN_ID}-01`, tracestate: 'rojo=1' })!.tracestate).toBeUndefined();
  });

  it('reads the random-trace-id flag of a Level 2 traceparent', () => {
    expect(propagationFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-03` })!.randomTraceId).toBe(true);
    expect(propagationFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` })!.randomTraceId).toBe(false);
  });

  describe("OpenTelemetry's ot=rv and ot=th", () => {
    const rv = randomnessForSampleRand(0.3)!;

    it('reads ot=rv as the randomness when no sentry-sample_rand came, and keeps it to forward unchanged', () => {
      const propagation = propagationFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: `ot=rv:${rv},rojo=1` })!;
      expect(propagation.sampleRand).toBe(sampleRandFromRandomness(rv));
      expect(propagation.sampleRand).toBeCloseTo(0.3, 12);
      expect(propagation.randomness).toBe(rv);
    });

    it('reads ot=th as the caller rate when no sentry-sample_rate came', () => {
      const propagation = propagationFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: `ot=th:${thresholdForRate(0.5)};rv:${rv}` })!;
      expect(propagation).toMatchObject({ sampled: true, sampleRate: 0.5, randomness: rv });
    });

    it('prefers a valid sentry-sample_rand over ot=rv', () => {
      const propagation = propagationFromHeaders({
        'sentry-trace': sentryTrace('-0'),
        baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.7`,
        traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`,
        tracestate: `ot=rv:${rv}`,
      })!;
      expect(propagation.sampleRand).toBe(0.7);
      expect(propagation.randomness).toBeUndefined();
    });

    it('ignores rv and th when they contradict the sampled flag (the threshold is erased, as the specification asks)', () => {
      // rv stands for 0.3; at the threshold for 0.25 it means "not sampled", yet the flag says sampled.
      const propagation = propagationFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: `ot=th:${thresholdForRate(0.25)};rv:${rv}` })!;
      expect(propagation).toMatchObject({ sampled: true, sampleRate: undefined });
      expect(propagation.randomness).toBeUndefined();
      expect(propagation.sampleRand).not.toBe(sampleRandFromRandomness(rv));
    });
  });

  describe('without the tracestate codec (a page before its engine arrived)', () => {
    beforeAll(() => setTraceStateCodec(undefined));
    afterAll(() => setTraceStateCodec(traceStateCodec));

    it('keeps tracestate unread and draws sample_rand; settleTraceState reads both once the codec is there', () => {
      const rv = randomnessForSampleRand(0.3)!;
      const propagation = propagationFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: `ot=th:${thresholdForRate(0.5)};rv:${rv},rojo=1` })!;
      expect(propagation.tracestate).toBeUndefined();
      expect(propagation.unreadTracestate).toBe(`ot=th:${thresholdForRate(0.5)};rv:${rv},rojo=1`);
      expect(propagation.randomness).toBeUndefined();
      // Drawn to reproduce "sampled" with no known rate: any number does.
      expect(propagation.sampleRand).toBeGreaterThanOrEqual(0);

      settleTraceState(propagation); // still no codec: nothing changes
      expect(propagation.tracestate).toBeUndefined();

      setTraceStateCodec(traceStateCodec);
      settleTraceState(propagation);
      setTraceStateCodec(undefined);
      expect(propagation.tracestate).toEqual([
        ['ot', `th:${thresholdForRate(0.5)};rv:${rv}`],
        ['rojo', '1'],
      ]);
      expect(propagation).toMatchObject({ sampled: true, sampleRate: 0.5, randomness: rv, sampleRand: sampleRandFromRandomness(rv) });
      expect(propagation.unreadTracestate).toBeUndefined();
    });

    it('keeps a decision the page made with the drawn number when ot=rv would contradict it', () => {
      const rv = randomnessForSampleRand(0.9)!;
      const propagation = propagationFromHeaders({ 'sentry-trace': sentryTrace(), traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: `ot=rv:${rv}` })!;
      // The page decides this deferred trace with its drawn number (say it came out under 0.5).
      propagation.sampled = true;
      propagation.sampleRate = 0.5;
      const drawn = propagation.sampleRand;
      setTraceStateCodec(traceStateCodec);
      settleTraceState(propagation);
      setTraceStateCodec(undefined);
      expect(propagation.tracestate).toEqual([['ot', `rv:${rv}`]]);
      // 0.9 would say "not sampled" at 0.5: the number decided with stays.
      expect(propagation.sampleRand).toBe(drawn);
      expect(propagation.randomness).toBeUndefined();
    });
  });
});
