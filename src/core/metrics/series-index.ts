import { MAX_ATTRIBUTES, canonicalAttributesKey, mergeAttributes, sanitizeAttributes, type Attributes } from '../internal/attributes';
import type { AttributeScope } from '../internal/context';

/** The attribute that marks the series new attribute sets fold into past the cardinality limit. */
export const OVERFLOW_ATTRIBUTE = 'isometer.overflow';

/** Longest caller path kept as a shortcut (clean sets have at most MAX_ATTRIBUTES non-empty entries). */
const MAX_PATH_LENGTH = MAX_ATTRIBUTES * 2;

/**
 * One step of a caller's path. Callers nearly always pass the same keys in the same order, so a
 * node keeps its first child key inline (one string compare, one `Map.get` per attribute) and
 * any other key in `others`. Every node has the same four fields, so V8 sees one shape.
 */
interface TrieNode<S> {
  series: S | undefined;
  key: string | undefined;
  /** attribute value (as the caller passed it) → next node, for `key` */
  values: Map<unknown, TrieNode<S>> | undefined;
  /** other attribute keys → their value maps */
  others: Map<string, Map<unknown, TrieNode<S>>> | undefined;
}

function createNode<S>(): TrieNode<S> {
  return { series: undefined, key: undefined, values: undefined, others: undefined };
}

/** What resolving an attribute set found, for the caller's drop accounting. */
export interface Resolution<S> {
  series: S;
  /** Entries dropped or cut while sanitising. */
  attributeProblems: number;
  /** True when the set was folded into the overflow series. */
  overflowed: boolean;
}

/**
 * Finds the series of one metric for an attribute set, cheaply. The hot path walks a trie keyed
 * by the attributes exactly as the caller passed them (in their own key order, raw values), so a
 * repeated call costs a few `Map.get`s and no sort, copy or string building. A miss sanitises and
 * sorts once, finds or creates the canonical series, and remembers the caller's path as an alias.
 * Series are capped at `maxSeries`; past that, new sets fold into one overflow series.
 * `globalAttributes` are part of every series' identity (below scoped and call attributes), so a
 * call that repeats a global value lands in the same series as one that leaves it out.
 *
 * @example
 * const index = new SeriesIndex(2000, (attributes) => ({ attributes, sum: 0 }));
 * index.find(undefined, { route: '/a' }) ?? index.resolve(undefined, { route: '/a' }, 'metrics.count').series;
 */
export class SeriesIndex<S extends { attributes: Attributes }> {
  private readonly root: TrieNode<S> = createNode();
  /** One trie per `withAttributes` scope, by its canonical key: a separate map, so no attribute key can alias a scope. */
  private readonly scoped = new Map<string, TrieNode<S>>();
  private readonly canonical = new Map<string, S>();
  private overflowSeries: S | undefined;
  private aliases = 0;
  private readonly maxAliases: number;

  constructor(
    private readonly maxSeries: number,
    private readonly createSeries: (attributes: Attributes) => S,
    private readonly globalAttributes?: Attributes,
  ) {
    this.maxAliases = Math.max(64, maxSeries * 2);
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
          node = byValue.get(attributes[key]);
          if (node === undefined) return undefined;
        }
      } catch {
        return undefined;
      }
    }
    return node.series;
  }

  /** The slow path: sanitise, find or create the canonical series, and remember the alias. */
  resolve(scope: AttributeScope | undefined, attributes: unknown, where: string): Resolution<S> {
    const { attributes: clean, problems } = sanitizeAttributes(attributes, where);
    const merged = scope === undefined && this.globalAttributes === undefined ? clean : mergeAttributes(this.globalAttributes, scope?.attributes, clean);
    const key = canonicalAttributesKey(merged);
    let series = this.canonical.get(key);
    if (series === undefined) {
      if (this.canonical.size >= this.maxSeries) {
        this.overflowSeries ??= this.createSeries(mergeAttributes(this.globalAttributes, { [OVERFLOW_ATTRIBUTE]: true }));
        return { series: this.overflowSeries, attributeProblems: problems, overflowed: true };
      }
      series = this.createSeries(merged);
      this.canonical.set(key, series);
    }
    // Only clean input is cached: a path through an object or a cut string would either never
    // repeat (a leak) or hide the warning and the count that the caller's mistake deserves.
    if (problems === 0 && this.aliases < this.maxAliases) {
      try {
        this.remember(scope, attributes as Record<string, unknown> | undefined, series);
      } catch {
        // A proxy that read cleanly once but throws now: the series is right, only the shortcut is lost.
      }
    }
    return { series, attributeProblems: problems, overflowed: false };
  }

  /** Every series, the overflow one last. */
  all(): S[] {
    const list = [...this.canonical.values()];
    if (this.overflowSeries) list.push(this.overflowSeries);
    return list;
  }

  get size(): number {
    return this.canonical.size + (this.overflowSeries ? 1 : 0);
  }

  /** Caller paths remembered for the hot path: at most `max(64, 2 × maxSeries)`, whatever the input. */
  get aliasCount(): number {
    return this.aliases;
  }

  private remember(scope: AttributeScope | undefined, attributes: Record<string, unknown> | undefined, series: S): void {
    const path: Array<[string, unknown]> = [];
    if (attributes != null) {
      for (const key in attributes) {
        // Entries with null/undefined values are clean but unbounded in number: a path that long
        // would cost a trie node per entry, so such sets stay on the slow path.
        if (path.length === MAX_PATH_LENGTH) return;
        path.push([key, attributes[key]]);
      }
    }
    let node = this.root;
    if (scope !== undefined) {
      const scopeRoot = this.scoped.get(scope.key);
      if (scopeRoot === undefined) this.scoped.set(scope.key, (node = createNode()));
      else node = scopeRoot;
    }
    for (const [key, value] of path) node = step(node, key, value);
    if (node.series === undefined) this.aliases++;
    node.series = series;
  }
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
