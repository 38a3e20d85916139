import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, runChild, type BuiltFixture } from '../../support/child-app';
import { startEnvelopeServer, type EnvelopeAnswer } from '../../support/envelope-server';

/**
 * A short script (ESM and CJS, in a child process) turns Sentry on with init({ dsn }), records 40
 * series and awaits `close()` against a loopback DSN host that answers 500, 429, resets the
 * connection or never answers. Sentry's transport does not retry, so each is a loss: every point
 * is counted once, by reason, close says false, and the process exits as it would have (code 0).
 */

const SERIES = 40;
let fixture: BuiltFixture;
let answer: EnvelopeAnswer = { status: 200 };
let server: Awaited<ReturnType<typeof startEnvelopeServer>>;

beforeAll(async () => {
  fixture = await buildFixture(fileURLToPath(new URL('../../fixtures/sentry-ending-app.mjs', import.meta.url)), { withNodeModules: true });
  server = await startEnvelopeServer((envelope) => (envelope.items.some(([header]) => header.type === 'trace_metric') ? answer : { status: 200 }));
});

afterAll(async () => {
  fixture.remove();
  await server.close();
});

const metricPoints = () => server.envelopes.flatMap((envelope) => envelope.items.filter(([header]) => header.type === 'trace_metric')).length;

describe.each(['esm', 'cjs'] as const)('a short %s script closing against a failing Sentry ingest', (format) => {
  it.each([
    ['accepts', { status: 200 }, {}],
    ['answers 500', { status: 500 }, { export_error: SERIES }],
    ['answers 429 with Retry-After', { status: 429, headers: { 'retry-after': '60' } }, { rate_limited: SERIES }],
    ['resets the connection', 'reset', { network_error: SERIES }],
    ['never answers', 'hang', { export_timeout: SERIES }],
  ] as const)('the ingest %s: close says whether all arrived, and every lost point is counted once', async (_label, reply, dropped) => {
    answer = reply as EnvelopeAnswer;
    const before = metricPoints();
    const app = runChild(fixture.files[format], [], { LOOPBACK_DSN: server.dsn, CLOSE_TIMEOUT_MS: '1500' });
    await app.waitFor((event) => event.event === 'closed', 'that close settled');
    // @sentry/node's transport sets no deadline on its request: an ingest that never answers holds
    // the socket, and the process, until the ingest lets go (a real one times out); isometer's close
    // has settled by then, at its own deadline.
    if (reply === 'hang') server.closeConnections();
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.events).toEqual([{ event: 'closed', ok: Object.keys(dropped).length === 0, dropped }]);
    // The envelope reached the ingest each time (one envelope item of 40 points); only the answer differs.
    expect(metricPoints() - before).toBe(1);
  });
});
