import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { close, flush, getTraceHeaders, init, metrics, startSpan } from '../../../src/node/index';
import type { SentryMetricItem } from '../../../src/core/sentry/sentry-metric-items';
import { startEnvelopeServer, type ReceivedEnvelope } from '../../support/envelope-server';

// @sentry/node patches http in this process; vitest runs each test file in its own process.
let server: Awaited<ReturnType<typeof startEnvelopeServer>>;
const warnings: string[] = [];

function metricItems(envelopes: ReceivedEnvelope[]): SentryMetricItem[] {
  return envelopes.flatMap((envelope) => envelope.items.filter(([header]) => header.type === 'trace_metric').flatMap(([, payload]) => (payload as { items: SentryMetricItem[] }).items));
}

/** Sentry's own spans (Sentry 11 streams them as `span` items; older SDKs send transactions). */
function sentrySpans(envelopes: ReceivedEnvelope[]): Array<{ attributes: Record<string, { value: unknown }> }> {
  return envelopes.flatMap((envelope) =>
    envelope.items.flatMap(([header, payload]) => {
      if (header.type === 'span') return (payload as { items: Array<{ attributes: Record<string, { value: unknown }> }> }).items;
      if (header.type !== 'transaction') return [];
      const transaction = payload as { release: unknown; environment: unknown };
      return [{ attributes: { 'sentry.release': { value: transaction.release }, 'sentry.environment': { value: transaction.environment } } }];
    }),
  );
}

describe("attached to the app's own @sentry/node client", () => {
  beforeAll(async () => {
    server = await startEnvelopeServer();
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.slice(1).join(' ')));
    // The app's Sentry names a release and no environment (so Sentry says "production"), and
    // keeps every trace; isometer is told another environment and rate.
    Sentry.init({ dsn: server.dsn, release: 'shop@1.2.3', tracesSampleRate: 1, defaultIntegrations: false });
    init({ sentry: Sentry, environment: 'staging', tracesSampleRate: 0.1, flushIntervalMs: 0 });
  });

  afterAll(async () => {
    await close();
    await Sentry.close(2000);
    await server.close();
    vi.restoreAllMocks();
  });

  it('sends metric items and spans that name the same release and environment', async () => {
    await startSpan({ name: 'checkout', op: 'task' }, async () => {
      metrics.count('cart.add', 2);
    });
    expect(await flush()).toBe(true);
    await Sentry.flush(2000);
    await server.waitFor((all) => metricItems(all).length > 0 && sentrySpans(all).length > 0);

    const [span] = sentrySpans(server.envelopes);
    expect(span.attributes['sentry.release'].value).toBe('shop@1.2.3');
    expect(span.attributes['sentry.environment'].value).toBe('production');
    const [item] = metricItems(server.envelopes).filter((entry) => entry.name === 'cart.add');
    expect(item.attributes['sentry.release']).toEqual({ value: 'shop@1.2.3', type: 'string' });
    expect(item.attributes['sentry.environment']).toEqual({ value: 'production', type: 'string' });
  });

  it("propagates the Sentry client's environment and sample rate in baggage", async () => {
    const headers = await startSpan({ name: 'outgoing' }, () => getTraceHeaders());
    expect(headers.baggage).toContain('sentry-environment=production');
    expect(headers.baggage).toContain('sentry-release=shop%401.2.3');
    expect(headers.baggage).not.toContain('staging');
  });

  it('warns once for each option that the Sentry client overrode, naming it', () => {
    expect(warnings.filter((line) => line.startsWith('init({ environment })'))).toHaveLength(1);
    expect(warnings.filter((line) => line.startsWith('init({ tracesSampleRate })'))).toHaveLength(1);
    expect(warnings.some((line) => line.startsWith('init({ release })'))).toBe(false);
  });
});
