import { now } from '../../internal/runtime-globals';
import { utf8ByteLength } from '../../internal/utf8-byte-length';
import { turnDeadline } from '../../internal/yield-to-host';

/**
 * Bytes a call places at least, even when the turn's slicing budget is spent: each call moves the
 * request on, and a small batch (a few dozen points) is still encoded at once, whatever the clock
 * says. 16 KiB encode in well under a millisecond once the code is warm.
 */
const MIN_BYTES_PER_CALL = 16 * 1024;

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
  /**
   * The next request; undefined when every item went out; null (sliced by turn only) when this
   * turn's budget ran out before the request was full: ask again after the host's turn, and the
   * request goes on from where it stopped.
   */
  next(): EncodedChunk | undefined | null;
  /** Items not yet in a finished request (those of the request being built included). */
  remaining(): number;
}

/**
 * Packs `items` (grouped: items of one group adjacent) into requests of at most `maxBytes` by
 * measured size: each item is encoded once, its size added to the request's, and the request
 * closed when the next item would not fit. An item larger than `maxBytes` alone still gets a
 * request of its own: the limit is a goal (the 64 KiB keepalive budget), not a reason to lose data.
 * With `slicedByTurn`, a request is built across as many turns as it needs: once this turn's
 * slicing budget is spent (`turnDeadline`), `next` returns null and the builder keeps the request
 * so far. Requests stay full (a round trip each) while no turn encodes for more than its budget:
 * a 1 MiB request of counters takes some 20 ms to encode.
 *
 * @example
 * const packer = createRequestPacker(points, (a, b) => metricKey(a) === metricKey(b), protobufMetricsBuilder(resource, scope, 1), 1 << 20);
 * for (let chunk = packer.next(); chunk; chunk = packer.next()) send(chunk.body); // unsliced: never null
 */
export function createRequestPacker<T>(items: readonly T[], sameGroup: (a: T, b: T) => boolean, builder: OtlpBodyBuilder<T>, maxBytes: number, slicedByTurn = false): RequestPacker {
  let index = 0;
  // The size of an item encoded for a request it did not fit: the builder still holds its
  // encoding, so the next request places it without encoding it again.
  let carried = -1;
  // The request being built (across calls when sliced by turn): its bytes so far and its items.
  let size = builder.baseBytes;
  let count = 0;
  return {
    next() {
      if (index >= items.length && count === 0) return undefined;
      const deadline = slicedByTurn ? turnDeadline() : Infinity;
      const least = size + MIN_BYTES_PER_CALL;
      let placed = 0;
      for (; index < items.length; index++) {
        // The clock is read every 16 items: reading it costs more than encoding a counter.
        if (slicedByTurn && size >= least && (++placed & 15) === 0 && now() >= deadline) return null;
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
      const chunk = { body, items: count, bytes: typeof body === 'string' ? (builder.finishedBytes ?? utf8ByteLength(body)) : body.byteLength };
      size = builder.baseBytes;
      count = 0;
      return chunk;
    },
    remaining: () => items.length - index + count,
  };
}
