/**
 * What a matcher's pure check found: whether it passed, and two sentences for the failure
 * message, one saying what was asked for and one saying what was captured. The `expect`
 * matchers add "not" and the source's label around them.
 *
 * @example
 * const result: MatchResult = { pass: false, expected: 'counter "cart.add" with sum 2', actual: 'sum 1 over 1 point' };
 */
export interface MatchResult {
  pass: boolean;
  expected: string;
  actual: string;
}
