/**
 * Sentry 11 with a real client, so `metrics.count`/`metrics.distribution` run their whole
 * pipeline: scope lookup, attribute enrichment, `beforeSendMetric`, the 1000-item buffer, the
 * weight-based flush and envelope creation. Only the transport is replaced.
 *
 * The client is `ServerRuntimeClient` from `@sentry/core/server`, given what `@sentry/node`'s
 * `NodeClient` adds to every metric (SDK metadata, `serverName` = the host name → `server.address`),
 * without the OpenTelemetry and AsyncLocalStorage set-up `@sentry/node`'s `init` also installs and
 * that would skew the OpenTelemetry figures measured in the same process.
 */
import * as os from 'node:os';
import { applySdkMetadata, createStackParser, initAndBind, metrics, serializeEnvelope, startSpan } from '@sentry/core';
import { ServerRuntimeClient } from '@sentry/core/server';
import { BENCH_ENVIRONMENT, BENCH_RELEASE } from './isometer.mjs';

/** Nothing listens there; the transport below never opens a connection anyway. */
const DSN = 'http://0123456789abcdef0123456789abcdef@127.0.0.1:9/1';

function clientOptions(transport) {
  const options = {
    dsn: DSN,
    release: BENCH_RELEASE,
    environment: BENCH_ENVIRONMENT,
    integrations: [],
    stackParser: createStackParser(),
    transport,
    platform: 'node',
    runtime: { name: 'node', version: process.version },
    serverName: os.hostname(),
    // Every trace sampled, so startSpan does its whole job (a transaction per root span).
    tracesSampleRate: 1,
  };
  applySdkMetadata(options, 'node');
  return options;
}

/**
 * @param {{ serialize?: boolean }} options serialize: measure each envelope as Sentry's HTTP
 *   transport would send it (`serializeEnvelope`), instead of only counting its items.
 */
export function startSentry({ serialize = false } = {}) {
  const stats = { envelopes: 0, items: 0, bytes: 0 };
  const transport = () => ({
    send(envelope) {
      stats.envelopes++;
      for (const [header] of envelope[1]) stats.items += header.item_count ?? 1;
      if (serialize) {
        const body = serializeEnvelope(envelope);
        stats.bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      }
      return Promise.resolve({});
    },
    flush: () => Promise.resolve(true),
  });
  const client = initAndBind(ServerRuntimeClient, clientOptions(transport));
  let seenItems = 0;
  let spansEnded = 0;
  client.on('spanEnd', () => spansEnded++);
  return {
    metrics,
    startSpan,
    stats,
    /** How many spans Sentry ended since the last call. */
    spansEnded() {
      const ended = spansEnded;
      spansEnded = 0;
      return ended;
    },
    /** Flushes Sentry's metric buffer and returns how many metrics reached the transport since the last call. */
    async recorded() {
      await client.flush(2000);
      const items = stats.items - seenItems;
      seenItems = stats.items;
      return items;
    },
    stop: () => client.close(2000),
  };
}
