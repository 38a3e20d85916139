import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRequestPacker, type OtlpBodyBuilder } from '../../../../../src/core/export/otlp/pack-otlp-requests';
import { SLICE_MS, yieldToHost } from '../../../../../src/core/internal/yield-to-host';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A builder whose "encoding" is the item itself: each item 1,000 bytes, a request lists its items. */
function listBuilder(encoded: number[]): OtlpBodyBuilder<number> {
  let current: number[] = [];
  let last = -1;
  return {
    baseBytes: 0,
    encode(item) {
      encoded.push(item);
      last = item;
      return 1000;
    },
    groupBytes: () => 0,
    add() {
      current.push(last);
    },
    finish() {
      const body = current.join(',');
      current = [];
      return body;
    },
  };
}

describe('createRequestPacker', () => {
  const items = Array.from({ length: 1000 }, (_, i) => i);

  it('packs by size alone unless sliced by turn: one request for what fits', () => {
    const encoded: number[] = [];
    const packer = createRequestPacker(items, () => true, listBuilder(encoded), 1 << 30);
    const chunk = packer.next()!;
    expect(chunk.items).toBe(1000);
    expect(packer.next()).toBeUndefined();
    expect(encoded).toEqual(items);
  });

  it("sliced by turn: closes a request once the turn's budget is spent (when it holds 64 KiB), encoding each item once, and fills the next turn's anew", async () => {
    let clock = 5000;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
    await yieldToHost();
    const encoded: number[] = [];
    const packer = createRequestPacker(items, () => true, listBuilder(encoded), 1 << 30, true);
    // 1 ms a clock read (one every 16 items, once 64 KiB are in): the budget of SLICE_MS lasts a few reads.
    const first = packer.next()!;
    expect(first.items).toBeLessThan(1000);
    expect(first.items * 1000).toBeGreaterThanOrEqual(65_536);
    // Same turn, budget spent: the next request takes the minimum, 64 KiB (80 items of 1,000 bytes, the clock read every 16).
    clock += SLICE_MS;
    const second = packer.next()!;
    expect(second.items).toBe(80);
    await yieldToHost();
    const bodies = [first.body, second.body];
    for (let chunk = packer.next(); chunk; chunk = packer.next()) bodies.push(chunk.body);
    const sent = bodies.flatMap((body) => String(body).split(',').map(Number));
    expect(sent).toEqual(items);
    expect(encoded).toEqual(items);
  });
});
