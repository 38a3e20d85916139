/**
 * An expected number: a value (compared with a relative tolerance of 1e-9, so sums of decimals
 * such as 0.1 + 0.2 still match 0.3) or a predicate for ranges.
 *
 * @example
 * await expect(metrics).toHaveDistribution('ui.render_time', { count: 1, max: (ms) => ms < 1000 });
 */
export type NumberMatch = number | ((actual: number) => boolean);

const RELATIVE_TOLERANCE = 1e-9;

/** True when `actual` satisfies `expected`; an absent expectation matches anything. */
export function matchesNumber(expected: NumberMatch | undefined, actual: number): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'function') {
    try {
      return expected(actual) === true;
    } catch {
      return false;
    }
  }
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (expected === actual) return true;
  return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(expected));
}

/** How an expectation reads in a message: `3`, or `a value passing (ms) => ms < 1000`. */
export function describeNumberMatch(expected: NumberMatch): string {
  if (typeof expected === 'number') return String(expected);
  const source = String(expected).replace(/\s+/g, ' ');
  return `a value passing ${source.length > 60 ? `${source.slice(0, 57)}...` : source}`;
}
