import type { AttributeValue, Attributes } from '../internal/attributes';

/** What a value becomes once its key has used up its budget of distinct values. */
export const OTHER_VALUE = '__other__';

/**
 * Share of `maxSeriesPerMetric` one attribute key may fill with distinct values: 500 at the
 * default 2000, so one runaway key (a user id) can never take a metric's series on its own.
 */
export const VALUES_PER_KEY_DIVISOR = 4;

interface KeyBudget {
  /** The values that series of this metric hold for the key (never OTHER_VALUE). */
  readonly values: Set<AttributeValue>;
  /** False once the key is closed: only values already kept are admitted. */
  open: boolean;
}

/**
 * Distinct values per attribute key of one metric in one interval. A value is admitted while its
 * key has room (or when it is already kept); past that only that key's value folds into
 * OTHER_VALUE and the series keeps its other attributes, so a query filtered on any other key
 * still adds up (OpenTelemetry's own cardinality guide names the whole-set fold as its flaw:
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#cardinality-limits).
 *
 * @example
 * const budget = new CardinalityBudget(2);
 * budget.keep({ user: 'a' }); budget.keep({ user: 'b' });
 * budget.admits('user', 'c'); // false: 'c' becomes '__other__'
 * budget.admits('user', 'a'); // true
 */
export class CardinalityBudget {
  private readonly keys = new Map<string, KeyBudget>();

  constructor(readonly valuesPerKey: number) {}

  /** True when a series may hold `value` for `key`: it is kept already, or the key has room. */
  admits(key: string, value: AttributeValue): boolean {
    const budget = this.keys.get(key);
    return budget === undefined || budget.values.has(value) || (budget.open && budget.values.size < this.valuesPerKey);
  }

  /** True when some series holds `value` for `key`. */
  isKept(key: string, value: unknown): boolean {
    return this.keys.get(key)?.values.has(value as AttributeValue) === true;
  }

  /**
   * The live set of values series hold for `key` (empty and shared-free when none yet): it grows
   * only while the key admits new values, so a caller may keep it once the key has folded.
   */
  keptValues(key: string): ReadonlySet<unknown> {
    let budget = this.keys.get(key);
    if (budget === undefined) this.keys.set(key, (budget = { values: new Set(), open: true }));
    return budget.values;
  }

  /** Counts the values of a series that was just made. */
  keep(attributes: Attributes): void {
    for (const key in attributes) {
      const value = attributes[key];
      if (value === OTHER_VALUE) continue;
      let budget = this.keys.get(key);
      if (budget === undefined) this.keys.set(key, (budget = { values: new Set(), open: true }));
      budget.values.add(value);
    }
  }

  /** Admits no new values of `key` from now on (the metric is near its series limit). */
  close(key: string): void {
    const budget = this.keys.get(key);
    if (budget === undefined) this.keys.set(key, { values: new Set(), open: false });
    else budget.open = false;
  }

  /**
   * The key of `attributes` to fold next when the metric runs out of series: the one with the
   * most distinct values, not folded yet. Undefined when every value is folded already.
   */
  widestKey(attributes: Attributes): string | undefined {
    let widest: string | undefined;
    let most = -1;
    for (const key in attributes) {
      if (attributes[key] === OTHER_VALUE) continue;
      const distinct = this.keys.get(key)?.values.size ?? 0;
      if (distinct > most) {
        most = distinct;
        widest = key;
      }
    }
    return widest;
  }
}
