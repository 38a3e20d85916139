import type { SpanData } from '../core/trace/span-data';
import type { PageCapture } from './page-capture';
import type { CapturedBatch, CapturedPoint, TelemetrySnapshot } from './telemetry-snapshot';
import type { TelemetrySource } from './telemetry-source';

/**
 * The `metrics` fixture: what isometer exported in the test's pages (every page and frame of
 * the test's browser context, across navigations and closed pages), and the server's side when
 * the `isometerServer` option points at one. Pass it (or `metrics.server`) to the matchers.
 *
 * @example
 * test('counts the click', async ({ page, metrics }) => {
 *   await page.getByRole('button', { name: 'Buy' }).click();
 *   await expect(metrics).toHaveCounter('checkout.click', { value: 1 });
 *   const { points } = await metrics.flush(); // or read them yourself
 * });
 */
export interface IsometerMetrics extends TelemetrySource {
  /**
   * Flushes isometer in every open page (`globalThis.__ISOMETER__.client.flush()`) and returns
   * everything captured so far. The matchers call it on every check.
   */
  flush(): Promise<TelemetrySnapshot>;
  /** Every metric point captured so far (one per series per flush interval), oldest first. */
  points(): CapturedPoint[];
  /** Every finished span captured so far (only sampled spans are exported), oldest first. */
  spans(): SpanData[];
  /** The captured metric batches with the URL of the page that sent each. */
  batches(): CapturedBatch[];
  /** Forgets what was captured so far; later checks see only what is exported from now on. */
  clear(): void;
  /**
   * The server's collector, from the `isometerServer` option, scoped to this test: only what
   * arrived after the test started (its `unscoped` has everything). Undefined without the option.
   */
  readonly server: TelemetrySource | undefined;
}

/**
 * Wraps a page capture (and optionally a server source) as the fixture's handle.
 *
 * @example
 * const metrics = createIsometerMetrics(await installPageCapture(context), serverCollector(url));
 * await metrics.flush();
 */
export function createIsometerMetrics(capture: PageCapture, server?: TelemetrySource): IsometerMetrics {
  const flush = async (): Promise<TelemetrySnapshot> => {
    await capture.flush();
    return capture.snapshot();
  };
  return {
    label: 'the pages',
    flush,
    collect: flush,
    points: () => capture.snapshot().points,
    spans: () => capture.snapshot().spans,
    batches: () => [...capture.batches],
    clear: () => capture.clear(),
    server,
  };
}
