import type { ExpectMatcherState } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { isometerMatchers } from '../../../src/playwright/matchers';
import type { TelemetrySnapshot } from '../../../src/playwright/telemetry-snapshot';
import type { TelemetrySource } from '../../../src/playwright/telemetry-source';
import { counter, exemplar, snapshot, span, TRACE_A } from './snapshot-fixtures';

/** The slice of Playwright's matcher state the matchers use; a timeout of 0 checks once. */
function state(isNot: boolean): ExpectMatcherState {
  return {
    isNot,
    promise: '',
    timeout: 0,
    utils: { matcherHint: (name: string) => `expect(received).${isNot ? 'not.' : ''}${name}(expected)`, printReceived: (value: unknown) => JSON.stringify(value) },
  } as unknown as ExpectMatcherState;
}

function source(label: string, data: TelemetrySnapshot): TelemetrySource & { collected: number } {
  const counted = {
    label,
    collected: 0,
    async collect() {
      counted.collected++;
      return data;
    },
  };
  return counted;
}

describe('isometerMatchers', () => {
  const page = source('the pages', snapshot([counter('cart.add', 2, { plan: 'pro' }, { exemplars: [exemplar(TRACE_A, true)] })], [span({ traceId: TRACE_A })]));

  it('collects from the source and reports pass as Playwright expects it, for both polarities', async () => {
    const found = await isometerMatchers.toHaveCounter.call(state(false), page, 'cart.add', { value: 2 });
    expect(found.pass).toBe(true);
    const negated = await isometerMatchers.toHaveCounter.call(state(true), page, 'cart.add', { value: 3 });
    // With .not, pass false means the assertion holds.
    expect(negated.pass).toBe(false);
    expect(page.collected).toBeGreaterThanOrEqual(2);
  });

  it('fails a negated matcher whose source cannot be read, instead of passing it', async () => {
    const broken: TelemetrySource = {
      label: 'server',
      collect: async () => {
        throw new Error('ECONNREFUSED');
      },
    };
    const outcome = await isometerMatchers.toHaveCounter.call(state(true), broken, 'cart.add');
    expect(outcome.pass).toBe(true);
    expect(outcome.message()).toContain('Last attempt: collecting failed: ECONNREFUSED');
    const positive = await isometerMatchers.toHaveCounter.call(state(false), broken, 'cart.add');
    expect(positive.pass).toBe(false);
  });

  it('writes a message naming the source, the expectation and what was captured', async () => {
    const outcome = await isometerMatchers.toHaveCounter.call(state(false), page, 'cart.add', { value: 5, attributes: { plan: 'pro' } });
    expect(outcome.pass).toBe(false);
    const message = outcome.message();
    expect(message).toContain('expect(received).toHaveCounter(expected)');
    expect(message).toContain('Expected: the pages to have counter "cart.add" with attributes {"plan":"pro"} summing to 5');
    expect(message).toContain('counter "cart.add" {"plan":"pro"}: sum 2 over 1 point');
    expect(message).toContain('Checked 1 time over');
  });

  it('compares two sources for a shared trace', async () => {
    const server = source('the server', snapshot([], [span({ traceId: TRACE_A, op: 'http.server' })]));
    const outcome = await isometerMatchers.toShareTraceWith.call(state(false), page, server, { traceId: TRACE_A, sampled: true });
    expect(outcome.pass).toBe(true);
    expect(server.collected).toBe(1);
  });

  it('refuses a receiver that is not a telemetry source, with the fix in the message', async () => {
    const outcome = await isometerMatchers.toHaveSpan.call(state(false), {} as TelemetrySource, {});
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toContain('is not a telemetry source: pass the `metrics` fixture');
  });
});
