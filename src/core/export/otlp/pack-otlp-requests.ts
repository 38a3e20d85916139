import { now } from '../../internal/runtime-globals';
import { utf8ByteLength } from '../../internal/utf8-byte-length';
import { turnDeadline } from '../../internal/yield-to-host';

/**
 * Bytes a request gets even when the turn's slicing budget is spent: requests stay worth sending
 * (each costs its own round trip), and 64 KiB encodes in a millisecond or two.
 */
const MIN_BYTES_PER_TURN_REQUEST = 64 * 1024;

/** One request body, how many items (data points or spans) it holds, and its size in bytes. */
export interface EncodedChunk {
  body: string | Uint8Array;
  items: number;
  /** The body's size (UTF-8 bytes for text), known from encoding, so nothing downstream measures it again. */
  bytes: number;
}

/**
 * Builds request bodies of one encoding, one item at a time. `encode` encodes an item once and
 * says its size; `add` then places that same encoding in the request being built.
 */
export interface OtlpBodyBuilder<T> {
  /** Bytes of a request with no items: the resource, the scope and their framing. */
  readonly baseBytes: number;
  /** Encodes `item` and returns its size in bytes, framing included; the encoding is kept (across `finish`) until `add`. */
  encode(item: T): number;
  /** Bytes a group (an OTLP `Metric`) adds around its items: name, unit, kind and framing. */
  groupBytes(item: T): number;
  /** Places the item `encode` just encoded; `startsGroup` when it opens a group in this request. */
  add(item: T, startsGroup: boolean): void;
  /** The request built so far; the builder starts the next one empty. */
  finish(): string | Uint8Array;
  /** A text builder: the UTF-8 bytes of the body `finish` last returned (a byte body has its `byteLength`). */
  readonly finishedBytes?: number;
}

/** Hands out requests one at a time, so encoding keeps pace with sending. */
export interface RequestPacker {
  /** The next request, or undefined when every item went out. */
  next(): EncodedChunk | undefined;
  /** Items not yet in a request. */
  remaining(): number;
}

/**
 * Packs `items` (grouped: items of one group adjacent) into requests of at most `maxBytes` by
 * measured size: each item is encoded once, its size added to the request's, and the request
 * closed when the next item would not fit. An item larger than `maxBytes` alone still gets a
 * request of its own: the limit is a goal (the 64 KiB keepalive budget), not a reason to lose data.
 * With `slicedByTurn`, a request also closes (once it holds 64 KiB) when this turn's slicing
 * budget is spent (`turnDeadline`): a 1 MiB request of counters takes some 20 ms to encode, and
 * the delivery asks for several requests in one turn.
 *
 * @example
 * const packer = createRequestPacker(points, (a, b) => metricKey(a) === metricKey(b), protobufMetricsBuilder(resource, scope, 1), 1 << 20);
 * for (let chunk = packer.next(); chunk; chunk = packer.next()) send(chunk.body);
 */
export function createRequestPacker<T>(items: readonly T[], sameGroup: (a: T, b: T) => boolean, builder: OtlpBodyBuilder<T>, maxBytes: number, slicedByTurn = false): RequestPacker {
  let index = 0;
  // The size of an item encoded for a request it did not fit: the builder still holds its
  // encoding, so the next request places it without encoding it again.
  let carried = -1;
  return {
    next() {
      if (index >= items.length) return undefined;
      let size = builder.baseBytes;
      let count = 0;
      const deadline = slicedByTurn ? turnDeadline() : Infinity;
      for (; index < items.length; index++) {
        // The clock is read every 16 items: reading it costs more than encoding a counter.
        if (slicedByTurn && size >= MIN_BYTES_PER_TURN_REQUEST && (count & 15) === 0 && now() >= deadline) break;
        const item = items[index];
        const startsGroup = count === 0 || !sameGroup(items[index - 1], item);
        const itemBytes = carried >= 0 ? carried : builder.encode(item);
        carried = -1;
        const cost = itemBytes + (startsGroup ? builder.groupBytes(item) : 0);
        if (count > 0 && size + cost > maxBytes) {
          carried = itemBytes;
          break;
        }
        builder.add(item, startsGroup);
        size += cost;
        count++;
      }
      const body = builder.finish();
      return { body, items: count, bytes: typeof body === 'string' ? (builder.finishedBytes ?? utf8ByteLength(body)) : body.byteLength };
    },
    remaining: () => items.length - index,
  };
}
