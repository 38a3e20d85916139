import type { CapturedPoint, TelemetrySnapshot } from './telemetry-snapshot';
import type { TelemetrySource } from './telemetry-source';

/** A source that reports only what arrived after its mark, and the source it reads. */
export interface MarkedSource extends TelemetrySource {
  /** The same side, unscoped: everything the collector holds. */
  readonly unscoped: TelemetrySource;
  /** Moves the mark to now: later reads see only what arrives after this call. */
  mark(): Promise<void>;
}

/**
 * Wraps a server's source so each test sees only its own data. A server collector keeps what
 * the server recorded since it started, so a second test expecting `value: 1` would otherwise
 * read 2. `mark()` (the `metrics` fixture calls it as each test starts) has the side flush what
 * it holds (`flushPending`, where it can), then reads what is there; later reads leave out those
 * points (one per series per flush interval) and spans. A failed first read marks nothing rather
 * than failing the test: the matchers report a server that cannot be read.
 *
 * @example
 * const server = await sinceMark(serverCollector('http://127.0.0.1:3000/__telemetry'));
 * await expect(server).toHaveCounter('orders.created', { value: 1 }); // this test's order only
 */
export async function sinceMark(source: TelemetrySource): Promise<MarkedSource> {
  let seenPoints = new Map<string, number>();
  let seenSpans = new Set<string>();
  const marked: MarkedSource = {
    label: source.label,
    unscoped: source,
    async mark() {
      try {
        // What the server recorded before this point must be in the collector before it is marked.
        await source.flushPending?.();
        const snapshot = await source.collect();
        seenPoints = countKeys(snapshot.points.map(pointKey));
        seenSpans = new Set(snapshot.spans.map(spanKey));
      } catch {
        seenPoints = new Map();
        seenSpans = new Set();
      }
    },
    async collect(): Promise<TelemetrySnapshot> {
      const snapshot = await source.collect();
      const left = new Map(seenPoints);
      const points = snapshot.points.filter((point) => {
        const key = pointKey(point);
        const seen = left.get(key) ?? 0;
        if (seen === 0) return true;
        left.set(key, seen - 1);
        return false;
      });
      return { points, spans: snapshot.spans.filter((span) => !seenSpans.has(spanKey(span))) };
    },
  };
  await marked.mark();
  return marked;
}

function countKeys(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** One flush interval of one series: what identifies a point a collector already held. */
function pointKey(point: CapturedPoint): string {
  const attributes = point.attributes ?? {};
  const sorted = Object.keys(attributes)
    .sort()
    .map((key) => [key, attributes[key]]);
  return JSON.stringify([point.type, point.name, point.unit, sorted, point.startTimeMs, point.timeMs]);
}

function spanKey(span: { traceId: string; spanId: string }): string {
  return `${span.traceId}-${span.spanId}`;
}
