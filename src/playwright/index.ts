/**
 * `isometer/playwright`: a fixture and matchers for Playwright tests of apps instrumented with
 * isometer. The `metrics` fixture captures what the pages export (no app change needed); the
 * matchers flush, check and retry until Playwright's expect timeout.
 *
 * @example
 * import { test, expect } from 'isometer/playwright';
 * test('adds to cart', async ({ page, metrics }) => {
 *   await page.goto('/');
 *   await page.getByRole('button', { name: 'Add to cart' }).click();
 *   await expect(metrics).toHaveCounter('cart.add', { value: 1 });
 * });
 */
export { test, type IsometerFixtures, type IsometerFixtureOptions } from './fixtures';
export { expect } from './expect';
export { isometerMatchers, type PollOptions } from './matchers';
export { createIsometerMetrics, type IsometerMetrics } from './isometer-metrics';
export { installPageCapture, type PageCapture } from './page-capture';
export { installIsometerCapture, type CaptureScriptOptions } from './capture-init-script';
export { serverCollector, type ServerCollectorOptions } from './server-collector';
export { parseSnapshot } from './parse-snapshot';
export { devViewer, type DevViewer } from './dev-viewer';
export { fromViewerState, type ViewerSelection } from './from-viewer-state';
export { resolveServerOption, type IsometerServerOption } from './resolve-server-option';
export type { TelemetrySnapshot, CapturedPoint, CapturedBatch } from './telemetry-snapshot';
export { isTelemetrySource, type TelemetrySource } from './telemetry-source';
export type { MatchResult } from './match-result';
export { matchCounter, type CounterExpectation } from './match-counter';
export { matchGauge, type GaugeExpectation } from './match-gauge';
export { matchDistribution, type DistributionExpectation } from './match-distribution';
export { matchSpan, type SpanExpectation } from './match-span';
export { matchSharedTrace, type SharedTraceExpectation } from './match-shared-trace';
export { traceEvidence, type TraceEvidence, type TraceDecision } from './trace-evidence';
export type { NumberMatch } from './number-match';
export type { Attributes, AttributeValue, MetricPoint, SpanData, Exemplar } from '../core/index';
