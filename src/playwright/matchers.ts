import type { ExpectMatcherState, MatcherReturnType } from '@playwright/test';
import { matchCounter, type CounterExpectation } from './match-counter';
import { matchDistribution, type DistributionExpectation } from './match-distribution';
import { matchGauge, type GaugeExpectation } from './match-gauge';
import type { MatchResult } from './match-result';
import { matchSharedTrace, type SharedTraceExpectation } from './match-shared-trace';
import { matchSpan, type SpanExpectation } from './match-span';
import { pollMatch } from './poll-match';
import type { TelemetrySnapshot } from './telemetry-snapshot';
import { isTelemetrySource, type TelemetrySource } from './telemetry-source';

/**
 * How long one matcher keeps checking; default: Playwright's expect timeout (`expect.timeout` in
 * the config, 5 s unless set). `.not` matchers return as soon as the negation holds.
 *
 * @example
 * await expect(metrics.server!).toHaveSpan({ op: 'http.server', timeout: 15_000 });
 */
export interface PollOptions {
  timeout?: number;
}

const EMPTY: TelemetrySnapshot = { points: [], spans: [] };

/**
 * The matchers, for `expect.extend`. Each one collects from its source (flushing the pages'
 * clients first), checks, and checks again until it passes or the expect timeout runs out, so
 * data still on its way (a flush interval, a page-hide beacon, a server's next export) is waited
 * for, never slept for. Failure messages list what was captured.
 *
 * @example
 * import { expect as base } from '@playwright/test';
 * import { isometerMatchers } from 'isometer/playwright';
 * export const expect = base.extend(isometerMatchers);
 */
export const isometerMatchers = {
  /** A counter's sum over every captured interval (of the series carrying `attributes`). */
  toHaveCounter(this: ExpectMatcherState, source: TelemetrySource, name: string, expected: CounterExpectation & PollOptions = {}): Promise<MatcherReturnType> {
    return run(this, 'toHaveCounter', source, expected.timeout, (snapshot) => matchCounter(snapshot, name, expected));
  },

  /** A gauge's last value. */
  toHaveGauge(this: ExpectMatcherState, source: TelemetrySource, name: string, expected: GaugeExpectation & PollOptions = {}): Promise<MatcherReturnType> {
    return run(this, 'toHaveGauge', source, expected.timeout, (snapshot) => matchGauge(snapshot, name, expected));
  },

  /** A distribution's count, min, max and sum over every captured interval. */
  toHaveDistribution(this: ExpectMatcherState, source: TelemetrySource, name: string, expected: DistributionExpectation & PollOptions = {}): Promise<MatcherReturnType> {
    return run(this, 'toHaveDistribution', source, expected.timeout, (snapshot) => matchDistribution(snapshot, name, expected));
  },

  /** A finished span with the given name, op, decision, trace, status and attributes. */
  toHaveSpan(this: ExpectMatcherState, source: TelemetrySource, expected: SpanExpectation & PollOptions = {}): Promise<MatcherReturnType> {
    return run(this, 'toHaveSpan', source, expected.timeout, (snapshot) => matchSpan(snapshot, expected));
  },

  /** Both sources recorded data in one trace (or `traceId`) and show the same sampling decision for it. */
  async toShareTraceWith(this: ExpectMatcherState, source: TelemetrySource, other: TelemetrySource, expected: SharedTraceExpectation & PollOptions = {}): Promise<MatcherReturnType> {
    if (!isTelemetrySource(other)) return notASource(this, 'toShareTraceWith', other, 'the other side');
    let otherSnapshot = EMPTY;
    return run(
      this,
      'toShareTraceWith',
      source,
      expected.timeout,
      (snapshot) => matchSharedTrace(snapshot, otherSnapshot, expected, [source.label, other.label]),
      async () => {
        otherSnapshot = await other.collect();
      },
    );
  },
};

async function run(
  state: ExpectMatcherState,
  matcherName: string,
  source: unknown,
  timeout: number | undefined,
  check: (snapshot: TelemetrySnapshot) => MatchResult,
  collectMore?: () => Promise<void>,
): Promise<MatcherReturnType> {
  if (!isTelemetrySource(source)) return notASource(state, matcherName, source, 'the received value');
  const timeoutMs = timeout ?? state.timeout;
  const polled = await pollMatch(
    async () => {
      const [snapshot] = await Promise.all([source.collect(), collectMore?.()]);
      return check(snapshot);
    },
    !state.isNot,
    timeoutMs,
  );
  const satisfied = polled.error === undefined && polled.result !== undefined && polled.result.pass === !state.isNot;
  const expectedText = (polled.result ?? check(EMPTY)).expected;
  const message = () =>
    [
      state.utils.matcherHint(matcherName, undefined, undefined, { isNot: state.isNot }),
      '',
      `Expected: ${source.label} ${state.isNot ? 'not ' : ''}to have ${expectedText}`,
      `Received: ${polled.result ? indent(polled.result.actual) : 'nothing (no check completed)'}`,
      polled.error ? `Last attempt: ${polled.error}` : '',
      `Checked ${polled.attempts} time${polled.attempts === 1 ? '' : 's'} over ${polled.elapsedMs} ms (timeout ${timeoutMs} ms).`,
    ]
      .filter((line, index) => index === 1 || line !== '')
      .join('\n');
  return { pass: satisfied !== state.isNot, message, name: matcherName, expected: expectedText, actual: polled.result?.actual, timeout: satisfied ? undefined : timeoutMs };
}

function notASource(state: ExpectMatcherState, matcherName: string, value: unknown, what: string): MatcherReturnType {
  return {
    pass: state.isNot,
    name: matcherName,
    message: () =>
      `${state.utils.matcherHint(matcherName, undefined, undefined, { isNot: state.isNot })}\n\n${what} is not a telemetry source: pass the \`metrics\` fixture, \`metrics.server\`, serverCollector(url) or devViewer(url) (got ${state.utils.printReceived(value)}).`,
  };
}

function indent(text: string): string {
  return text.includes('\n') ? `\n  ${text.split('\n').join('\n  ')}` : text;
}
