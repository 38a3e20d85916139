import { afterEach, describe, expect, it } from 'vitest';
import { close, getClient, initWithRuntime, memoryExporter, suppressTracing, type IsometerOptions } from '../../../../src/core/index';
import { createAsyncContextManager } from '../../../../src/node/async-context-manager';
import { continueTrace } from '../../../../src/core/trace/trace-headers';
import { startSpan } from '../../../../src/core/trace/start-span';
import { outgoingSpanOptions, planOutgoingRequest, traceParts, type OutgoingPlan, type OutgoingRuntime } from '../../../../src/core/trace/outgoing';
import { randomnessForSampleRand, thresholdForRate } from '../../../../src/core/trace/codecs/consistent-sampling';
import { parseBaggage } from '../../../../src/core/trace/codecs/baggage';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const ALL_TARGETS: OutgoingRuntime = { propagatesByDefault: () => true, sameOrigin: () => false };

function start(options: IsometerOptions = {}): void {
  initWithRuntime({ exporters: [memoryExporter()], flushIntervalMs: 0, ...options }, { contextManager: createAsyncContextManager() });
}

afterEach(() => close());

function plan(url: string, appHeaders: Record<string, string> = {}, runtime = ALL_TARGETS, rawUrl?: string): OutgoingPlan | undefined {
  return planOutgoingRequest({ method: 'get', url, rawUrl, header: (name) => appHeaders[name] }, runtime);
}

/** The headers of a request made from a fresh root span of its own trace. */
function fromNewRoot(appHeaders: Record<string, string> = {}): Record<string, string> {
  return startSpan({ name: 'root', parentSpan: null }, () => plan('http://127.0.0.1:9/x', appHeaders)!.headers!);
}

describe('outgoingSpanOptions', () => {
  it('names a same-origin request by its path and any other by its URL, never with the query', () => {
    const url = new URL('https://api.example.com:8443/v1/items?page=2#top');
    expect(outgoingSpanOptions('post', url, true)).toMatchObject({ name: 'POST /v1/items', op: 'http.client', nameSource: 'url' });
    expect(outgoingSpanOptions('get', url, false)).toMatchObject({
      name: 'GET https://api.example.com:8443/v1/items',
      attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.example.com:8443/v1/items', 'url.path': '/v1/items', 'server.address': 'api.example.com' },
    });
  });
});

describe('planOutgoingRequest', () => {
  it('does nothing without an active client, or inside suppressTracing', () => {
    expect(plan('http://127.0.0.1:9/x')).toBeUndefined();
    start({ tracesSampleRate: 1 });
    expect(suppressTracing(() => plan('http://127.0.0.1:9/x'))).toBeUndefined();
  });

  it('times a request made in a span with a child span, which is the parent sent downstream', () => {
    start({ tracesSampleRate: 1 });
    startSpan({ name: 'work' }, (parent) => {
      const result = plan('http://127.0.0.1:9/items?q=1')!;
      expect(result.span).toMatchObject({ parentSpanId: parent.spanId, traceId: parent.traceId, name: 'GET http://127.0.0.1:9/items' });
      expect(result.headers!['sentry-trace']).toBe(`${parent.traceId}-${result.span!.spanId}-1`);
    });
  });

  it('gives a request outside any span no span but the trace headers, or hangs it under the runtime fallback', () => {
    start({ tracesSampleRate: 1 });
    const bare = plan('http://127.0.0.1:9/x')!;
    expect(bare.span).toBeUndefined();
    expect(bare.headers!['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}/);
    startSpan({ name: 'page load' }, (pageLoad) => {
      const fallback = { ...ALL_TARGETS, fallbackParent: () => pageLoad };
      // Outside the callback's active context the fallback is what a request hangs under.
      expect(planOutgoingRequest({ method: 'GET', url: 'http://127.0.0.1:9/x', header: () => undefined }, fallback)!.span?.parentSpanId).toBe(pageLoad.spanId);
    });
  });

  it('sends headers only to matching targets (the absolute URL or as written), else by the runtime default', () => {
    start({ tracesSampleRate: 1, tracePropagationTargets: ['/api/'] });
    expect(plan('http://127.0.0.1:9/api/x')!.headers).toBeDefined();
    expect(plan('http://127.0.0.1:9/other')!.headers).toBeUndefined();
    close();
    start({ tracesSampleRate: 1, tracePropagationTargets: [/^\/relative/] });
    expect(plan('http://127.0.0.1:9/relative', {}, ALL_TARGETS, '/relative')!.headers).toBeDefined();
    close();
    start({ tracesSampleRate: 1 });
    expect(plan('http://127.0.0.1:9/x', {}, { ...ALL_TARGETS, propagatesByDefault: () => false })!.headers).toBeUndefined();
  });

  it.each(['sentry-trace', 'traceparent'])('adds nothing when the app set %s itself', (name) => {
    start({ tracesSampleRate: 1, propagateTraceparent: true });
    expect(plan('http://127.0.0.1:9/x', { [name]: 'set-by-app' })!.headers).toBeUndefined();
  });

  it("never overwrites the app's tracestate, and merges into its baggage", () => {
    start({ tracesSampleRate: 1, propagateTraceparent: true });
    const result = startSpan({ name: 'root' }, () => plan('http://127.0.0.1:9/x', { tracestate: 'app=1', baggage: 'userId=alice' })!);
    expect(result.headers!.tracestate).toBeUndefined();
    expect(result.headers!.traceparent).toMatch(/^00-/);
    expect(result.headers!.baggage.startsWith('userId=alice,sentry-trace_id=')).toBe(true);
    expect(result.baggageAdded).toBe(result.headers!.baggage.slice('userId=alice,'.length));
  });
});

describe('traceParts: decisions on the wire', () => {
  it("'decided' (default): a trace the root did not keep goes out as not sampled", () => {
    start({ tracesSampleRate: 0, propagateTraceparent: true });
    const headers = fromNewRoot();
    expect(headers['sentry-trace']).toMatch(/-0$/);
    expect(headers.traceparent).toMatch(/-02$/);
    expect(parseBaggage(headers.baggage).sentry).toMatchObject({ sampled: 'false', sample_rate: '0' });
  });

  it("'deferred': a trace the root did not keep goes out with its id and sample_rand but no decision", () => {
    start({ tracesSampleRate: 0, propagateTraceparent: true, unsampledPropagation: 'deferred' });
    const headers = fromNewRoot();
    const [traceId] = headers['sentry-trace'].split('-');
    expect(headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
    // The random-trace-id bit stays; the sampled bit is off.
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-02$`));
    const dsc = parseBaggage(headers.baggage).sentry;
    expect(dsc).not.toHaveProperty('sampled');
    expect(dsc).not.toHaveProperty('sample_rate');
    expect(dsc.trace_id).toBe(traceId);
    expect(headers.tracestate).toBe(`ot=rv:${randomnessForSampleRand(Number(dsc.sample_rand))}`);
  });

  it("'deferred': a kept trace goes out sampled, as always", () => {
    start({ tracesSampleRate: 1, propagateTraceparent: true, unsampledPropagation: 'deferred' });
    const headers = fromNewRoot();
    expect(headers['sentry-trace']).toMatch(/-1$/);
    expect(headers.traceparent).toMatch(/-03$/);
    expect(parseBaggage(headers.baggage).sentry).toMatchObject({ sampled: 'true', sample_rate: '1' });
    expect(headers.tracestate).toMatch(/^ot=th:0;rv:[0-9a-f]{14}$/);
  });

  it("'deferred': a continued trace the caller decided keeps the caller's decision", () => {
    start({ tracesSampleRate: 1, unsampledPropagation: 'deferred' });
    const headers = continueTrace({ 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-0` }, () => fromNewRootOfContinued());
    expect(headers['sentry-trace']).toMatch(/-0$/);
  });

  it('a service receiving a deferred trace decides with its own rate and the same sample_rand, and passes the decision on', () => {
    start({ tracesSampleRate: 0.5, propagateTraceparent: true });
    for (const sampleRand of [0.1, 0.49, 0.5, 0.9]) {
      const headers = continueTrace({ 'sentry-trace': `${TRACE_ID}-${SPAN_ID}`, baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=${sampleRand}` }, () => fromNewRootOfContinued());
      expect(headers['sentry-trace'].endsWith(sampleRand < 0.5 ? '-1' : '-0')).toBe(true);
      expect(parseBaggage(headers.baggage).sentry).toMatchObject({ sample_rand: String(sampleRand), sample_rate: '0.5', sampled: String(sampleRand < 0.5) });
    }
  });

  it('writes ot=th:…;rv:… whose decision (rv ≥ th) always agrees with the sampled flag', () => {
    start({ tracesSampleRate: 0.25, propagateTraceparent: true });
    for (let round = 0; round < 200; round++) {
      const headers = fromNewRoot();
      const sampleRand = Number(parseBaggage(headers.baggage).sentry.sample_rand);
      const match = /^ot=th:([0-9a-f]+);rv:([0-9a-f]{14})$/.exec(headers.tracestate)!;
      expect(match[1]).toBe(thresholdForRate(0.25));
      expect(match[2]).toBe(randomnessForSampleRand(sampleRand));
      expect(match[2] >= match[1].padEnd(14, '0')).toBe(headers['sentry-trace'].endsWith('-1'));
    }
  });

  it("forwards an incoming ot=rv unchanged, and keeps the other vendors' entries behind isometer's", () => {
    start({ tracesSampleRate: 1, propagateTraceparent: true });
    const rv = 'a1b2c3d4e5f607';
    const headers = continueTrace({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: `rojo=1,ot=rv:${rv};p:8,congo=2` }, () => fromNewRootOfContinued());
    expect(headers.tracestate).toBe(`ot=rv:${rv};p:8,rojo=1,congo=2`);
  });

  it('sends only the header families the propagators allow', () => {
    start({ tracesSampleRate: 1, propagateTraceparent: true });
    const options = getClient()!.options;
    options.propagators = { sentry: false, tracecontext: true, baggage: true };
    let parts = continueTrace({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'tenant=acme' }, () => traceParts(getCurrent(), undefined));
    expect(parts).not.toHaveProperty('sentryTrace');
    expect(parts).toMatchObject({ sentryBaggage: [], traceBaggage: ['tenant=acme'] });
    expect(parts.traceparent).toMatch(/^00-/);
    options.propagators = { sentry: true, tracecontext: false, baggage: false };
    // Reading follows the same families: a lone traceparent is not read now, sentry-trace is.
    parts = continueTrace({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }, () => traceParts(getCurrent(), undefined));
    expect(parts.sentryTrace).not.toMatch(new RegExp(`^${TRACE_ID}-`));
    parts = continueTrace({ 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-1`, baggage: 'tenant=acme' }, () => traceParts(getCurrent(), undefined));
    expect(parts).not.toHaveProperty('traceparent');
    expect(parts).not.toHaveProperty('tracestate');
    expect(parts.traceBaggage).toEqual([]);
    expect(parts.sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-`));
  });
});

/** Headers of a request from a new local root in the continued trace. */
function fromNewRootOfContinued(): Record<string, string> {
  return startSpan({ name: 'handler' }, () => plan('http://127.0.0.1:9/x')!.headers!);
}

function getCurrent() {
  return startSpan({ name: 'peek' }, (span) => span.propagation);
}
