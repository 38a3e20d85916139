import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startEnvelopeServer } from '../../support/envelope-server';
import { ISOMETER_BACKEND, startBackend, type Backend } from '../support/backend-process';
import { DIST_DIR, requireBuild } from '../support/paths';

// A page on the real @sentry/browser calls a server on isometer's node entry (at 0.5, in each
// unsampledPropagation mode): at rates 1, 0 and 0.5 the server follows the page's decision,
// load by load, in the page's trace, with the page's sample_rand.

const ENTRY = fileURLToPath(new URL('./sentry-page.ts', import.meta.url));
const LOADS_PER_RATE = 8;

interface Answer {
  traceId: string;
  sampled: boolean;
  sentryTrace?: string;
  baggage?: string;
}

let pages: { origin: string; close(): Promise<void> };
// Sentry's browser SDK traces only with a DSN: a loopback ingest stands in for Sentry.
let ingest: Awaited<ReturnType<typeof startEnvelopeServer>>;

test.beforeAll(async () => {
  requireBuild(`${DIST_DIR}node/index.js`);
  ingest = await startEnvelopeServer();
  const bundle = await build({ entryPoints: [ENTRY], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  const script = bundle.outputFiles[0].text;
  const server = http.createServer((request, response) => {
    if (request.url === '/sentry-page.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><script src="/sentry-page.js"></script></head><body>sentry page</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pages = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
});

test.afterAll(async () => {
  await pages?.close();
  await ingest?.close();
});

for (const mode of ['decided', 'deferred'] as const) {
  test(`isometer's node entry ('${mode}' mode) follows @sentry/browser's page decisions at rates 1, 0 and 0.5`, async ({ page }) => {
    test.setTimeout(0);
    const backend: Backend = await startBackend(ISOMETER_BACKEND, { ISOMETER_SAMPLE_RATE: '0.5', ISOMETER_UNSAMPLED_PROPAGATION: mode });
    const kept = new Set<string>();
    try {
      for (const rate of [1, 0, 0.5]) {
        for (let load = 0; load < LOADS_PER_RATE; load++) {
          await page.goto(`${pages.origin}/?rate=${rate}&dsn=${encodeURIComponent(ingest.dsn)}&backend=${encodeURIComponent(backend.url)}`);
          const answer = await page.evaluate(() => (window as unknown as { call: Promise<Answer> }).call);
          const match = /^([0-9a-f]{32})-[0-9a-f]{16}-([01])$/.exec(answer.sentryTrace ?? '');
          expect(match, JSON.stringify(answer)).not.toBeNull();
          const [, traceId, flag] = match!;
          if (rate !== 0.5) expect(flag).toBe(rate === 1 ? '1' : '0');
          expect(answer).toMatchObject({ traceId, sampled: flag === '1' });
          expect(answer.baggage).toMatch(new RegExp(`(^|,)sentry-trace_id=${traceId}(,|$)`));
          if (flag === '1') kept.add(traceId);
        }
      }
      // The server recorded a span for exactly the traces the page kept.
      const { spans } = await backend.ask<{ spans: Array<{ traceId: string; name: string }> }>({ type: 'finish' }, 'spans');
      expect(new Set(spans.filter((span) => span.name === 'GET /work').map((span) => span.traceId))).toEqual(kept);
    } finally {
      backend.stop();
    }
  });
}
