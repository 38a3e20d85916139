import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { startEnvelopeServer } from '../../support/envelope-server';
import { ISOMETER_BACKEND, startBackend, type Backend } from '../support/backend-process';
import { watchPage } from '../support/page-problems';
import { DIST_DIR, SCRIPT_TAG_BUILD, requireBuild } from '../support/paths';
import { startStaticServer, type StaticServer } from '../support/static-server';

// unsampledPropagation: 'deferred', end to end: a page in Chromium keeps 10 % of its traces and
// calls two backends at 50 % — isometer's node entry and the real @sentry/node — directly, each
// page load being one trace. Every trace the page keeps must be complete on both; of the others,
// each backend keeps its own share, (0.5 − 0.1) / 0.9 ≈ 44 %, deciding on the page's sample_rand,
// so both agree request by request.

const HERE = fileURLToPath(new URL('./', import.meta.url));
const LOADS = 400;
const PAGE_RATE = 0.1;
const BACKEND_RATE = 0.5;

interface BackendAnswer {
  backend: 'isometer' | 'sentry';
  traceId: string;
  sampled: boolean;
  sentryTrace?: string;
  baggage?: string;
}

/**
 * |observed − n·p| within five standard deviations of a binomial(n, p): a correct sampler fails it
 * about once in a million runs (three deviations would fail one run in a few hundred, with three
 * checks), while a wrong rate still fails it (at 400 loads, 10 % and 50 % lie 16 or more deviations apart).
 */
function withinFiveSigma(observed: number, n: number, p: number): boolean {
  return Math.abs(observed - n * p) <= 5 * Math.sqrt(n * p * (1 - p));
}

let pages: StaticServer;
let isometerBackend: Backend;
let sentryBackend: Backend;
let ingest: Awaited<ReturnType<typeof startEnvelopeServer>>;

test.beforeAll(async () => {
  requireBuild(SCRIPT_TAG_BUILD);
  requireBuild(`${DIST_DIR}node/index.js`);
  ingest = await startEnvelopeServer();
  pages = await startStaticServer({ '/': HERE, '/dist/': DIST_DIR });
  [isometerBackend, sentryBackend] = await Promise.all([
    startBackend(ISOMETER_BACKEND, { ISOMETER_SAMPLE_RATE: String(BACKEND_RATE), ISOMETER_UNSAMPLED_PROPAGATION: 'deferred' }),
    startBackend(`${HERE}sentry-backend.cjs`, { SENTRY_DSN: ingest.dsn }),
  ]);
});

test.afterAll(async () => {
  for (const backend of [isometerBackend, sentryBackend]) backend?.stop();
  await pages?.close();
  await ingest?.close();
});

test('deferred decisions: page-kept traces complete on both backends, the rest kept at each backend rate, in agreement', async ({ page }) => {
  // Hundreds of page loads: the statistics need them, and no clock decides the outcome.
  test.setTimeout(0);
  const problems = watchPage(page);
  const url = `${pages.origin}/page.html?backend=${encodeURIComponent(isometerBackend.url)}&backend=${encodeURIComponent(sentryBackend.url)}`;

  const loads: Array<{ traceId: string; pageKept: boolean; answers: BackendAnswer[]; pageSpanIds: string[] }> = [];
  for (let load = 0; load < LOADS; load++) {
    await page.goto(url);
    const answers = await page.evaluate(() => (window as unknown as { calls: Promise<BackendAnswer[]> }).calls);
    const pageSpans = await page.evaluate(async () => {
      const isometer = (window as unknown as { Isometer: { flush(): Promise<boolean> } }).Isometer;
      await isometer.flush();
      return (window as unknown as { pageSpans: { spans: Array<{ traceId: string; spanId: string; op?: string }> } }).pageSpans.spans.filter((span) => span.op === 'http.client');
    });
    const [traceId] = (answers[0].sentryTrace ?? '').split('-');
    // The page's decision is on the wire: "-1" when kept, no flag at all when deferred.
    const flags = answers.map((answer) => /^[0-9a-f]{32}-[0-9a-f]{16}(-[01])?$/.exec(answer.sentryTrace ?? '')?.[1]);
    expect(flags.every((flag) => flag === '-1') || flags.every((flag) => flag === undefined)).toBe(true);
    loads.push({ traceId, pageKept: flags[0] === '-1', answers, pageSpanIds: pageSpans.filter((span) => span.traceId === traceId).map((span) => span.spanId) });
  }

  // Every backend continued the page's trace, with the page's sample_rand.
  for (const { traceId, answers } of loads) {
    for (const answer of answers) {
      expect(answer.traceId).toBe(traceId);
      expect(answer.baggage).toMatch(/(^|,)sentry-sample_rand=0\.\d+/);
    }
  }
  expect(new Set(loads.map((load) => load.traceId)).size).toBe(LOADS);

  const { spans } = await isometerBackend.ask<{ spans: Array<{ traceId: string; parentSpanId?: string; name: string; sampled: boolean }> }>({ type: 'finish' }, 'spans');
  await sentryBackend.ask({ type: 'finish' }, 'flushed');
  const transactions = ingest.envelopes.flatMap((envelope) =>
    envelope.items.filter(([header]) => header.type === 'transaction').map(([, payload]) => payload as { transaction: string; contexts: { trace: { trace_id: string; parent_span_id?: string } } }),
  );
  const isometerKept = new Map(spans.filter((span) => span.name === 'GET /work').map((span) => [span.traceId, span]));
  const sentryKept = new Map(transactions.filter((event) => event.transaction === 'GET /work').map((event) => [event.contexts.trace.trace_id, event.contexts.trace]));

  const pageKept = loads.filter((load) => load.pageKept);
  const pageDropped = loads.filter((load) => !load.pageKept);
  // 100 % of the traces the page kept are complete: the page's request spans, and on each
  // backend a recorded server span whose parent is the page's request span.
  for (const load of pageKept) {
    expect(load.pageSpanIds).toHaveLength(2);
    expect(load.answers.map((answer) => answer.sampled)).toEqual([true, true]);
    expect(load.pageSpanIds).toContain(isometerKept.get(load.traceId)?.parentSpanId);
    expect(load.pageSpanIds).toContain(sentryKept.get(load.traceId)?.parent_span_id);
  }
  // The page recorded nothing of the traces it did not keep.
  for (const load of pageDropped) expect(load.pageSpanIds).toEqual([]);

  // Both backends agree request by request, and what each says it kept is what it sent.
  for (const load of loads) {
    const [fromIsometer, fromSentry] = load.answers;
    expect(fromIsometer.sampled).toBe(fromSentry.sampled);
    expect(isometerKept.has(load.traceId)).toBe(fromIsometer.sampled);
    expect(sentryKept.has(load.traceId)).toBe(fromSentry.sampled);
  }
  // Every span either backend recorded belongs to one of the page's traces.
  const pageTraces = new Set(loads.map((load) => load.traceId));
  expect([...isometerKept.keys(), ...sentryKept.keys()].every((traceId) => pageTraces.has(traceId))).toBe(true);

  const keptOfDropped = pageDropped.filter((load) => load.answers[0].sampled).length;
  const keptOfAll = loads.filter((load) => load.answers[0].sampled).length;
  const share = (BACKEND_RATE - PAGE_RATE) / (1 - PAGE_RATE);
  console.log(
    `deferred sampling over ${LOADS} loads: page kept ${pageKept.length} (${((100 * pageKept.length) / LOADS).toFixed(1)} %); ` +
      `each backend kept ${keptOfAll} of all (${((100 * keptOfAll) / LOADS).toFixed(1)} %, expected 50 %) and ${keptOfDropped} of the ${pageDropped.length} the page dropped ` +
      `(${((100 * keptOfDropped) / pageDropped.length).toFixed(1)} %, expected ${(100 * share).toFixed(1)} %)`,
  );
  expect(withinFiveSigma(pageKept.length, LOADS, PAGE_RATE)).toBe(true);
  expect(withinFiveSigma(keptOfAll, LOADS, BACKEND_RATE)).toBe(true);
  expect(withinFiveSigma(keptOfDropped, pageDropped.length, share)).toBe(true);
  expect(problems.errors).toEqual([]);
});
