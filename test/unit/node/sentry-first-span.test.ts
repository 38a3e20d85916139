import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, runChild, type BuiltFixture } from '../../support/child-app';
import { startEnvelopeServer, type ReceivedEnvelope } from '../../support/envelope-server';

/**
 * With `dsn` (or SENTRY_DSN), Sentry is set up inside `init`: a span started on the very next line
 * is Sentry's and reaches the DSN's host, and so does a metric recorded in it. Real @sentry/node in
 * a child process (ESM and CJS), against a loopback DSN host. The old code loaded Sentry with
 * `import()`, and the first span was isometer's own, sent nowhere.
 */

let fixture: BuiltFixture;
let withoutSentry: BuiltFixture;
let server: Awaited<ReturnType<typeof startEnvelopeServer>>;

beforeAll(async () => {
  // node_modules beside the bundles: @sentry/node resolves from them, as in an app.
  fixture = await buildFixture(fileURLToPath(new URL('../../fixtures/sentry-first-span-app.mjs', import.meta.url)), { withNodeModules: true });
  withoutSentry = await buildFixture(fileURLToPath(new URL('../../fixtures/sentry-first-span-app.mjs', import.meta.url)));
  server = await startEnvelopeServer();
});

afterAll(async () => {
  fixture.remove();
  withoutSentry.remove();
  await server.close();
});

/** Span names Sentry sent: transactions (static lifecycle) and their child spans, or streamed span items. */
function spanNames(envelopes: ReceivedEnvelope[]): string[] {
  return envelopes.flatMap((envelope) =>
    envelope.items.flatMap(([header, payload]) => {
      if (header.type === 'transaction') return [(payload as { transaction: string }).transaction];
      if (header.type === 'span') return (payload as { items: Array<{ name: string }> }).items.map((span) => span.name);
      return [];
    }),
  );
}

function metricNames(envelopes: ReceivedEnvelope[]): Array<[string, number]> {
  return envelopes.flatMap((envelope) =>
    envelope.items
      .filter(([header]) => header.type === 'trace_metric')
      .flatMap(([, payload]) => (payload as { items: Array<{ name: string; value: number }> }).items.map((item) => [item.name, item.value] as [string, number])),
  );
}

describe.each(['esm', 'cjs'] as const)('Sentry from the first line after init, %s', (format) => {
  it.each(['dsn', 'env'] as const)('a span started right after init({ %s }) reaches Sentry, with its metric', async (how) => {
    const before = server.envelopes.length;
    // SENTRY_DSN for "env"; LOOPBACK_DSN (read by the fixture) for init({ dsn }).
    const app = runChild(fixture.files[format], [how], how === 'env' ? { SENTRY_DSN: server.dsn } : { LOOPBACK_DSN: server.dsn });
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.events).toEqual([{ event: 'closed', ok: true }]);
    const received = server.envelopes.slice(before);
    expect(spanNames(received)).toEqual(['first-line']);
    expect(metricNames(received).filter(([name]) => name === 'first.metric')).toEqual([['first.metric', 3]]);
  });
});

describe.each(['esm', 'cjs'] as const)('without @sentry/node installed, %s', (format) => {
  it('warns once what to install, and the script runs and exits as usual', async () => {
    const file = withoutSentry.files[format];
    // Run from the bundle's own directory, with no node_modules above it: @sentry/node cannot be found.
    const app = runChild(file, ['dsn'], { LOOPBACK_DSN: server.dsn }, dirname(file));
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    // The metric meant for Sentry had nowhere to go: close says so.
    expect(app.events).toEqual([{ event: 'closed', ok: false }]);
    expect(app.stderr().match(/npm install @sentry\/node/g)).toHaveLength(1);
  });
});
