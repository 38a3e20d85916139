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

  it("sliced by turn: once the turn's budget is spent (after 16 KiB a call), says null and goes on with the same request after the host's turn, encoding each item once", async () => {
    let clock = 5000;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
    await yieldToHost();
    const encoded: number[] = [];
    const packer = createRequestPacker(items, () => true, listBuilder(encoded), 1 << 30, true);
    // 1 ms a clock read (one every 16 items past the first 16 KiB): the budget of SLICE_MS lasts a few reads.
    expect(packer.next()).toBeNull();
    const first = encoded.length;
    expect(first).toBeGreaterThan(16);
    expect(first).toBeLessThan(1000);
    expect(packer.remaining()).toBe(1000);
    // Same turn, budget spent: a call still places 16 KiB (17 items of 1,000 bytes) and reads the clock 16 steps later.
    clock += SLICE_MS;
    expect(packer.next()).toBeNull();
    expect(encoded.length).toBe(first + 17 + 15);
    let chunk = packer.next();
    for (let turns = 0; chunk === null && turns < 1000; turns++) {
      await yieldToHost();
      chunk = packer.next();
    }
    // One request, as large as the limit allows, with every item in order, each encoded once.
    expect(chunk!.items).toBe(1000);
    expect(String(chunk!.body).split(',').map(Number)).toEqual(items);
    expect(encoded).toEqual(items);
    expect(packer.remaining()).toBe(0);
    expect(packer.next()).toBeUndefined();
  });

  it('sliced by turn: a batch under 16 KiB is one request at once, however late in the turn', async () => {
    let clock = 5000;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 100));
    await yieldToHost();
    const packer = createRequestPacker(items.slice(0, 16), () => true, listBuilder([]), 1 << 30, true);
    expect(packer.next()!.items).toBe(16);
    expect(packer.next()).toBeUndefined();
  });
});
