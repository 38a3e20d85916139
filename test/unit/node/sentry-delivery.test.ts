import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, flush, getDroppedCounts, init, metrics } from '../../../src/node/index';
import { sentryExporter } from '../../../src/node/sentry';
import { startEnvelopeServer, type EnvelopeAnswer } from '../../support/envelope-server';

/**
 * A real @sentry/node client sending to a loopback ingest that fails: what Sentry's transport did
 * not deliver is counted once, by reason, `flush()` says false, and Sentry's client reports get
 * what Sentry itself did not already record. Each test records 200 series (one counter point each).
 */

const SERIES = 200;
let answer: EnvelopeAnswer = { status: 200 };
let server: Awaited<ReturnType<typeof startEnvelopeServer>>;

const isMetricEnvelope = (types: string[]) => types.includes('trace_metric');

/** A fresh Sentry client (and transport) for the process: isometer's exporter follows `getClient()`. */
function startSentry(): void {
  Sentry.init({ dsn: server?.dsn, tracesSampleRate: 0, defaultIntegrations: false, transportOptions: { bufferSize: 1 } });
}

beforeAll(async () => {
  server = await startEnvelopeServer((envelope) => (isMetricEnvelope(envelope.items.map(([header]) => String(header.type))) ? answer : { status: 200 }));
  startSentry();
  // The loopback ingest runs in this process, so its own http.server metric would join each
  // interval: left out here so the counts are the 200 series alone.
  init({ exporters: [sentryExporter()], flushIntervalMs: 0, beforeSendMetric: (point) => (point.name === 'http.server.request.duration' ? null : point) });
});

interface Outcome {
  reason: string;
  category: string;
  quantity: number;
}
/** Sentry's client-report outcomes recorded since the last call (what its next client report sends). */
function takeOutcomes(): Outcome[] {
  const client = Sentry.getClient() as unknown as { _clearOutcomes(): Outcome[] };
  // `before_send`: the ingest's own http.server points left out above.
  return client._clearOutcomes().filter((outcome) => outcome.category === 'trace_metric' && outcome.reason !== 'before_send');
}

afterAll(async () => {
  await close(500);
  await server.close();
  await Sentry.close(500);
});

function record(): void {
  for (let i = 0; i < SERIES; i++) metrics.count('ingest.fails', 1, { attributes: { i } });
}

/** The counts added by `run`. */
async function dropsDuring(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = getDroppedCounts() as Record<string, number>;
  await run();
  const after = getDroppedCounts() as Record<string, number>;
  const added: Record<string, number> = {};
  for (const reason of Object.keys(after)) if (reason !== 'before_send' && after[reason] !== (before[reason] ?? 0)) added[reason] = after[reason] - (before[reason] ?? 0);
  return added;
}

describe('the Sentry exporter counts what Sentry’s transport did not deliver', () => {
  it('delivers and counts nothing when the ingest accepts', async () => {
    answer = { status: 200 };
    record();
    expect(await dropsDuring(async () => expect(await flush(5000)).toBe(true))).toEqual({});
  });

  it('HTTP 500: flush() resolves false, every point is counted once and goes into Sentry’s client reports', async () => {
    answer = { status: 500 };
    takeOutcomes();
    record();
    expect(await dropsDuring(async () => expect(await flush(5000)).toBe(false))).toEqual({ export_error: SERIES });
    // Reported at the next export (client reports are sent on Sentry's own schedule).
    answer = { status: 200 };
    metrics.count('next.interval', 1);
    expect(await flush(5000)).toBe(true);
    expect(takeOutcomes()).toEqual([{ reason: 'send_error', category: 'trace_metric', quantity: SERIES }]);
  });

  it('a reset connection: counted as a network error, which Sentry already reported itself', async () => {
    answer = 'reset';
    takeOutcomes();
    record();
    expect(await dropsDuring(async () => expect(await flush(5000)).toBe(false))).toEqual({ network_error: SERIES });
    // Sentry's transport recorded the lost envelope's items; isometer's next export adds nothing.
    answer = { status: 200 };
    metrics.count('next.interval', 1);
    expect(await flush(5000)).toBe(true);
    expect(takeOutcomes()).toEqual([{ reason: 'network_error', category: 'trace_metric', quantity: SERIES }]);
  });

  it('an ingest that never answers: flush(t) resolves false at its timeout and counts the points', async () => {
    answer = 'hang';
    record();
    expect(await dropsDuring(async () => expect(await flush(300)).toBe(false))).toEqual({ export_timeout: SERIES });
  });

  it('a full transport queue: counted, flush() false', async () => {
    // One envelope still hangs from the test before (bufferSize 1): Sentry refuses the next one.
    record();
    expect(await dropsDuring(async () => expect(await flush(5000)).toBe(false))).toEqual({ network_error: SERIES });
  });

  it('HTTP 429, then the rate-limited category Sentry’s transport skips: both counted as rate_limited', async () => {
    // A new transport: the one before still holds the envelope the ingest never answered. Its
    // request is ended first and waited for, so its late failure cannot land in this test's count.
    const previous = Sentry.getClient();
    server.closeConnections();
    await previous?.flush(2000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    startSentry();
    answer = { status: 429, headers: { 'retry-after': '60', 'x-sentry-rate-limits': '60:trace_metric:organization' } };
    record();
    expect(await dropsDuring(async () => expect(await flush(5000)).toBe(false))).toEqual({ rate_limited: SERIES });
    record();
    expect(await dropsDuring(async () => expect(await flush(5000)).toBe(false))).toEqual({ rate_limited: SERIES });
  });
});
