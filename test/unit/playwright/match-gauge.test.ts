import { describe, expect, it } from 'vitest';
import { matchGauge } from '../../../src/playwright/match-gauge';
import { gauge, snapshot } from './snapshot-fixtures';

describe('matchGauge', () => {
  it('checks the last value of the newest interval, whatever order the points were captured in', () => {
    const captured = snapshot([gauge('cart.size', 4, 3000), gauge('cart.size', 9, 1000)]);
    expect(matchGauge(captured, 'cart.size', { value: 4 }).pass).toBe(true);
    expect(matchGauge(captured, 'cart.size', { value: 9 }).pass).toBe(false);
    expect(matchGauge(captured, 'cart.size', { value: 4 }).actual).toContain('last 4 (min 4, max 9) over 2 points');
  });

  it('takes the newest point among the series that carry the attributes', () => {
    const captured = snapshot([gauge('queue.depth', 1, 5000, { queue: 'a' }), gauge('queue.depth', 7, 2000, { queue: 'b' })]);
    expect(matchGauge(captured, 'queue.depth', { value: 7, attributes: { queue: 'b' } }).pass).toBe(true);
    expect(matchGauge(captured, 'queue.depth', { value: 1 }).pass).toBe(true);
  });

  it('fails when the gauge was never recorded', () => {
    expect(matchGauge(snapshot(), 'cart.size').pass).toBe(false);
  });
});
