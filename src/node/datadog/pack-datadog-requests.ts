import { createSlicer } from '../run-sliced';
import type { DatadogPiece } from './datadog-distribution';

const HEAD = '{"series":[';
const TAIL = ']}';
/** The bytes `{"series":[…]}` adds around the series objects. */
export const DATADOG_ENVELOPE_BYTES = HEAD.length + TAIL.length;

/**
 * Groups series objects into requests of at most `maxBytes` bytes of UTF-8 once wrapped in
 * `{"series":[…]}`, in order and lazily: the caller compresses and queues one request before the
 * next is built, and the objects are made in slices of a few milliseconds, so a large batch never
 * holds the event loop for long. An object larger than `maxBytes` goes alone.
 *
 * @example
 * for await (const pieces of packDatadogRequests(allPieces, 1_000_000)) enqueue(datadogBody(pieces));
 */
export async function* packDatadogRequests(pieces: Iterable<DatadogPiece>, maxBytes: number): AsyncGenerator<DatadogPiece[]> {
  let group: DatadogPiece[] = [];
  let bytes = HEAD.length + TAIL.length;
  const slicer = createSlicer();
  for (const piece of pieces) {
    await slicer.pause();
    const size = Buffer.byteLength(piece.json) + 1;
    if (group.length > 0 && bytes + size > maxBytes) {
      yield group;
      group = [];
      bytes = HEAD.length + TAIL.length;
    }
    group.push(piece);
    bytes += size;
  }
  if (group.length > 0) yield group;
}

/**
 * The request body for a group of series objects: the `{"series":[…]}` payload both the v2
 * series and the v1 distribution-points endpoints take.
 *
 * @example
 * datadogBody([{ json: '{"metric":"a","points":[{"timestamp":1,"value":2}]}', items: 1 }]); // → '{"series":[{"metric":"a",…}]}'
 */
export function datadogBody(pieces: DatadogPiece[]): string {
  return HEAD + pieces.map((piece) => piece.json).join(',') + TAIL;
}
