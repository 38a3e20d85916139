import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MatchResult } from '../../../src/playwright/match-result';
import { pollMatch } from '../../../src/playwright/poll-match';

const result = (pass: boolean): MatchResult => ({ pass, expected: 'e', actual: pass ? 'present' : 'missing' });

describe('pollMatch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks again until the check passes', async () => {
    let calls = 0;
    const polled = pollMatch(async () => result(++calls >= 3), true, 5000);
    await vi.runAllTimersAsync();
    const outcome = await polled;
    expect(outcome.result?.pass).toBe(true);
    expect(outcome.attempts).toBe(3);
    expect(outcome.error).toBeUndefined();
  });

  it('stops at the timeout with the last failed check', async () => {
    const polled = pollMatch(async () => result(false), true, 1000);
    await vi.runAllTimersAsync();
    const outcome = await polled;
    expect(outcome.result).toEqual(result(false));
    // 100 + 250 + 500 ms of waits fit in 1 s; the next (1000 ms) does not.
    expect(outcome.attempts).toBe(4);
  });

  it('checks once with a timeout of 0', async () => {
    const check = vi.fn(async () => result(false));
    const outcome = await pollMatch(check, true, 0);
    expect(check).toHaveBeenCalledTimes(1);
    expect(outcome.attempts).toBe(1);
  });

  it('returns at once when a negated check is already satisfied', async () => {
    const outcome = await pollMatch(async () => result(false), false, 5000);
    expect(outcome.attempts).toBe(1);
    expect(outcome.result?.pass).toBe(false);
  });

  it('never lets a collection error satisfy either expectation', async () => {
    const polled = pollMatch(
      async () => {
        throw new Error('connection refused');
      },
      false,
      500,
    );
    await vi.runAllTimersAsync();
    const outcome = await polled;
    expect(outcome.result).toBeUndefined();
    expect(outcome.error).toBe('collecting failed: connection refused');
  });

  it('gives up on a collection that outruns the timeout', async () => {
    const polled = pollMatch(() => new Promise<MatchResult>(() => undefined), true, 300);
    await vi.runAllTimersAsync();
    const outcome = await polled;
    expect(outcome.error).toBe('collecting did not finish within 300 ms');
    expect(outcome.attempts).toBe(1);
  });
});
