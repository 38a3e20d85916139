import { MAX_ATTRIBUTES, MAX_ATTRIBUTE_VALUE_LENGTH, mergeAttributes, sanitizeAttributes, type Attributes } from '../internal/attributes';
import type { AttributeScope } from '../internal/context';
import { attributesHash, sameAttributes } from './attributes-hash';
import { CardinalityBudget, OTHER_VALUE, VALUES_PER_KEY_DIVISOR } from './cardinality-budget';
import { ROUTE_ATTRIBUTE_KEYS, templateAttributeValue, templateRouteAttributes } from './route-template';

/** The attribute of the last-resort series: a set that cannot fold into any series left. */
export const OVERFLOW_ATTRIBUTE = 'isometer.overflow';

/** Longest caller path kept as a shortcut (clean sets have at most MAX_ATTRIBUTES non-empty entries). */
const MAX_PATH_LENGTH = MAX_ATTRIBUTES * 2;

/**
 * The trie edge taken for any value of a key that has used up its budget and is not one of the
 * kept values: every such call lands on the same folded series, so it is cached once.
 */
const FOLDED = Symbol('folded');

/** What every series has: its attributes, and whether its points were folded (counted per point). */
export interface IndexedSeries {
  attributes: Attributes;
  folded: boolean;
}

/**
 * One step of a caller's path. Callers nearly always pass the same keys in the same order, so a
 * node keeps its first child key inline (one string compare, one `Map.get` per attribute) and
 * any other key in `others`. Every node has the same four fields, so V8 sees one shape.
 */
interface TrieNode<S> {
  series: S | undefined;
  key: string | undefined;
  /** attribute value (as the caller passed it, or FOLDED) → next node, for `key` */
  values: Map<unknown, TrieNode<S>> | undefined;
  /** other attribute keys → their value maps */
  others: Map<string, Map<unknown, TrieNode<S>>> | undefined;
  /**
   * On a FOLDED edge only: the values its key keeps (frozen once the key folds, see
   * CardinalityBudget) and whether the key is a route key, so a folding call checks one Set.
   */
  kept: FoldedKey | undefined;
}

interface FoldedKey {
  readonly values: ReadonlySet<unknown>;
  readonly route: boolean;
}

function createNode<S>(): TrieNode<S> {
  return { series: undefined, key: undefined, values: undefined, others: undefined, kept: undefined };
}

/** What resolving an attribute set found, for the caller's drop accounting and warnings. */
export interface Resolution<S> {
  series: S;
  /** Entries dropped or cut while sanitising. */
  attributeProblems: number;
  /** True when a value was folded into `__other__` (or the set into the overflow series). */
  overflowed: boolean;
  /** A key folded for the first time in this index: the one a warning should name. */
  newlyFoldedKey: string | undefined;
}

/**
 * Finds the series of one metric for an attribute set, cheaply. The hot path walks a trie keyed
 * by the attributes exactly as the caller passed them (in their own key order, raw values), so a
 * repeated call costs a few `Map.get`s and no sort, copy or string building. A miss sanitises,
 * templates route attributes (`/orders/42` → `/orders/:id`), applies the cardinality budgets,
 * finds or creates the series by a hash of the set, and remembers the caller's path as an alias.
 *
 * Cardinality: each key may hold `maxSeries / 4` distinct values; past that, only that key's
 * value becomes `__other__`. From 7/8 of `maxSeries` on, a new set also folds its widest key.
 * A set that still finds no room lands in one last-resort series marked `isometer.overflow`.
 * Folded paths are cached like any other (a value past its key's budget takes the FOLDED edge),
 * so a folded call costs about what an in-limit one does.
 *
 * `globalAttributes` are part of every series' identity (below scoped and call attributes), so a
 * call that repeats a global value lands in the same series as one that leaves it out.
 *
 * @example
 * const index = new SeriesIndex(2000, (attributes) => ({ attributes, folded: false, sum: 0 }));
 * index.find(undefined, { route: '/a' }) ?? index.resolve(undefined, { route: '/a' }, 'metrics.count').series;
 */
export class SeriesIndex<S extends IndexedSeries> {
  private readonly root: TrieNode<S> = createNode();
  /** One trie per `withAttributes` scope, by its canonical key: a separate map, so no attribute key can alias a scope. */
  private readonly scoped = new Map<string, TrieNode<S>>();
  /** Series by attributesHash; `collisions` holds the rare others with the same hash. */
  private readonly byHash = new Map<number, S>();
  private collisions: Map<number, S[]> | undefined;
  private readonly list: S[] = [];
  private readonly budget: CardinalityBudget;
  private readonly softLimit: number;
  private readonly foldedKeys = new Set<string>();
  private overflowSeries: S | undefined;
  private aliases = 0;
  private readonly maxAliases: number;

  constructor(
    private readonly maxSeries: number,
    private readonly createSeries: (attributes: Attributes) => S,
    private readonly globalAttributes?: Attributes,
  ) {
    this.maxAliases = Math.max(64, maxSeries * 2);
    this.budget = new CardinalityBudget(Math.max(1, Math.ceil(maxSeries / VALUES_PER_KEY_DIVISOR)));
    this.softLimit = maxSeries - Math.floor(maxSeries / 8);
  }

  /**
   * The hot path: the series for this exact (scope, attributes) pair if it was seen, else
   * undefined. Anything odd (not a plain object, a throwing getter or proxy) is a miss, so the
   * slow path sanitises it, warns and counts it, the same way every time.
   */
  find(scope: AttributeScope | undefined, attributes: Record<string, unknown> | undefined): S | undefined {
    let node: TrieNode<S> | undefined = scope === undefined ? this.root : this.scoped.get(scope.key);
    if (node === undefined) return undefined;
    if (attributes != null) {
      if (typeof attributes !== 'object' || Array.isArray(attributes)) return undefined;
      try {
        for (const key in attributes) {
          const byValue: Map<unknown, TrieNode<S>> | undefined = node.key === key ? node.values : node.others?.get(key);
          if (byValue === undefined) return undefined;
          const value = attributes[key];
          node = byValue.get(value) ?? this.foldedEdge(byValue, key, value);
          if (node === undefined) return undefined;
        }
      } catch {
        return undefined;
      }
    }
    return node.series;
  }

  /** The slow path: sanitise, template, budget, find or create the series, and remember the alias. */
  resolve(scope: AttributeScope | undefined, attributes: unknown, where: string): Resolution<S> {
    const { attributes: clean, problems } = sanitizeAttributes(attributes, where);
    const merged = templateRouteAttributes(scope === undefined && this.globalAttributes === undefined ? clean : mergeAttributes(this.globalAttributes, scope?.attributes, clean));
    let set = merged;
    let folded: string[] | undefined;
    for (const key in merged) if (!this.budget.admits(key, merged[key])) (folded ??= []).push(key);
    if (folded !== undefined) set = withOther(merged, folded);
    let hash = attributesHash(set);
    let series = this.lookup(set, hash);
    // Near the limit a new set must give up its widest key; at the limit, keys until one matches.
    while (series === undefined && (this.list.length >= this.maxSeries || (folded === undefined && this.list.length >= this.softLimit))) {
      const key = this.budget.widestKey(set);
      if (key === undefined) break;
      this.budget.close(key);
      (folded ??= []).push(key);
      set = withOther(set, [key]);
      hash = attributesHash(set);
      series = this.lookup(set, hash);
    }
    let newlyFoldedKey: string | undefined;
    if (folded !== undefined) {
      for (const key of folded) {
        if (this.foldedKeys.has(key)) continue;
        this.foldedKeys.add(key);
        newlyFoldedKey ??= key;
      }
    }
    // A fold that lands on a set the caller spelled with `__other__` itself: its points are folds from now on.
    if (series !== undefined && folded !== undefined) series.folded = true;
    if (series === undefined) {
      if (this.list.length >= this.maxSeries) {
        if (this.overflowSeries === undefined) {
          this.overflowSeries = this.createSeries(mergeAttributes(this.globalAttributes, { [OVERFLOW_ATTRIBUTE]: true }));
          this.overflowSeries.folded = true;
        }
        return { series: this.overflowSeries, attributeProblems: problems, overflowed: true, newlyFoldedKey };
      }
      series = this.add(set, hash, folded !== undefined);
    }
    // Only clean input is cached: a path through an object or a cut string would either never
    // repeat (a leak) or hide the warning and the count that the caller's mistake deserves.
    if (problems === 0 && this.aliases < this.maxAliases) {
      try {
        this.remember(scope, attributes as Record<string, unknown> | undefined, series, folded, clean);
      } catch {
        // A proxy that read cleanly once but throws now: the series is right, only the shortcut is lost.
      }
    }
    return { series, attributeProblems: problems, overflowed: folded !== undefined, newlyFoldedKey };
  }

  /** Every series in the order they were made, the overflow one last. */
  all(): S[] {
    return this.overflowSeries === undefined ? this.list : [...this.list, this.overflowSeries];
  }

  get size(): number {
    return this.list.length + (this.overflowSeries ? 1 : 0);
  }

  /** Caller paths remembered for the hot path: at most `max(64, 2 × maxSeries)`, whatever the input. */
  get aliasCount(): number {
    return this.aliases;
  }

  /** Distinct values one key may hold before it folds. */
  get valuesPerKey(): number {
    return this.budget.valuesPerKey;
  }

  /** On a miss: the FOLDED edge, when `value` is a plain one its key has no room for. */
  private foldedEdge(byValue: Map<unknown, TrieNode<S>>, key: string, value: unknown): TrieNode<S> | undefined {
    const edge = byValue.get(FOLDED);
    if (edge === undefined || !isCacheable(value)) return undefined;
    // Cached on the edge: a key that folds admits no new values, so its kept set no longer grows.
    const kept = (edge.kept ??= { values: this.budget.keptValues(key), route: ROUTE_ATTRIBUTE_KEYS.has(key) });
    // A kept value has its own series, which this path has not met yet: the slow path finds it.
    return kept.values.has(kept.route ? templateAttributeValue(key, value) : value) ? undefined : edge;
  }

  private lookup(set: Attributes, hash: number): S | undefined {
    const series = this.byHash.get(hash);
    if (series === undefined || sameAttributes(series.attributes, set)) return series;
    return this.collisions?.get(hash)?.find((other) => sameAttributes(other.attributes, set));
  }

  private add(set: Attributes, hash: number, folded: boolean): S {
    const series = this.createSeries(set);
    series.folded = folded;
    if (!this.byHash.has(hash)) this.byHash.set(hash, series);
    else {
      const others = (this.collisions ??= new Map()).get(hash);
      if (others === undefined) this.collisions.set(hash, [series]);
      else others.push(series);
    }
    this.list.push(series);
    this.budget.keep(set);
    return series;
  }

  private remember(scope: AttributeScope | undefined, attributes: Record<string, unknown> | undefined, series: S, folded: string[] | undefined, clean: Attributes): void {
    // Entries with null/undefined values are clean but unbounded in number: a path that long
    // would cost a trie node per entry, so such sets stay on the slow path. Counted first, so
    // the walk below needs no array of steps (a new series is a page's most common slow call).
    let length = 0;
    if (attributes != null) {
      for (const key in attributes) {
        void key;
        if (++length > MAX_PATH_LENGTH) return;
      }
    }
    let node = this.root;
    if (scope !== undefined) {
      const scopeRoot = this.scoped.get(scope.key);
      if (scopeRoot === undefined) this.scoped.set(scope.key, (node = createNode()));
      else node = scopeRoot;
    }
    if (attributes != null) {
      for (const key in attributes) {
        const value = attributes[key];
        // A call value past its key's budget takes the shared FOLDED edge; a kept one folded
        // because the metric is full keeps its own edge (find() sends kept values to the slow path).
        const foldable = folded !== undefined && folded.includes(key) && clean[key] !== undefined && isCacheable(value);
        node = step(node, key, foldable && !this.budget.isKept(key, templateAttributeValue(key, value)) ? FOLDED : value);
      }
    }
    if (node.series === undefined) this.aliases++;
    node.series = series;
  }
}

/** A copy of `set` with `keys` set to OTHER_VALUE (sorted order kept). */
function withOther(set: Attributes, keys: string[]): Attributes {
  const copy: Attributes = {};
  for (const key in set) copy[key] = keys.includes(key) ? OTHER_VALUE : set[key];
  return copy;
}

/** Values the sanitiser keeps unchanged, so a path through them means what the series holds. */
function isCacheable(value: unknown): boolean {
  return typeof value === 'string' ? value.length <= MAX_ATTRIBUTE_VALUE_LENGTH : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function step<S>(node: TrieNode<S>, key: string, value: unknown): TrieNode<S> {
  let byValue: Map<unknown, TrieNode<S>> | undefined;
  if (node.key === undefined) {
    node.key = key;
    byValue = node.values = new Map();
  } else if (node.key === key) {
    byValue = node.values as Map<unknown, TrieNode<S>>;
  } else {
    const others = (node.others ??= new Map());
    byValue = others.get(key);
    if (byValue === undefined) others.set(key, (byValue = new Map()));
  }
  let next = byValue.get(value);
  if (next === undefined) byValue.set(value, (next = createNode()));
  return next;
}
