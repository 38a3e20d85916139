import { describe, expect, it } from 'vitest';
import { matchDistribution } from '../../../src/playwright/match-distribution';
import { distribution, snapshot } from './snapshot-fixtures';

describe('matchDistribution', () => {
  const captured = snapshot([
    distribution('ui.render_time', [4, 12], { view: 'cart' }),
    distribution('ui.render_time', [30], { view: 'cart' }),
    distribution('ui.render_time', [100], { view: 'shop' }),
  ]);

  it('adds counts and sums across intervals and takes min and max across them', () => {
    const expected = { count: 3, min: 4, max: 30, sum: 46, attributes: { view: 'cart' } };
    expect(matchDistribution(captured, 'ui.render_time', expected).pass).toBe(true);
    expect(matchDistribution(captured, 'ui.render_time', { ...expected, max: 100 }).pass).toBe(false);
    expect(matchDistribution(captured, 'ui.render_time', { count: 4, max: 100 }).pass).toBe(true);
  });

  it('accepts predicates for ranges', () => {
    expect(matchDistribution(captured, 'ui.render_time', { max: (ms) => ms < 50, attributes: { view: 'cart' } }).pass).toBe(true);
    expect(matchDistribution(captured, 'ui.render_time', { max: (ms) => ms < 50 }).pass).toBe(false);
  });

  it('says what the matching points fold to when a figure is off', () => {
    const result = matchDistribution(captured, 'ui.render_time', { count: 1, attributes: { view: 'cart' } });
    expect(result.expected).toBe('distribution "ui.render_time" with attributes {"view":"cart"} with count 1');
    expect(result.actual).toContain('matching points fold to count 3, min 4, max 30, sum 46 over 2 points');
  });

  it('reads distributions without histogram buckets (a server collector that keeps only the figures)', () => {
    const point = distribution('search.results', [3]);
    expect('histogram' in point).toBe(false);
    expect(matchDistribution(snapshot([point]), 'search.results', { count: 1, min: 3 }).pass).toBe(true);
  });
});
