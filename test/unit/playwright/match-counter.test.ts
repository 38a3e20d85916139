import { describe, expect, it } from 'vitest';
import { matchCounter } from '../../../src/playwright/match-counter';
import { counter, distribution, snapshot } from './snapshot-fixtures';

describe('matchCounter', () => {
  const captured = snapshot([counter('cart.add', 2, { plan: 'pro' }), counter('cart.add', 3, { plan: 'pro' }, { timeMs: 3000 }), counter('cart.add', 7, { plan: 'team' }), counter('page.view', 1)]);

  it('sums every captured interval of every series that carries the attributes', () => {
    expect(matchCounter(captured, 'cart.add', { value: 5, attributes: { plan: 'pro' } }).pass).toBe(true);
    expect(matchCounter(captured, 'cart.add', { value: 12 }).pass).toBe(true);
    expect(matchCounter(captured, 'cart.add', { value: 2, attributes: { plan: 'pro' } }).pass).toBe(false);
  });

  it('passes without a value when the counter was recorded at all, and fails when it was not', () => {
    expect(matchCounter(captured, 'page.view').pass).toBe(true);
    expect(matchCounter(captured, 'checkout.click').pass).toBe(false);
    expect(matchCounter(captured, 'cart.add', { attributes: { plan: 'hobby' } }).pass).toBe(false);
  });

  it('compares attribute values strictly', () => {
    const typed = snapshot([counter('retries', 1, { attempt: 1 })]);
    expect(matchCounter(typed, 'retries', { attributes: { attempt: 1 } }).pass).toBe(true);
    expect(matchCounter(typed, 'retries', { attributes: { attempt: '1' } }).pass).toBe(false);
  });

  it('lists each captured series of the name with its sum when the value is off', () => {
    const result = matchCounter(captured, 'cart.add', { value: 1, attributes: { plan: 'pro' } });
    expect(result.expected).toBe('counter "cart.add" with attributes {"plan":"pro"} summing to 1');
    expect(result.actual).toContain('matching points sum to 5 (2 points)');
    expect(result.actual).toContain('counter "cart.add" {"plan":"pro"}: sum 5 over 2 points');
    expect(result.actual).toContain('counter "cart.add" {"plan":"team"}: sum 7 over 1 point');
  });

  it('names the counters that were captured when the name is missing, and a same-named metric of another type', () => {
    const result = matchCounter(snapshot([counter('page.view', 1), distribution('cart.add', [1])]), 'cart.add');
    expect(result.actual).toBe('no counter "cart.add" was captured; "cart.add" was captured as a distribution; counters captured: "page.view"');
    expect(matchCounter(snapshot(), 'cart.add').actual).toBe('nothing was captured (no metric points at all)');
  });
});
